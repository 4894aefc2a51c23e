"""The demo world that `python manage.py load_demo` (and so `make run`) builds.

Built from the report of the city party secretary's site visits (shared/seed): 新沂经济开发区,
中新钢铁 (phase II: special steel, waste-heat power, ultra-low emissions), the 100-亿元-plus
水性超纤 project ("1号产业"), 米尔化工 upstream of it, 国家级水性超纤研究院, and the
招商引资和项目建设“百日攻坚”行动 campaign. People are fictional and named by title only.

How it is run
- The command calls every step in `STEPS` below, then the `STEPS` of every other installed
  app that has a `demo` module (`issues/demo.py`, `notifications/demo.py` …), in
  INSTALLED_APPS order, all in one transaction. A step is `def step(ctx: DemoContext) -> None`.
- Steps must be idempotent: look rows up by a natural key (`ctx.upsert`, get_or_create) so that
  a second run creates nothing and changes nothing.
- Dates that must look current (due soon, overdue, the campaign around today) are relative to
  `ctx.today` (timezone.localdate() when the command runs): deterministic for a given date.
- State a user may change in the UI (a project's stage and its history, a milestone's
  completion, filed monthly reports) is written only when the row is first created, so a
  later `make run` does not undo what the user did; descriptive fields are kept up to date.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models

from core.models import Department, Official, Park, Role
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam
from enterprises.validators import CHARSET, credit_code_check_char
from projects.models import AnnualTarget, Campaign, Level, Milestone, ProgressReport, Project, Stage, StageChange

User = get_user_model()


# --- Context shared by the steps -----------------------------------------------------------------


@dataclass
class DemoContext:
    """What the steps share: today, the demo password, and the rows built so far by natural key.

    Keys: `users` / `officials` by username (e.g. "demo-leader"), `departments` by name,
    `parks` by short name ("经开区"), `chains` by name, `segments` by (chain name, segment name),
    `enterprises` by short name ("水性超纤"), `teams` by name, `projects` by code (see the
    constants below), `campaigns` by name (CAMPAIGN_NAME).
    """

    today: datetime.date
    password: str
    log: Callable[[str], None] = print
    users: dict = field(default_factory=dict)
    officials: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    parks: dict = field(default_factory=dict)
    chains: dict = field(default_factory=dict)
    segments: dict = field(default_factory=dict)
    enterprises: dict = field(default_factory=dict)
    teams: dict = field(default_factory=dict)
    projects: dict = field(default_factory=dict)
    campaigns: dict = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.today.year

    def days(self, offset: int) -> datetime.date:
        """The date `offset` days from today (negative: in the past)."""
        return self.today + datetime.timedelta(days=offset)

    def month(self, back: int) -> datetime.date:
        """The first day of the month `back` months before the current one (0: this month)."""
        index = self.today.year * 12 + self.today.month - 1 - back
        return datetime.date(index // 12, index % 12 + 1, 1)

    def upsert(self, model: type[models.Model], lookup: dict, defaults: dict | None = None, create_only=None):
        return upsert(model, lookup, defaults, create_only)


def _value_differs(instance: models.Model, name: str, value) -> bool:
    fld = instance._meta.get_field(name)
    if fld.is_relation and fld.many_to_one:
        return getattr(instance, fld.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def upsert(model: type[models.Model], lookup: dict, defaults: dict | None = None, create_only: dict | None = None):
    """Create the row found by `lookup` or bring its `defaults` fields up to date.

    `create_only` fields are set only when the row is created. A row that already matches is
    not saved at all, so a second run changes nothing (not even updated_at). Every row is
    validated with full_clean() before it is saved.
    """
    defaults = defaults or {}
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **defaults, **(create_only or {}))
        instance.full_clean()
        instance.save()
        return instance
    changed = [name for name, value in defaults.items() if _value_differs(instance, name, value)]
    if changed:
        for name in changed:
            setattr(instance, name, defaults[name])
        instance.full_clean()
        if any(f.name == "updated_at" for f in model._meta.fields):
            changed.append("updated_at")
        instance.save(update_fields=changed)
    return instance


def credit_code(first17: str) -> str:
    """A unified social credit code with its GB 32100-2015 check character."""
    assert len(first17) == 17 and all(ch in CHARSET for ch in first17), first17
    return first17 + credit_code_check_char(first17)


# --- Natural keys other steps may use -------------------------------------------------------------

PARK_JK = "经开区"
PARK_GX = "高新区"
PARK_WL = "物流园"

CHAIN_STEEL = "钢铁"
CHAIN_MICROFIBER = "超纤材料"

PROJECT_SXCX = "XY-JK-001"  # 水性超纤新材料产业园项目, 1号产业
PROJECT_ZXGT2 = "XY-JK-002"  # 中新钢铁二期项目 (parent of the three sub-items)
PROJECT_ZXGT2_STEEL = "XY-JK-002-1"  # 特钢精品线
PROJECT_ZXGT2_HEAT = "XY-JK-002-2"  # 余热发电
PROJECT_ZXGT2_EMISSIONS = "XY-JK-002-3"  # 超低排放改造
PROJECT_MIER = "XY-JK-003"  # 米尔化工水性聚氨酯树脂项目
PROJECT_INSTITUTE = "XY-JK-004"  # 国家级水性超纤研究院建设项目
PROJECT_LITHIUM = "XY-GX-001"  # 锂电新能源材料项目 (negotiating, moved back once)
PROJECT_EQUIPMENT = "XY-GX-002"  # 智能装备制造产业园项目 (planned / reserve)
PROJECT_LOGISTICS = "XY-WL-001"  # 物流园项目 (stopped)

CAMPAIGN_NAME = "招商引资和项目建设“百日攻坚”行动"

#: The five logins, one per role (password: settings.DEMO_PASSWORD).
LOGINS = ["demo-leader", "demo-official", "demo-staff", "demo-handler", "demo-supervisor"]


# --- Organisation ---------------------------------------------------------------------------------

DEPARTMENTS = [
    # name, short name, kind
    ("新沂经济开发区管委会", "经开区管委会", Department.Kind.PARK_COMMITTEE),
    ("新沂高新技术产业开发区管委会", "高新区管委会", Department.Kind.PARK_COMMITTEE),
    ("新沂现代物流园管委会", "物流园管委会", Department.Kind.PARK_COMMITTEE),
    ("市委督查室", "督查室", Department.Kind.GOVERNMENT),
    ("发展和改革委员会", "发改委", Department.Kind.GOVERNMENT),
    ("工业和信息化局", "工信局", Department.Kind.GOVERNMENT),
    ("自然资源和规划局", "自然资源局", Department.Kind.GOVERNMENT),
    ("生态环境局", "生态环境局", Department.Kind.GOVERNMENT),
    ("住房和城乡建设局", "住建局", Department.Kind.GOVERNMENT),
    ("应急管理局", "应急局", Department.Kind.GOVERNMENT),
    ("人力资源和社会保障局", "人社局", Department.Kind.GOVERNMENT),
    ("行政审批局", "审批局", Department.Kind.GOVERNMENT),
    ("科学技术局", "科技局", Department.Kind.GOVERNMENT),
    ("商务局", "商务局", Department.Kind.GOVERNMENT),
    ("供电公司", "供电公司", Department.Kind.UTILITY),
    ("水务公司", "水务公司", Department.Kind.UTILITY),
]

PARKS = [
    # short name, full name, level, committee
    (PARK_JK, "新沂经济开发区", "省级", "新沂经济开发区管委会"),
    (PARK_GX, "新沂高新技术产业开发区", "省级", "新沂高新技术产业开发区管委会"),
    (PARK_WL, "新沂现代物流园", "市级", "新沂现代物流园管委会"),
]

OFFICIALS = [
    # username, title (also the name: people are named by title only), department, role, can log in
    ("demo-leader", "市委书记", None, Role.LEADER, True),
    ("demo-mayor", "市长", None, Role.LEADER, False),
    ("demo-executive-vice-mayor", "常务副市长", None, Role.LEADER, False),
    ("demo-vice-mayor", "分管工业副市长", None, Role.LEADER, False),
    ("demo-park-director", "经开区主任", "新沂经济开发区管委会", Role.OFFICIAL, False),
    ("demo-official", "经开区项目服务局局长", "新沂经济开发区管委会", Role.OFFICIAL, True),
    ("demo-park-economy", "经开区经济发展局局长", "新沂经济开发区管委会", Role.OFFICIAL, False),
    ("demo-hitech-official", "高新区项目办主任", "新沂高新技术产业开发区管委会", Role.OFFICIAL, False),
    ("demo-logistics-official", "物流园招商局局长", "新沂现代物流园管委会", Role.OFFICIAL, False),
    ("demo-park-deputy", "经开区副主任（水性超纤专班组长）", "新沂经济开发区管委会", Role.STAFF, False),
    ("demo-staff", "水性超纤服务专班驻企专员", "新沂经济开发区管委会", Role.STAFF, True),
    ("demo-steel-staff", "中新钢铁服务专班驻企专员", "新沂经济开发区管委会", Role.STAFF, False),
    ("demo-chain-staff", "超纤产业链招商专员", "新沂经济开发区管委会", Role.STAFF, False),
    ("demo-handler", "自然资源和规划局用地科科长", "自然资源和规划局", Role.HANDLER, True),
    ("demo-eco-handler", "生态环境局环评科科长", "生态环境局", Role.HANDLER, False),
    ("demo-housing-handler", "住房和城乡建设局建管科科长", "住房和城乡建设局", Role.HANDLER, False),
    ("demo-safety-handler", "应急管理局安全生产科科长", "应急管理局", Role.HANDLER, False),
    ("demo-hr-handler", "人力资源和社会保障局就业科科长", "人力资源和社会保障局", Role.HANDLER, False),
    ("demo-approval-handler", "行政审批局投资科科长", "行政审批局", Role.HANDLER, False),
    ("demo-power-handler", "供电公司大客户经理", "供电公司", Role.HANDLER, False),
    ("demo-water-handler", "水务公司客户经理", "水务公司", Role.HANDLER, False),
    ("demo-supervisor", "市委督查室督查专员", "市委督查室", Role.SUPERVISOR, True),
]

DEPARTMENT_HEADS = {"新沂经济开发区管委会": "demo-park-director"}


def build_organisation(ctx: DemoContext) -> None:
    for order, (name, short, kind) in enumerate(DEPARTMENTS, start=1):
        ctx.departments[name] = ctx.upsert(
            Department, {"name": name}, {"short_name": short, "kind": kind, "sort_order": order * 10}
        )
    for order, (short, name, level, committee) in enumerate(PARKS, start=1):
        ctx.parks[short] = ctx.upsert(
            Park,
            {"name": name},
            {"short_name": short, "level": level, "committee": ctx.departments[committee], "sort_order": order * 10},
        )


def build_people(ctx: DemoContext) -> None:
    """One login per role (DEMO_PASSWORD); everybody else exists as a profile without a password."""
    for username, title, department, role, can_log_in in OFFICIALS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, email=f"{username}@example.com")
            if can_log_in:
                user.set_password(ctx.password)
            else:
                user.set_unusable_password()
            user.save()
        elif can_log_in and not user.check_password(ctx.password):
            # DEMO_PASSWORD changed since the last run: follow it (check first, so that an
            # unchanged password is not re-hashed and the row stays as it is).
            user.set_password(ctx.password)
            user.save(update_fields=["password"])
        if username == "demo-supervisor" and not (user.is_staff and user.is_superuser):
            # The supervision office runs the admin site (users, departments, imports).
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        ctx.users[username] = user
        ctx.officials[username] = ctx.upsert(
            Official,
            {"user": user},
            {
                "name": title,
                "title": title,
                "department": ctx.departments[department] if department else None,
                "role": role,
                "phone": "",
            },
        )
    for department, username in DEPARTMENT_HEADS.items():
        ctx.departments[department] = ctx.upsert(Department, {"name": department}, {"head": ctx.officials[username]})


# --- Industry chains and enterprises ---------------------------------------------------------------

UP, MID, DOWN, SUP = (
    ChainSegment.Position.UPSTREAM,
    ChainSegment.Position.MIDSTREAM,
    ChainSegment.Position.DOWNSTREAM,
    ChainSegment.Position.SUPPORTING,
)

CHAINS = [
    # name, chief (username), description, segments (name, position); segments no enterprise
    # maps to are the gaps for chain-based investment attraction (延链补链).
    (
        CHAIN_MICROFIBER,
        "demo-leader",
        "以水性超纤为龙头，聚链成园：上游树脂与基布，中游水性超纤革，下游汽车内饰与鞋服箱包。",
        [
            ("水性聚氨酯树脂", UP),
            ("超细纤维与基布", UP),
            ("水性超纤革", MID),
            ("汽车内饰", DOWN),
            ("鞋服箱包", DOWN),
            ("研发与检测", SUP),
        ],
    ),
    (
        CHAIN_STEEL,
        "demo-mayor",
        "从普钢向优钢、特钢转型，延长加粗产业链，发展循环经济、钢化联产。",
        [
            ("铁矿石与焦煤供应", UP),
            ("炼铁炼钢", MID),
            ("特钢与精深加工", DOWN),
            ("金属制品与装备", DOWN),
            ("节能环保与余热利用", SUP),
            ("钢化联产", SUP),
            ("物流仓储", SUP),
        ],
    ),
]

ENTERPRISES = [
    # short name, name, first 17 characters of the credit code, park, industry, key, segments, address
    (
        "中新钢铁",
        "中新钢铁集团有限公司",
        "91320381738245H1K",
        PARK_JK,
        "黑色金属冶炼和压延加工业",
        True,
        [(CHAIN_STEEL, "炼铁炼钢"), (CHAIN_STEEL, "特钢与精深加工"), (CHAIN_STEEL, "节能环保与余热利用")],
        "新沂经济开发区钢铁大道1号",
    ),
    (
        "水性超纤",
        "新沂水性超纤新材料有限公司",
        "91320381MA1W8K3P6",
        PARK_JK,
        "化学纤维制造业",
        True,
        [(CHAIN_MICROFIBER, "水性超纤革")],
        "新沂经济开发区超纤路8号",
    ),
    (
        "米尔化工",
        "新沂米尔化工科技有限公司",
        "91320381MA20C7LQ4",
        PARK_JK,
        "化学原料和化学制品制造业",
        False,
        [(CHAIN_MICROFIBER, "水性聚氨酯树脂")],
        "新沂经济开发区化工路16号",
    ),
    (
        "水性超纤研究院",
        "国家级水性超纤研究院",
        "52320381MJ5X2T7R0",
        PARK_JK,
        "研究和试验发展",
        True,
        [(CHAIN_MICROFIBER, "研发与检测")],
        "新沂经济开发区超纤路9号",
    ),
    (
        "嘉通物流",
        "新沂嘉通物流有限公司",
        "91320381MA1Y4N2E3",
        PARK_WL,
        "道路货物运输",
        False,
        [(CHAIN_STEEL, "物流仓储")],
        "新沂现代物流园通港路5号",
    ),
    (
        "锂源新能源",
        "新沂锂源新能源科技有限公司",
        "91320381MA27G5HU1",
        PARK_GX,
        "电池制造",
        False,
        [],
        "新沂高新区创新大道20号",
    ),
    (
        "精工装备",
        "新沂精工智能装备有限公司",
        "91320381MA25RB8X9",
        PARK_GX,
        "专用设备制造业",
        False,
        [],
        "新沂高新区智造路3号",
    ),
]


def build_chains_and_enterprises(ctx: DemoContext) -> None:
    for order, (name, chief, description, segments) in enumerate(CHAINS, start=1):
        chain = ctx.upsert(
            IndustryChain,
            {"name": name},
            {"chief": ctx.officials[chief], "description": description, "sort_order": order * 10},
        )
        ctx.chains[name] = chain
        for seg_order, (segment, position) in enumerate(segments, start=1):
            ctx.segments[(name, segment)] = ctx.upsert(
                ChainSegment, {"chain": chain, "name": segment}, {"position": position, "sort_order": seg_order * 10}
            )
    for short, name, code17, park, industry, is_key, segments, address in ENTERPRISES:
        enterprise = ctx.upsert(
            Enterprise,
            {"name": name},
            {
                "short_name": short,
                "credit_code": credit_code(code17),
                "park": ctx.parks[park],
                "industry": industry,
                "is_key": is_key,
                "contact_name": "企业办公室主任",
                "contact_phone": "",
                "address": address,
            },
        )
        enterprise.segments.set([ctx.segments[key] for key in segments])
        ctx.enterprises[short] = enterprise


TEAMS = [
    # name, lead, members, enterprises, stationed, notes
    (
        "水性超纤项目服务专班",
        "demo-park-deputy",
        ["demo-staff", "demo-park-deputy"],
        ["水性超纤", "水性超纤研究院"],
        True,
        "按“1号产业”骨干企业标准服务，24小时驻企、服务不打烊，建立全生命周期服务机制。",
    ),
    (
        "中新钢铁项目服务专班",
        "demo-park-director",
        ["demo-steel-staff"],
        ["中新钢铁"],
        True,
        "结合“千人助千企”行动，24小时驻企服务，推进二期项目建设。",
    ),
    (
        "超纤产业链上下游项目服务专班",
        "demo-park-economy",
        ["demo-chain-staff"],
        ["米尔化工"],
        False,
        "对米尔化工等水性超纤上下游产业项目加快服务保障，促进超纤材料产业聚链成园。",
    ),
]


def build_service_teams(ctx: DemoContext) -> None:
    for name, lead, members, enterprises, stationed, notes in TEAMS:
        team = ctx.upsert(
            ServiceTeam, {"name": name}, {"lead": ctx.officials[lead], "stationed": stationed, "notes": notes}
        )
        team.members.set([ctx.officials[m] for m in members])
        team.enterprises.set([ctx.enterprises[e] for e in enterprises])
        ctx.teams[name] = team


# --- Projects, their stage history, targets, reports --------------------------------------------


@dataclass
class DemoProject:
    code: str
    name: str
    enterprise: str
    park: str
    segment: tuple[str, str] | None
    level: str
    total: str
    leader: str
    unit: str
    official: str
    team: str | None
    content: str
    #: (stage, days before today), oldest first; the last one is the current stage.
    history: list[tuple[str, int]]
    completion_in_days: int
    parent: str | None = None
    phase: str = ""
    is_key: bool = False
    key_label: str = ""
    #: reasons for moves backwards or to 终止, by target stage
    reasons: dict = field(default_factory=dict)


P, N, SG, ST, UC = Stage.PLANNED, Stage.NEGOTIATING, Stage.SIGNED, Stage.STARTED, Stage.UNDER_CONSTRUCTION

PROJECTS = [
    DemoProject(
        code=PROJECT_SXCX,
        name="水性超纤新材料产业园项目",
        enterprise="水性超纤",
        park=PARK_JK,
        segment=(CHAIN_MICROFIBER, "水性超纤革"),
        level=Level.PROVINCIAL_MAJOR,
        total="1050000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="水性超纤项目服务专班",
        content="总投资超百亿元，建设水性超纤生产线12条及研发中心、仓储物流等配套设施，达产后年产水性超纤材料1.2亿米。",
        history=[(P, 900), (N, 800), (SG, 680), (ST, 520), (UC, 450)],
        completion_in_days=400,
        is_key=True,
        key_label="1号产业",
    ),
    DemoProject(
        code=PROJECT_ZXGT2,
        name="中新钢铁二期项目",
        enterprise="中新钢铁",
        park=PARK_JK,
        segment=(CHAIN_STEEL, "炼铁炼钢"),
        level=Level.PROVINCIAL_MAJOR,
        total="850000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="中新钢铁项目服务专班",
        content="实现从普钢向优钢、特钢转型：特钢精品线、余热发电、超低排放改造三个子项，"
        "推进钢化联产，建设现代钢铁企业。",
        history=[(P, 700), (SG, 620), (ST, 540), (UC, 500)],
        completion_in_days=550,
        phase="二期",
        is_key=True,
    ),
    DemoProject(
        code=PROJECT_ZXGT2_STEEL,
        name="中新钢铁二期特钢精品线",
        enterprise="中新钢铁",
        park=PARK_JK,
        segment=(CHAIN_STEEL, "特钢与精深加工"),
        level=Level.PROVINCIAL_MAJOR,
        total="520000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="中新钢铁项目服务专班",
        content="新建特钢冶炼及精品棒线材轧制生产线，年产优特钢200万吨。",
        history=[(P, 700), (SG, 620), (ST, 540), (UC, 480)],
        completion_in_days=300,
        parent=PROJECT_ZXGT2,
        phase="二期·特钢",
    ),
    DemoProject(
        code=PROJECT_ZXGT2_HEAT,
        name="中新钢铁二期余热发电项目",
        enterprise="中新钢铁",
        park=PARK_JK,
        segment=(CHAIN_STEEL, "节能环保与余热利用"),
        level=Level.CITY_MAJOR,
        total="90000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="中新钢铁项目服务专班",
        content="利用烧结、转炉余热建设2×50兆瓦高温超高压发电机组，加大新能源利用力度，持续减碳降耗。",
        history=[(P, 600), (SG, 400), (ST, 250)],
        completion_in_days=120,
        parent=PROJECT_ZXGT2,
        phase="二期·余热发电",
    ),
    DemoProject(
        code=PROJECT_ZXGT2_EMISSIONS,
        name="中新钢铁超低排放改造项目",
        enterprise="中新钢铁",
        park=PARK_JK,
        segment=(CHAIN_STEEL, "节能环保与余热利用"),
        level=Level.CITY_MAJOR,
        total="60000",
        leader="demo-leader",
        unit="新沂经济开发区管委会",
        official="demo-official",
        team="中新钢铁项目服务专班",
        content="烧结机、高炉、转炉全流程超低排放改造，实现超超低排放，树立循环经济标杆。",
        history=[(P, 300), (SG, 150)],
        completion_in_days=420,
        parent=PROJECT_ZXGT2,
        phase="二期·超低排放",
    ),
    DemoProject(
        code=PROJECT_MIER,
        name="米尔化工水性聚氨酯树脂项目",
        enterprise="米尔化工",
        park=PARK_JK,
        segment=(CHAIN_MICROFIBER, "水性聚氨酯树脂"),
        level=Level.CITY_MAJOR,
        total="120000",
        leader="demo-executive-vice-mayor",
        unit="新沂经济开发区管委会",
        official="demo-park-economy",
        team="超纤产业链上下游项目服务专班",
        content="年产20万吨水性聚氨酯树脂，为水性超纤就近配套上游原料。",
        history=[(P, 420), (N, 380), (SG, 250), (ST, 130)],
        completion_in_days=500,
    ),
    DemoProject(
        code=PROJECT_INSTITUTE,
        name="国家级水性超纤研究院建设项目",
        enterprise="水性超纤研究院",
        park=PARK_JK,
        segment=(CHAIN_MICROFIBER, "研发与检测"),
        level=Level.CITY_KEY,
        total="50000",
        leader="demo-mayor",
        unit="新沂经济开发区管委会",
        official="demo-park-economy",
        team="水性超纤项目服务专班",
        content="建设研发楼、中试基地和检测中心，积极争取创新政策和资金支持。",
        history=[(P, 500), (SG, 400), (ST, 220), (UC, 200)],
        completion_in_days=240,
    ),
    DemoProject(
        code=PROJECT_LITHIUM,
        name="锂电新能源材料项目",
        enterprise="锂源新能源",
        park=PARK_GX,
        segment=None,
        level=Level.CITY_MAJOR,
        total="300000",
        leader="demo-vice-mayor",
        unit="新沂高新技术产业开发区管委会",
        official="demo-hitech-official",
        team=None,
        content="年产5万吨锂电池正极材料。",
        history=[(P, 200), (N, 150), (SG, 90), (N, 60)],
        completion_in_days=900,
        reasons={N: "投资方调整股权结构，合同需重新商谈。"},
    ),
    DemoProject(
        code=PROJECT_EQUIPMENT,
        name="智能装备制造产业园项目",
        enterprise="精工装备",
        park=PARK_GX,
        segment=None,
        level=Level.CITY_KEY,
        total="80000",
        leader="demo-vice-mayor",
        unit="新沂高新技术产业开发区管委会",
        official="demo-hitech-official",
        team=None,
        content="谋划建设智能装备整机及关键零部件生产基地。",
        history=[(P, 60)],
        completion_in_days=1100,
    ),
    DemoProject(
        code=PROJECT_LOGISTICS,
        name="钢铁物流园项目",
        enterprise="嘉通物流",
        park=PARK_WL,
        segment=(CHAIN_STEEL, "物流仓储"),
        level=Level.CITY_KEY,
        total="45000",
        leader="demo-executive-vice-mayor",
        unit="新沂现代物流园管委会",
        official="demo-logistics-official",
        team=None,
        content="建设钢材仓储及公铁联运物流设施。",
        history=[(P, 400), (N, 300), (Stage.STOPPED, 100)],
        completion_in_days=600,
        reasons={Stage.STOPPED: "投资方经营战略调整，项目终止。"},
    ),
]


PLANNED_START_IN_DAYS = 30  # projects that have not broken ground plan to start in a month


def build_projects(ctx: DemoContext) -> None:
    for spec in PROJECTS:
        last_stage, last_days = spec.history[-1]
        started_on = next((ctx.days(-days) for stage, days in spec.history if stage == ST), None)
        project = ctx.upsert(
            Project,
            {"code": spec.code},
            {
                "name": spec.name,
                "enterprise": ctx.enterprises[spec.enterprise],
                "park": ctx.parks[spec.park],
                "segment": ctx.segments[spec.segment] if spec.segment else None,
                "level": spec.level,
                "total_investment": Decimal(spec.total),
                "planned_start": started_on or ctx.days(PLANNED_START_IN_DAYS),
                "planned_completion": ctx.days(spec.completion_in_days),
                "parent": ctx.projects[spec.parent] if spec.parent else None,
                "phase_label": spec.phase,
                "construction_content": spec.content,
                "assigned_leader": ctx.officials[spec.leader],
                "responsible_unit": ctx.departments[spec.unit],
                "responsible_official": ctx.officials[spec.official],
                "service_team": ctx.teams[spec.team] if spec.team else None,
                "is_key": spec.is_key,
                "key_label": spec.key_label,
            },
            create_only={
                "stage": last_stage,
                "stage_changed_on": ctx.days(-last_days),
                "stopped_reason": spec.reasons.get(Stage.STOPPED, "") if last_stage == Stage.STOPPED else "",
            },
        )
        ctx.projects[spec.code] = project
        if project.stage_changes.exists():
            continue  # the timeline is the user's from here on
        previous = ""
        for stage, days in spec.history:
            StageChange.objects.create(
                project=project,
                from_stage=previous,
                to_stage=stage,
                changed_on=ctx.days(-days),
                reason=spec.reasons.get(stage, "") if previous and Stage.rank(stage) < Stage.rank(previous) else "",
                changed_by=ctx.users["demo-supervisor"] if not previous else ctx.users[spec.official],
            )
            previous = stage


TARGETS = [
    # project, planned, first half, target start, target completion, target production, output value
    (PROJECT_SXCX, "360000", "150000", None, None, (12, 31), "200000"),
    (PROJECT_ZXGT2_STEEL, "120000", "50000", None, None, None, None),
    (PROJECT_ZXGT2_HEAT, "30000", "10000", None, (12, 25), None, None),
    (PROJECT_ZXGT2_EMISSIONS, "15000", "0", (12, 20), None, None, None),
    (PROJECT_MIER, "40000", "10000", (7, 31), None, None, None),
    (PROJECT_INSTITUTE, "12000", "5000", None, None, None, None),
]


def build_targets(ctx: DemoContext) -> None:
    def day(month_day):
        return datetime.date(ctx.year, *month_day) if month_day else None

    for code, planned, first_half, start, completion, production, output in TARGETS:
        ctx.upsert(
            AnnualTarget,
            {"project": ctx.projects[code], "year": ctx.year},
            {
                "planned_investment": Decimal(planned),
                "first_half_investment": Decimal(first_half),
                "target_start": day(start),
                "target_completion": day(completion),
                "target_production": day(production),
                "output_value_target": Decimal(output) if output else None,
            },
        )


# Monthly reports, oldest first; each row: months back (0 = this month), investment (万元),
# percent complete, physical progress. A project's missing recent months are simply absent:
# 米尔化工 has not reported last month nor this month, so the dashboard shows it as late.
REPORTS = {
    PROJECT_SXCX: [
        (10, "22000", 38, "厂区场地平整完成，主体厂房桩基施工。"),
        (9, "18000", 41, "1#、2#厂房桩基完成，承台施工。"),
        (8, "30000", 45, "主体厂房基础施工，研发楼桩基施工。"),
        (7, "32000", 49, "1#厂房主体结构施工至二层。"),
        (6, "35000", 53, "1#厂房主体封顶，2#厂房主体施工。"),
        (5, "36000", 57, "2#厂房主体封顶，钢结构屋面安装。"),
        (4, "38000", 61, "厂房围护施工，水电安装队伍进场。"),
        (3, "34000", 65, "生产线设备基础施工，进口设备订货完成。"),
        (2, "33000", 68, "首批生产线设备到货，开始安装。"),
        (1, "31000", 71, "生产线设备安装，110千伏专用变电站土建完成。"),
        (0, "29000", 74, "设备安装调试，变电站电气设备安装。"),
    ],
    PROJECT_ZXGT2_STEEL: [
        (10, "8000", 30, "炼钢车间桩基施工。"),
        (9, "6000", 32, "炼钢车间基础施工。"),
        (8, "10000", 36, "轧钢车间桩基施工，炼钢车间柱吊装。"),
        (7, "11000", 40, "炼钢车间钢结构吊装。"),
        (6, "12000", 44, "轧钢车间基础施工。"),
        (5, "12500", 48, "轧钢车间钢结构吊装。"),
        (4, "11000", 52, "炼钢设备基础施工。"),
        (3, "9000", 55, "轧钢车间钢结构吊装完成，屋面施工。"),
        (2, "9500", 58, "转炉设备安装。"),
        (1, "8000", 61, "精品棒线材轧机安装。"),
    ],
    PROJECT_ZXGT2_HEAT: [
        (8, "1500", 8, "汽机房桩基施工。"),
        (7, "2500", 14, "汽机房基础施工。"),
        (6, "3000", 22, "汽机房主体施工。"),
        (5, "3500", 30, "余热锅炉基础施工。"),
        (4, "3000", 37, "汽机房主体封顶。"),
        (3, "4000", 45, "余热锅炉钢架吊装。"),
        (2, "3500", 52, "汽轮发电机组到货。"),
        (1, "3000", 58, "汽轮发电机组安装。"),
    ],
    PROJECT_MIER: [
        (4, "3000", 4, "场地平整，桩基施工。"),
        (3, "5000", 9, "桩基施工。"),
        (2, "6000", 14, "桩基工程完成，承台施工。"),
    ],
    PROJECT_INSTITUTE: [
        (6, "800", 5, "研发楼桩基施工。"),
        (5, "1200", 12, "研发楼基础施工。"),
        (4, "1500", 22, "研发楼主体施工至三层。"),
        (3, "1800", 33, "研发楼主体施工至六层。"),
        (2, "1600", 42, "研发楼主体封顶，中试基地基础施工。"),
        (1, "1500", 48, "研发楼砌体施工，中试基地主体施工。"),
    ],
}

NEXT_STEPS = "倒排工期、挂图作战，确保按既定计划推进。"


def build_reports(ctx: DemoContext) -> None:
    for code, rows in REPORTS.items():
        project = ctx.projects[code]
        for back, investment, percent, progress in rows:
            ProgressReport.objects.get_or_create(
                project=project,
                month=ctx.month(back),
                defaults={
                    "investment": Decimal(investment),
                    "percent_complete": percent,
                    "physical_progress": progress,
                    "next_steps": NEXT_STEPS,
                    "submitted_by": project.responsible_official.user,
                },
            )


# --- The campaign and the milestones -------------------------------------------------------------

MILESTONES = [
    # project, title, due (days from today), completed (days from today) or None, in the campaign
    (PROJECT_SXCX, "主体厂房全面封顶", -75, -78, False),
    (PROJECT_SXCX, "首批生产线设备到货", -40, -38, True),
    (PROJECT_SXCX, "110千伏专用变电站送电", -3, None, True),
    (PROJECT_SXCX, "生产线设备安装完成", 5, None, True),
    (PROJECT_SXCX, "一期试生产", 35, None, True),
    (PROJECT_ZXGT2_STEEL, "轧钢车间钢结构吊装完成", -20, -22, True),
    (PROJECT_ZXGT2_STEEL, "特钢生产线热负荷试车", 25, None, True),
    (PROJECT_ZXGT2_HEAT, "汽轮发电机组安装就位", 2, None, True),
    (PROJECT_ZXGT2_HEAT, "余热发电机组并网发电", 60, None, False),
    (PROJECT_ZXGT2_EMISSIONS, "超低排放改造环评批复", -10, None, True),
    (PROJECT_ZXGT2_EMISSIONS, "超低排放改造开工", 20, None, True),
    (PROJECT_MIER, "桩基工程完成", -30, -27, False),
    (PROJECT_MIER, "建设工程规划许可证办理", -8, None, True),
    (PROJECT_MIER, "主体结构出正负零", 7, None, True),
    (PROJECT_INSTITUTE, "研发楼主体封顶", -15, -16, True),
    (PROJECT_INSTITUTE, "省级创新平台申报材料报送", 12, None, True),
    (PROJECT_LITHIUM, "项目投资合同签约", 30, None, True),
]

CAMPAIGN_DAYS = 100
CAMPAIGN_ELAPSED = 59  # today is day 60 of 100: the countdown shows 40 days left
CAMPAIGN_PROJECTS = [
    PROJECT_SXCX,
    PROJECT_ZXGT2_STEEL,
    PROJECT_ZXGT2_HEAT,
    PROJECT_ZXGT2_EMISSIONS,
    PROJECT_MIER,
    PROJECT_INSTITUTE,
    PROJECT_LITHIUM,
]


def build_campaign_and_milestones(ctx: DemoContext) -> None:
    start = ctx.days(-CAMPAIGN_ELAPSED)
    campaign = ctx.upsert(
        Campaign,
        {"name": CAMPAIGN_NAME},
        {
            "start_date": start,
            "end_date": start + datetime.timedelta(days=CAMPAIGN_DAYS - 1),
            "goals": "为在手项目扫清建设障碍，为在谈项目营造落地环境：新开工项目3个、签约项目2个、完成投资30亿元。",
            "goal_projects_to_start": 3,
            "goal_projects_to_sign": 2,
            "goal_investment": Decimal("300000"),
        },
    )
    campaign.projects.set([ctx.projects[code] for code in CAMPAIGN_PROJECTS])
    ctx.campaigns[CAMPAIGN_NAME] = campaign
    for order, (code, title, due, done, in_campaign) in enumerate(MILESTONES, start=1):
        project = ctx.projects[code]
        responsible = project.responsible_official
        ctx.upsert(
            Milestone,
            {"project": project, "title": title},
            {
                "due_date": ctx.days(due),
                "responsible": responsible,
                "campaign": campaign if in_campaign else None,
                "sort_order": order * 10,
            },
            create_only={
                "completed_on": ctx.days(done) if done is not None else None,
                "completed_by": responsible.user if done is not None else None,
                "evidence": "现场核验照片及监理确认单已归档。" if done is not None else "",
            },
        )


#: The core steps, in order. Other apps add theirs in `<app>/demo.py` as their own `STEPS`.
STEPS: list[Callable[[DemoContext], None]] = [
    build_organisation,
    build_people,
    build_chains_and_enterprises,
    build_service_teams,
    build_projects,
    build_targets,
    build_reports,
    build_campaign_and_milestones,
]
