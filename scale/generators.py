"""Realistic, reproducible data at any scale, inserted in bulk (`manage.py generate_scale_data`, bench/).

The same `ScaleConfig` (seed, sizes, today) always produces the same rows: every random choice
comes from a `random.Random` seeded with the seed and the name of the part being generated, and
every date is relative to `config.today`. Only primary keys differ between two databases.

Rows are written with `bulk_create` in batches, bypassing the per-row services for speed, but they
keep every invariant the services keep:
- an issue's state is reached by walking the workflow table (`issues.workflow.TRANSITIONS`): each
  step is an allowed move from the current state, writes the event the service would write (same
  action, from/to states and data keys), and raises `version` exactly when the service would;
- deadlines are those of `issues.deadlines.computed_deadlines` over the holiday calendar, from the
  time-limit table (`TimeLimitRule`, else `issues.defaults`), recomputed on reopening; a leader's
  instruction has an explicit deadline and no resolution limit;
- resolved and closed issues have an outcome, `resolved_at` and `working_days_to_resolve`; closed
  ones `closed_at`; every assigned issue a lead department and a handler of that department;
- a project's stage history runs through the life cycle in date order and ends at its stage on
  `stage_changed_on`; reports fall on the first of a month, one per project and month; annual
  targets keep the first half within the year; milestones of a campaign lie in its window;
- notifications follow the sweep's unique key (object, kind, due date, step, recipient).
The audit trail is not written for generated rows (`core.AuditEntry` stays as it is).
"""

from __future__ import annotations

import datetime
import io
import json
import random
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from campaigns.models import Campaign
from core.calendar import WorkingCalendar, end_of_day, local_date
from core.models import Department, Official, Park, Role
from core.text import pinyin_initials
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam
from enterprises.validators import CHARSET, credit_code_check_char
from issues import deadlines, workflow
from issues.defaults import default_time_limits
from issues.models import (
    Category,
    Issue,
    IssueEvent,
    Outcome,
    Satisfaction,
    Source,
    Status,
    TimeLimitRule,
    Urgency,
    Visit,
)
from notifications.models import Kind, Notification
from projects.models import AnnualTarget, Level, Milestone, ProgressReport, Project, Stage, StageChange

User = get_user_model()

#: Marks every generated project code, so that a second run (with --force) can tell its rows.
CODE_PREFIX = "GS"


class GenerationRefused(Exception):
    """The data asked for cannot be added to this database (e.g. the seed was used already)."""


@dataclass
class ScaleConfig:
    projects: int = 1000
    issues: int = 10000
    seed: int = 1
    reports_per_project: int = 12
    milestones_per_project: int = 5
    users: int | None = None  # default: about one official per 20 projects, at least 40
    enterprises: int | None = None  # default: two thirds of the projects
    campaigns: int = 4
    batch_size: int = 2000
    today: datetime.date = field(default_factory=timezone.localdate)
    password: str | None = None  # every generated login's password; None: unusable

    def __post_init__(self):
        if self.projects < 1 or self.issues < 0:
            raise ValueError("projects must be at least 1 and issues not negative")
        if self.users is None:
            self.users = max(40, self.projects // 20)
        if self.enterprises is None:
            self.enterprises = max(1, self.projects * 2 // 3)
        self.users = max(self.users, 12)
        self.enterprises = max(1, self.enterprises)
        self.batch_size = max(100, self.batch_size)
        self.reports_per_project = max(0, min(self.reports_per_project, 120))
        self.milestones_per_project = max(0, min(self.milestones_per_project, 50))
        self.campaigns = max(0, self.campaigns)


# --- Vocabulary --------------------------------------------------------------------------------------

COUNTIES = [
    "新沂", "邳州", "睢宁", "沛县", "丰县", "铜山", "贾汪", "泉山", "云龙", "鼓楼", "宿城", "宿豫", "沭阳",
    "泗阳", "泗洪", "东海", "灌云", "灌南", "赣榆", "海州", "连云", "淮阴", "涟水", "盱眙", "金湖", "洪泽",
    "响水", "滨海", "阜宁", "射阳", "建湖", "东台", "大丰", "如皋", "海安", "如东", "启东", "海门", "兴化",
    "靖江", "泰兴", "丹阳", "扬中", "句容", "仪征", "高邮", "宝应", "溧阳", "金坛", "宜兴", "江阴", "张家港",
    "常熟", "太仓", "昆山",
]  # fmt: skip
PARK_KINDS = ["经济开发区", "高新技术产业开发区", "化工产业园", "现代物流园", "科技创业园", "农业科技园"]
GOVERNMENT_DEPARTMENTS = [
    "发展和改革委员会", "工业和信息化局", "自然资源和规划局", "住房和城乡建设局", "生态环境局", "行政审批局",
    "商务局", "财政局", "人力资源和社会保障局", "交通运输局", "水务局", "应急管理局", "市场监督管理局",
    "税务局", "科学技术局", "消防救援大队", "地方金融监督管理局", "城市管理局",
]  # fmt: skip
UTILITIES = ["供电公司", "水务集团", "燃气公司", "通信管理办公室"]
SUPERVISION_OFFICE = "重大项目推进办公室"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文斌晨宇浩然子涵欣怡思远雨泽博文嘉怡梓萱俊杰"
TITLES = {
    Role.LEADER: ["副市长", "市委常委", "市政府秘书长", "副秘书长"],
    Role.SUPERVISOR: ["督查专员", "督查科科长", "项目推进专员"],
    Role.HANDLER: ["科长", "副科长", "科员", "主任科员"],
    Role.STAFF: ["服务专员", "专班联络员", "驻企服务员"],
    Role.OFFICIAL: ["项目专员", "项目科科长", "园区招商专员"],
}
CHAINS = {
    "新材料": ["基础原料", "新型合成材料", "复合材料", "检测与应用"],
    "高端装备": ["零部件", "整机制造", "系统集成", "运维服务"],
    "新能源": ["光伏组件", "储能电池", "风电装备", "智能电网"],
    "生物医药": ["原料药", "医疗器械", "创新药", "医药流通"],
    "电子信息": ["半导体材料", "集成电路", "电子元器件", "智能终端"],
    "绿色食品": ["种养基地", "精深加工", "冷链物流", "品牌营销"],
    "现代物流": ["仓储设施", "多式联运", "供应链服务", "物流装备"],
}
BRAND_WORDS = list("华恒鑫泰盛达源丰瑞祥宏宇嘉凯德诚中新金海天润博远安康永")
INDUSTRY_WORDS = {
    "新材料": ["新材料", "化工", "纤维", "合金"],
    "高端装备": ["机械", "装备制造", "智能装备", "精密机械"],
    "新能源": ["新能源", "光伏科技", "储能科技", "电力设备"],
    "生物医药": ["医药", "生物科技", "医疗器械", "制药"],
    "电子信息": ["电子", "半导体", "信息技术", "微电子"],
    "绿色食品": ["食品", "农业发展", "粮油", "生态农业"],
    "现代物流": ["物流", "供应链", "仓储", "运输"],
}
PROJECT_KINDS = ["年产{n}万吨{p}项目", "{p}生产线建设项目", "{p}产业园项目", "{p}技术改造项目", "{p}研发中心项目"]
PRODUCTS = {
    "新材料": ["水性超纤", "特种钢材", "碳纤维", "高性能树脂"],
    "高端装备": ["数控机床", "工程机械", "智能机器人", "轨道交通装备"],
    "新能源": ["光伏组件", "锂电池", "储能系统", "氢能装备"],
    "生物医药": ["原料药", "医用耗材", "生物制剂", "中药饮片"],
    "电子信息": ["硅片", "功率芯片", "液晶模组", "智能终端"],
    "绿色食品": ["预制菜", "粮油制品", "乳制品", "果蔬加工"],
    "现代物流": ["冷链仓储", "智慧物流", "保税仓储", "港口物流"],
}
MILESTONE_TITLES = [
    "完成立项备案",
    "取得用地规划许可",
    "取得施工许可",
    "主体结构封顶",
    "设备安装调试",
    "竣工验收",
    "投产达效",
]
ISSUE_TEXTS = {
    Category.LAND: ["用地指标尚未落实", "土地征收补偿未完成", "不动产权证办理滞后"],
    Category.PLANNING: ["规划条件需调整", "规划许可办理缓慢"],
    Category.APPROVAL: ["施工许可审批进度慢", "环评批复待出具", "能评手续未办结"],
    Category.ENVIRONMENTAL_ENERGY: ["能耗指标不足", "排污总量指标待落实"],
    Category.ELECTRICITY: ["双回路供电未接入", "临时用电容量不足"],
    Category.WATER_GAS: ["工业用水管网未接通", "天然气管道未到位"],
    Category.FINANCING: ["项目贷款审批滞后", "流动资金紧张"],
    Category.LABOUR_TALENT: ["技术工人招聘困难", "高层次人才住房待落实"],
    Category.LOGISTICS: ["进厂道路未建成", "铁路专用线接轨待协调"],
    Category.POLICY: ["奖补资金未兑现", "税收优惠政策待落实"],
    Category.SAFETY: ["危化品仓储安全评价待完成"],
    Category.OTHER: ["周边群众协调问题", "配套学校建设滞后"],
}
STOP_REASONS = ["企业资金链断裂，项目暂停", "市场变化，企业调整投资计划", "环保整改未通过"]

STAGE_ORDER = [s for s in Stage if s != Stage.STOPPED]
STAGE_WEIGHTS = {
    Stage.PLANNED: 8,
    Stage.NEGOTIATING: 6,
    Stage.SIGNED: 10,
    Stage.STARTED: 12,
    Stage.UNDER_CONSTRUCTION: 34,
    Stage.COMPLETED: 8,
    Stage.IN_PRODUCTION: 14,
    Stage.AT_CAPACITY: 5,
    Stage.STOPPED: 3,
}
# How an issue's life went (the actions after "raise"), with weights. Open lives are recent.
LIVES = [
    ("new", (), 6),
    ("returned", ("assign", "return"), 2),
    ("assigned", ("assign",), 8),
    ("in_progress", ("assign", "acknowledge", "respond"), 14),
    ("resolved", ("assign", "acknowledge", "resolve"), 8),
    ("closed", ("assign", "acknowledge", "respond", "resolve", "confirm"), 42),
    ("reopened", ("assign", "acknowledge", "resolve", "reopen"), 4),
    ("reopened_closed", ("assign", "acknowledge", "resolve", "reopen", "resolve", "confirm"), 4),
    ("on_spot", ("resolve_on_spot",), 6),
    ("instruction", ("acknowledge", "respond"), 6),
]
OPEN_LIVES = {"new", "returned", "assigned", "in_progress", "reopened", "instruction", "resolved"}


# --- Helpers -----------------------------------------------------------------------------------------


def _rng(config: ScaleConfig, part: str) -> random.Random:
    return random.Random(f"{config.seed}:{part}")  # noqa: S311 (reproducible test data, not secrets)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A moment of office hours on `day`, local time."""
    return datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=_tz())


def _month_start(day: datetime.date, back: int = 0) -> datetime.date:
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def credit_code(index: int, region: str = "320381") -> str:
    """A valid unified social credit code, distinct for each index (its organisation code part
    is the index written in the code's own alphabet)."""
    digits, n = [], index
    for _ in range(8):
        digits.append(CHARSET[n % len(CHARSET)])
        n //= len(CHARSET)
    first17 = "91" + region + "".join(reversed(digits)) + CHARSET[index % 10]
    return first17 + credit_code_check_char(first17)


@contextmanager
def historic_timestamps(*model_classes: type[models.Model]):
    """Let bulk_create write the given created_at / updated_at / at values instead of now()."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _unique_names(model: type[models.Model], field_name: str, names: list[str]) -> list[str]:
    """`names` with those already taken in the table (or repeated) given a numbered suffix."""
    taken = set()
    for start in range(0, len(names), 5000):
        taken |= set(
            model.objects.filter(**{f"{field_name}__in": names[start : start + 5000]}).values_list(
                field_name, flat=True
            )
        )
    out = []
    for name in names:
        candidate, n = name, 1
        while candidate in taken:
            n += 1
            candidate = f"{name}{n}"
        taken.add(candidate)
        out.append(candidate)
    return out


@dataclass
class Report:
    """Rows created per model, and seconds taken per part."""

    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


@dataclass
class World:
    """What the parts share: the organisation and the rows generated so far."""

    config: ScaleConfig
    report: Report
    log: Callable[[str], None]
    calendar: WorkingCalendar = field(default_factory=WorkingCalendar)
    parks: list = field(default_factory=list)
    committees: list = field(default_factory=list)
    departments: list = field(default_factory=list)  # government departments and utilities
    supervision: Department | None = None
    officials: dict = field(default_factory=dict)  # role -> [Official]
    handlers_by_department: dict = field(default_factory=dict)  # department id -> [Official]
    segments: list = field(default_factory=list)  # [(chain name, ChainSegment)]
    enterprises: list = field(default_factory=list)  # [(Enterprise, chain name)]
    teams_by_enterprise: dict = field(default_factory=dict)  # enterprise id -> ServiceTeam
    staff_by_team: dict = field(default_factory=dict)  # team id -> [Official]
    projects: list = field(default_factory=list)
    milestones_by_project: dict = field(default_factory=dict)  # project id -> [milestone id]
    campaigns: list = field(default_factory=list)
    visits: list = field(default_factory=list)

    def bulk(self, model: type[models.Model], rows: list, *, name: str | None = None) -> list:
        if connection.vendor == "postgresql":
            for start in range(0, len(rows), self.config.batch_size * 5):
                copy_rows(model, rows[start : start + self.config.batch_size * 5])
        else:
            model.objects.bulk_create(rows, batch_size=self.config.batch_size)
        self.report.add(name or model._meta.label, len(rows))
        return rows


def _copy_text(value) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()
    else:
        value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def copy_rows(model: type[models.Model], rows: list) -> None:
    """bulk_create through PostgreSQL's COPY: ten times faster at this size. The primary keys are
    taken from the table's sequence first and set on the instances, as bulk_create would."""
    if not rows:
        return
    meta = model._meta
    fields = meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        now = timezone.now()
        lines = []
        for obj, pk in zip(rows, ids, strict=True):
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
            obj.pk = pk
            values = []
            for f in fields:
                value = getattr(obj, f.attname)
                if value is None and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)):
                    value = now
                    setattr(obj, f.attname, now)
                values.append(_copy_text(value))
            obj._state.adding = False
            obj._state.db = connection.alias
            lines.append("\t".join(values))
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN",
            io.StringIO("\n".join(lines) + "\n"),
        )


# --- Parts -------------------------------------------------------------------------------------------


def _organisation(w: World) -> None:
    cfg = w.config
    rng = _rng(cfg, "organisation")
    n_parks = max(2, min(len(COUNTIES) * len(PARK_KINDS), cfg.projects // 150))
    park_names = [
        f"{COUNTIES[i % len(COUNTIES)]}{PARK_KINDS[i // len(COUNTIES) % len(PARK_KINDS)]}" for i in range(n_parks)
    ]
    park_names = _unique_names(Park, "name", park_names)
    committee_names = _unique_names(Department, "name", [f"{p}管委会" for p in park_names])
    created = (cfg.today - datetime.timedelta(days=5 * 365)).replace(day=1)
    stamp = datetime.datetime.combine(created, datetime.time(9), tzinfo=_tz())
    w.committees = w.bulk(
        Department,
        [
            Department(
                name=name,
                short_name=name[:30],
                kind=Department.Kind.PARK_COMMITTEE,
                sort_order=10 + i,
                phone=f"0516-8{rng.randint(1000000, 9999999)}",
                created_at=stamp,
                updated_at=stamp,
            )
            for i, name in enumerate(committee_names)
        ],
    )
    w.parks = w.bulk(
        Park,
        [
            Park(
                name=name,
                short_name=name[:30],
                level=rng.choice(["国家级", "省级", "市级"]),
                committee=committee,
                sort_order=10 + i,
                created_at=stamp,
                updated_at=stamp,
            )
            for i, (name, committee) in enumerate(zip(park_names, w.committees, strict=True))
        ],
    )
    names = [f"市{d}" for d in GOVERNMENT_DEPARTMENTS] + [f"市{u}" for u in UTILITIES] + [SUPERVISION_OFFICE]
    kinds = (
        [Department.Kind.GOVERNMENT] * len(GOVERNMENT_DEPARTMENTS)
        + [Department.Kind.UTILITY] * len(UTILITIES)
        + [Department.Kind.OTHER]
    )
    names = _unique_names(Department, "name", names)
    rows = w.bulk(
        Department,
        [
            Department(name=n, short_name=n[:30], kind=k, sort_order=100 + i, created_at=stamp, updated_at=stamp)
            for i, (n, k) in enumerate(zip(names, kinds, strict=True))
        ],
    )
    w.supervision = rows[-1]
    w.departments = rows[:-1]

    # People: a few leaders and supervisors, handlers in every department, staff, project officials.
    n = cfg.users
    leaders = max(3, n // 40)
    supervisors = max(3, n // 30)
    staff = max(4, n * 3 // 10)
    officials_n = max(2, n // 8)
    handlers = max(len(w.departments) + len(w.committees), n - leaders - supervisors - staff - officials_n)
    plan = (
        [(Role.LEADER, None)] * leaders
        + [(Role.SUPERVISOR, w.supervision)] * supervisors
        + [(Role.HANDLER, d) for d in (w.departments + w.committees)]
        + [
            (Role.HANDLER, rng.choice(w.departments + w.committees))
            for _ in range(handlers - len(w.departments) - len(w.committees))
        ]
        + [(Role.STAFF, None)] * staff
        + [(Role.OFFICIAL, None)] * officials_n
    )
    password = make_password(cfg.password) if cfg.password else make_password(None)
    usernames = _unique_names(User, "username", [f"gs{cfg.seed}-{i:06d}" for i in range(len(plan))])
    users = w.bulk(
        User,
        [
            User(username=u, email=f"{u}@example.com", password=password, is_active=True, date_joined=stamp)
            for u in usernames
        ],
        name="users",
    )
    with historic_timestamps(Official):
        officials = w.bulk(
            Official,
            [
                Official(
                    user=user,
                    name=_person(rng),
                    title=rng.choice(TITLES[role]),
                    department=dept
                    if dept is not None
                    else (rng.choice(w.committees) if role == Role.OFFICIAL else None),
                    phone=f"13{rng.randint(100000000, 999999999)}",
                    role=role,
                    created_at=stamp,
                    updated_at=stamp,
                )
                for user, (role, dept) in zip(users, plan, strict=True)
            ],
        )
    for official in officials:
        w.officials.setdefault(official.role, []).append(official)
        if official.role == Role.HANDLER:
            w.handlers_by_department.setdefault(official.department_id, []).append(official)
    heads = []
    for dept in w.departments + w.committees:
        dept.head = w.handlers_by_department[dept.pk][0]
        heads.append(dept)
    w.supervision.head = w.officials[Role.SUPERVISOR][0]
    Department.objects.bulk_update([*heads, w.supervision], ["head"], batch_size=cfg.batch_size)


def _enterprises(w: World) -> None:
    cfg = w.config
    rng = _rng(cfg, "enterprises")
    leaders = w.officials[Role.LEADER]
    for i, (chain_name, segment_names) in enumerate(CHAINS.items()):
        chain, _created = IndustryChain.objects.get_or_create(
            name=chain_name, defaults={"chief": leaders[i % len(leaders)], "sort_order": 10 + i}
        )
        for j, segment_name in enumerate(segment_names):
            segment, _created = ChainSegment.objects.get_or_create(
                chain=chain,
                name=segment_name,
                defaults={"position": list(ChainSegment.Position)[j % 4], "sort_order": 10 + j},
            )
            w.segments.append((chain_name, segment))
    chain_names = list(CHAINS)
    names, chains = [], []
    for i in range(cfg.enterprises):
        chain = chain_names[i % len(chain_names)]
        county = COUNTIES[(i // len(chain_names)) % len(COUNTIES)]
        brand = BRAND_WORDS[i % len(BRAND_WORDS)] + BRAND_WORDS[(i // len(BRAND_WORDS) + 7) % len(BRAND_WORDS)]
        round_ = i // (len(chain_names) * len(COUNTIES) * 2)
        suffix = f"第{round_ + 1}" if round_ else ""
        names.append(f"{county}{brand}{rng.choice(INDUSTRY_WORDS[chain])}{suffix}有限公司")
        chains.append(chain)
    names = _unique_names(Enterprise, "name", names)
    taken_codes = set(Enterprise.objects.values_list("credit_code", flat=True))
    offset = cfg.seed * 10_000_000
    rows = []
    for i, (name, chain) in enumerate(zip(names, chains, strict=True)):
        index = offset + i
        code = credit_code(index)
        while code in taken_codes:
            index += 1_000_000_000
            code = credit_code(index)
        taken_codes.add(code)
        short = name.removesuffix("有限公司")[len(name) // 4 :][:50] or name[:50]
        created = datetime.datetime.combine(
            cfg.today - datetime.timedelta(days=rng.randint(200, 5 * 365)), datetime.time(9), tzinfo=_tz()
        )
        rows.append(
            Enterprise(
                name=name,
                short_name=short,
                # Enterprise.save() derives these; bulk_create does not call it.
                name_initials=pinyin_initials(short) + " " + pinyin_initials(name),
                credit_code=code,
                park=rng.choice(w.parks),
                industry=chain,
                is_key=rng.random() < 0.15,
                contact_name=_person(rng),
                contact_phone=f"13{rng.randint(100000000, 999999999)}",
                address=f"{name[:4]}大道{rng.randint(1, 999)}号",
                created_at=created,
                updated_at=created,
            )
        )
    with historic_timestamps(Enterprise):
        enterprises = w.bulk(Enterprise, rows)
    by_chain = {}
    for chain_name, segment in w.segments:
        by_chain.setdefault(chain_name, []).append(segment)
    through = Enterprise.segments.through
    links = []
    for enterprise, chain in zip(enterprises, chains, strict=True):
        for segment in rng.sample(by_chain[chain], k=rng.choice((1, 1, 2))):
            links.append(through(enterprise_id=enterprise.pk, chainsegment_id=segment.pk))
        w.enterprises.append((enterprise, chain))
    w.bulk(through, links, name="enterprise segments")

    # Service teams of three staff, each serving about 20 enterprises (the key ones first).
    staff = w.officials[Role.STAFF]
    n_teams = max(1, min(len(staff) // 2, cfg.enterprises // 20 or 1))
    team_names = _unique_names(ServiceTeam, "name", [f"重点企业服务专班{i + 1:03d}" for i in range(n_teams)])
    teams = w.bulk(
        ServiceTeam,
        [
            ServiceTeam(name=name, lead=staff[i % len(staff)], stationed=rng.random() < 0.3)
            for i, name in enumerate(team_names)
        ],
    )
    members, served = [], []
    for i, team in enumerate(teams):
        people = [staff[(i + k * n_teams) % len(staff)] for k in range(3)]
        w.staff_by_team[team.pk] = list({p.pk: p for p in people}.values())
        members += [
            ServiceTeam.members.through(serviceteam_id=team.pk, official_id=p.pk) for p in w.staff_by_team[team.pk]
        ]
    for i, (enterprise, _chain) in enumerate(w.enterprises):
        team = teams[i % n_teams]
        w.teams_by_enterprise[enterprise.pk] = team
        served.append(ServiceTeam.enterprises.through(serviceteam_id=team.pk, enterprise_id=enterprise.pk))
    w.bulk(ServiceTeam.members.through, members, name="team members")
    w.bulk(ServiceTeam.enterprises.through, served, name="enterprises served")


def _stage_path(stage: str, rng: random.Random) -> list[str]:
    """The stages a project went through to reach `stage` (a stopped one stopped on the way)."""
    if stage == Stage.STOPPED:
        reached = rng.randint(1, STAGE_ORDER.index(Stage.UNDER_CONSTRUCTION))
        return [s.value for s in STAGE_ORDER[: reached + 1]] + [Stage.STOPPED.value]
    return [s.value for s in STAGE_ORDER[: STAGE_ORDER.index(stage) + 1]]


def _projects(w: World) -> None:
    cfg = w.config
    rng = _rng(cfg, "projects")
    today = cfg.today
    existing_codes = Project.objects.filter(code__startswith=f"{CODE_PREFIX}{cfg.seed}-").exists()
    if existing_codes:
        raise GenerationRefused(f"Projects of seed {cfg.seed} exist already: use another seed.")
    stages, weights = zip(*STAGE_WEIGHTS.items(), strict=True)
    by_chain = {}
    for chain_name, segment in w.segments:
        by_chain.setdefault(chain_name, []).append(segment)
    leaders = w.officials[Role.LEADER]
    project_officials = w.officials.get(Role.OFFICIAL) or w.officials[Role.STAFF]
    # About one project in twelve is a parent with one or two phases (sub-items) after it.
    plan: list[tuple[int, int | None, str]] = []  # (index, parent index, phase label)
    i = 0
    while len(plan) < cfg.projects:
        plan.append((i, None, ""))
        parent = i
        i += 1
        if rng.random() < 1 / 12:
            for phase in ("一期", "二期", "三期")[: rng.choice((1, 2, 2, 3))]:
                if len(plan) >= cfg.projects:
                    break
                plan.append((i, parent, phase))
                i += 1
    rows, histories = {}, {}
    for index, parent, phase in plan:
        if parent is None:
            enterprise, chain = w.enterprises[rng.randrange(len(w.enterprises))]
        else:
            enterprise, chain = rows[parent][0].enterprise, rows[parent][1]
        stage = rng.choices(stages, weights)[0]
        path = _stage_path(stage, rng)
        # Walk the stages from years back to a recent change; each move some months after the last.
        start_day = today - datetime.timedelta(days=rng.randint(60, 5 * 365))
        step_days = max(20, (today - start_day).days // max(1, len(path)))
        days, day = [], start_day
        for _s in path:
            days.append(day)
            day = min(today, day + datetime.timedelta(days=rng.randint(step_days // 2, step_days)))
        product = rng.choice(PRODUCTS[chain])
        kind = rng.choice(PROJECT_KINDS)
        name = kind.format(n=rng.choice((5, 10, 20, 30, 50, 100)), p=product)
        if phase:
            name = f"{rows[parent][0].name}（{phase}）"
        total = (
            Decimal(rng.choice((3000, 5000, 8000, 12000, 20000, 50000, 100000, 200000)))
            * Decimal(rng.randint(5, 20))
            / 10
        )
        planned_start = (
            days[min(len(days) - 1, 3)] if len(days) > 3 else today + datetime.timedelta(days=rng.randint(30, 300))
        )
        planned_completion = planned_start + datetime.timedelta(days=rng.randint(300, 1100))
        created = datetime.datetime.combine(days[0], datetime.time(10), tzinfo=_tz())
        project = Project(
            code=f"{CODE_PREFIX}{cfg.seed}-{today.year}-{index + 1:06d}",
            name=name[:200],
            name_initials=pinyin_initials(name[:200]),
            enterprise=enterprise,
            park_id=enterprise.park_id,
            segment=rng.choice(by_chain[chain]),
            level=rng.choices(list(Level), (1, 3, 6))[0],
            total_investment=total.quantize(Decimal("0.01")),
            planned_start=planned_start,
            planned_completion=planned_completion,
            phase_label=phase,
            construction_content=f"建设{product}生产车间、仓库及配套设施，总建筑面积约{rng.randint(2, 40)}万平方米。",
            assigned_leader=rng.choice(leaders),
            responsible_unit=next(c for p, c in zip(w.parks, w.committees, strict=True) if p.pk == enterprise.park_id),
            responsible_official=rng.choice(project_officials),
            service_team=w.teams_by_enterprise.get(enterprise.pk),
            is_key=rng.random() < 0.12,
            key_label=f"{rng.randint(1, 9)}号产业" if rng.random() < 0.03 else "",
            stage=path[-1],
            stage_changed_on=days[-1],
            stopped_reason=rng.choice(STOP_REASONS) if path[-1] == Stage.STOPPED else "",
            created_at=created,
            updated_at=datetime.datetime.combine(days[-1], datetime.time(16), tzinfo=_tz()),
        )
        rows[index] = (project, chain, parent)
        histories[index] = list(zip(path, days, strict=True))
    ordered = [rows[index] for index, _p, _l in plan]
    with historic_timestamps(Project):
        parents = [p for p, _c, parent in ordered if parent is None]
        w.bulk(Project, parents)
        for project, _chain, parent in ordered:
            if parent is not None:
                project.parent = rows[parent][0]
        w.bulk(Project, [p for p, _c, parent in ordered if parent is not None])
    w.projects = [p for p, _c, _parent in ordered]
    leaders_users = [o.user_id for o in leaders]
    changes = []
    for index, _parent, _label in plan:
        project = rows[index][0]
        previous = ""
        for stage, day in histories[index]:
            changes.append(
                StageChange(
                    project=project,
                    from_stage=previous,
                    to_stage=stage,
                    changed_on=day,
                    reason=project.stopped_reason if stage == Stage.STOPPED else "",
                    changed_by_id=rng.choice(leaders_users),
                    recorded_at=datetime.datetime.combine(day, datetime.time(17), tzinfo=_tz()),
                )
            )
            previous = stage
        if len(changes) >= cfg.batch_size * 5:
            with historic_timestamps(StageChange):
                w.bulk(StageChange, changes)
            changes = []
    with historic_timestamps(StageChange):
        w.bulk(StageChange, changes)


def _reports_targets_milestones(w: World) -> None:
    cfg = w.config
    rng = _rng(cfg, "progress")
    today = cfg.today
    started = set(Stage.started_values())
    reports, targets, milestones = [], [], []
    submitters = [o.user_id for o in w.officials.get(Role.OFFICIAL) or w.officials[Role.STAFF]]

    def flush(final: bool = False) -> None:
        nonlocal reports, targets, milestones
        if final or len(reports) + len(milestones) >= cfg.batch_size * 5:
            with historic_timestamps(ProgressReport, AnnualTarget, Milestone):
                w.bulk(ProgressReport, reports)
                w.bulk(AnnualTarget, targets)
                w.bulk(Milestone, milestones)
            for m in milestones:
                w.milestones_by_project.setdefault(m.project_id, []).append(m)
            reports, targets, milestones = [], [], []

    for project in w.projects:
        built = project.stage in started or (project.stage == Stage.STOPPED and project.planned_start < today)
        # Monthly reports: the last `reports_per_project` months (one in ten skips last month).
        if built and cfg.reports_per_project:
            first = max(_month_start(project.planned_start), _month_start(today, cfg.reports_per_project))
            skip_last = rng.random() < 0.1 or project.stage == Stage.STOPPED
            months = []
            back = 1 if not skip_last else 2
            while True:
                month = _month_start(today, back)
                if month < first or len(months) >= cfg.reports_per_project:
                    break
                months.append(month)
                back += 1
            months.reverse()
            monthly = project.total_investment / Decimal(max(24, len(months) * 2))
            percent = 0
            for month in months:
                percent = min(100, percent + rng.randint(1, 9))
                filed = min(today, _month_start(month, -1) + datetime.timedelta(days=rng.randint(0, 6)))
                at = datetime.datetime.combine(filed, datetime.time(8), tzinfo=_tz())
                reports.append(
                    ProgressReport(
                        project=project,
                        month=month,
                        investment=(monthly * Decimal(rng.randint(50, 150)) / 100).quantize(Decimal("0.01")),
                        physical_progress=f"{month:%Y年%m月}完成主体工程{percent}%，设备采购按计划推进。",
                        percent_complete=percent,
                        next_steps="加快主体施工，推进设备安装。",
                        problems=rng.choice(("", "", "", "施工用电容量不足", "部分设备到货延迟")),
                        submitted_by_id=rng.choice(submitters),
                        created_at=at,
                        updated_at=at,
                    )
                )
        # Annual targets: this year and last for projects under way or signed.
        if project.stage not in (Stage.PLANNED, Stage.NEGOTIATING):
            for year in (today.year - 1, today.year):
                planned = (project.total_investment * Decimal(rng.randint(20, 45)) / 100).quantize(Decimal("0.01"))
                at = datetime.datetime.combine(datetime.date(year, 1, 15), datetime.time(9), tzinfo=_tz())
                targets.append(
                    AnnualTarget(
                        project=project,
                        year=year,
                        planned_investment=planned,
                        first_half_investment=(planned * Decimal(rng.randint(35, 55)) / 100).quantize(Decimal("0.01")),
                        target_start=project.planned_start if project.planned_start.year == year else None,
                        target_completion=project.planned_completion
                        if project.planned_completion.year == year
                        else None,
                        output_value_target=(planned * 2).quantize(Decimal("0.01"))
                        if project.stage in Stage.production_values()
                        else None,
                        created_at=at,
                        updated_at=at,
                    )
                )
        # Milestones spread over the project's plan; those past mostly met, a few overdue.
        n = cfg.milestones_per_project
        span = max(n, (project.planned_completion - project.planned_start).days)
        responsible = project.responsible_official
        for k in range(n):
            due = project.planned_start + datetime.timedelta(days=span * (k + 1) // (n + 1) + rng.randint(-10, 10))
            completed_on = None
            if due < today and project.stage != Stage.STOPPED and rng.random() < 0.85:
                completed_on = min(today, due + datetime.timedelta(days=rng.randint(-20, 15)))
            elif due >= today and rng.random() < 0.1:
                completed_on = today - datetime.timedelta(days=rng.randint(0, 10))
            at = project.created_at
            milestones.append(
                Milestone(
                    project=project,
                    title=MILESTONE_TITLES[k % len(MILESTONE_TITLES)]
                    + ("" if k < len(MILESTONE_TITLES) else f"（{k + 1}）"),
                    due_date=due,
                    responsible=responsible,
                    completed_on=completed_on,
                    evidence="现场核实，资料齐全。" if completed_on else "",
                    completed_by_id=responsible.user_id if completed_on else None,
                    sort_order=10 * (k + 1),
                    created_at=at,
                    updated_at=at,
                )
            )
        flush()
    flush(final=True)


def _campaigns(w: World) -> None:
    """Campaigns of 100 days back from today (the last around today), each with a third of the
    projects; the milestones of its projects inside its window belong to it."""
    cfg = w.config
    if not cfg.campaigns:
        return
    rng = _rng(cfg, "campaigns")
    names = [
        f"{(cfg.today - datetime.timedelta(days=120 * i)).year}年{['招商引资和项目建设“百日攻坚”行动', '重大项目“开工季”专项行动', '项目建设“比学赶超”行动', '重点项目“秋冬会战”行动'][i % 4]}"
        for i in range(cfg.campaigns)
    ]
    names = _unique_names(Campaign, "name", names)
    rows = []
    for i, name in enumerate(names):
        start = cfg.today - datetime.timedelta(days=120 * i + 40)
        rows.append(
            Campaign(
                name=name[:200],
                start_date=start,
                end_date=start + datetime.timedelta(days=99),
                goals="新开工项目、新签约项目、完成投资三项指标全面超额完成。",
                goal_projects_to_start=max(1, cfg.projects // 20),
                goal_projects_to_sign=max(1, cfg.projects // 25),
                goal_investment=Decimal(cfg.projects * 800),
            )
        )
    w.campaigns = w.bulk(Campaign, rows)
    through = Campaign.projects.through
    links, updated = [], []
    for campaign in w.campaigns:
        members = rng.sample(w.projects, k=max(1, len(w.projects) // 3))
        links += [through(campaign_id=campaign.pk, project_id=p.pk) for p in members]
        for project in members:
            for m in w.milestones_by_project.get(project.pk, []):
                if m.campaign_id is None and campaign.start_date <= m.due_date <= campaign.end_date:
                    m.campaign_id = campaign.pk
                    updated.append(m)
    w.bulk(through, links, name="campaign projects")
    Milestone.objects.bulk_update(updated, ["campaign"], batch_size=cfg.batch_size)


def _time_limits() -> dict[tuple[str, str], tuple[int, int, int]]:
    table = {
        (r.category, r.urgency): (r.assign_days, r.response_days, r.resolution_days)
        for r in TimeLimitRule.objects.all()
    }
    for category in Category.values:
        for urgency in Urgency.values:
            table.setdefault((category, urgency), default_time_limits(category, urgency))
    return table


class _Life:
    """One issue's walk through the workflow: the issue's fields and its events."""

    def __init__(self, w: World, issue: Issue, rng: random.Random, now: datetime.datetime):
        self.w, self.issue, self.rng, self.now = w, issue, rng, now
        self.events: list[IssueEvent] = []
        self.co: list[Department] = []
        self.cursor = issue.raised_at

    def later(self) -> datetime.datetime:
        """The moment of the next step: some working days after the last, never after now."""
        days = self.rng.choice((0, 1, 1, 2, 3, 5, 8))
        day = self.w.calendar.add_working_days(local_date(self.cursor), days)[0] if days else local_date(self.cursor)
        moment = _at(day, self.rng)
        if moment <= self.cursor:
            moment = self.cursor + datetime.timedelta(minutes=self.rng.randint(5, 90))
        # Squeeze a walk that would run past now into the time left.
        if moment >= self.now:
            moment = self.cursor + (self.now - self.cursor) / 3
        self.cursor = moment
        return moment

    def event(self, action: str, from_status: str, to_status: str, by_user_id: int, at, note: str = "", data=None):
        self.events.append(
            IssueEvent(
                issue=self.issue,
                actor_id=by_user_id,
                at=at,
                action=action,
                from_status=from_status,
                to_status=to_status,
                note=note,
                data={k: v for k, v in (data or {}).items() if v not in (None, "", [])},
            )
        )

    def fire(self, action: str, by: Official, note: str = "", **effect_args) -> None:
        issue = self.issue
        transition = workflow.TRANSITIONS[action]
        assert issue.status in transition.from_states, (action, issue.status)
        at = self.later()
        from_status = issue.status
        data: dict = {}
        if action in ("assign", "reassign"):
            dept = effect_args["lead_department"]
            before = issue.lead_department.name if issue.lead_department_id else None
            issue.lead_department = dept
            issue.handler = effect_args.get("handler")
            self.co = effect_args.get("co_departments", [])
            data = {
                "lead_department": [before, dept.name] if before else dept.name,
                "co_departments": [d.name for d in self.co],
                "handler": str(issue.handler) if issue.handler else None,
            }
        elif action == "acknowledge":
            issue.acknowledged_at = issue.acknowledged_at or at
            issue.handler = issue.handler or by
            data = {"handler": str(issue.handler)}
        elif action == "resolve":
            issue.outcome = effect_args["outcome"]
            issue.resolution = note
            issue.resolved_at = at
            issue.working_days_to_resolve = self.w.calendar.working_days_between(
                local_date(issue.raised_at), local_date(at)
            )
            issue.handler = issue.handler or by
            data = {"outcome": issue.outcome, "working_days": issue.working_days_to_resolve}
        elif action == "return":
            data = {"lead_department": issue.lead_department.name}
            issue.lead_department = None
            issue.handler = None
            self.co = []
        elif action == "confirm":
            issue.satisfaction = effect_args["satisfaction"]
            issue.closed_at = at
            data = {"satisfaction": issue.satisfaction}
        elif action == "reopen":
            data = {"previous_outcome": issue.outcome, "previous_result": issue.resolution}
            issue.satisfaction = Satisfaction.UNSATISFIED
            issue.resolved_at = None
            issue.outcome = ""
            issue.resolution = ""
            issue.working_days_to_resolve = None
            issue.reopened_count += 1
            issue.resolution_counted_from = local_date(at)
            if not issue.deadline_explicit:
                for name, value in deadlines.computed_deadlines(issue, self.w.calendar).items():
                    setattr(issue, name, value)
                data["resolution_deadline"] = issue.resolution_deadline.isoformat()
        elif action == "resolve_on_spot":
            issue.outcome = Outcome.SOLVED
            issue.resolution = note
            issue.acknowledged_at = issue.acknowledged_at or at
            issue.resolved_at = at
            issue.closed_at = at
            issue.satisfaction = effect_args.get("satisfaction", "")
            issue.working_days_to_resolve = self.w.calendar.working_days_between(
                local_date(issue.raised_at), local_date(at)
            )
            data = {"satisfaction": issue.satisfaction}
        elif action == "escalate":
            issue.escalated = True
            issue.escalated_at = at
        if transition.to_status is not None:
            issue.status = transition.to_status
        if transition.changes_issue:
            issue.version += 1
        issue.updated_at = at
        self.event(action, from_status, issue.status, by.user_id, at, note=note, data=data)


def _issues(w: World) -> None:
    cfg = w.config
    if not cfg.issues:
        return
    rng = _rng(cfg, "issues")
    today = cfg.today
    now = min(timezone.now(), datetime.datetime.combine(today, datetime.time(18), tzinfo=_tz()))
    if local_date(now) != today:
        now = datetime.datetime.combine(today, datetime.time(18), tzinfo=_tz())
    limits = _time_limits()
    lives, life_weights = [(name, steps) for name, steps, _w in LIVES], [wt for _n, _s, wt in LIVES]
    supervisors = w.officials[Role.SUPERVISOR]
    leaders = w.officials[Role.LEADER]
    lead_departments = w.departments + w.committees
    categories = Category.values
    urgencies, urgency_weights = Urgency.values, (80, 15, 5)
    projects = w.projects
    event_ct = ContentType.objects.get_for_model(IssueEvent)
    labels = {name: str(t.event_label) for name, t in workflow.TRANSITIONS.items()}

    # Site visits: one per 50 issues, with a leader, a few projects; some issues are their instructions.
    n_visits = max(1, cfg.issues // 50)
    visits = []
    for _i in range(n_visits):
        day = today - datetime.timedelta(days=rng.randint(1, 3 * 365))
        visits.append(
            Visit(
                date=day,
                attendees="市发改委、自然资源和规划局、住建局、园区管委会",
                location=f"{rng.choice(w.parks).name}",
                summary="现场察看项目建设进度，协调解决企业反映的问题。",
                created_by_id=supervisors[0].user_id,
                created_at=_at(day, rng),
                updated_at=_at(day, rng),
            )
        )
    with historic_timestamps(Visit):
        w.bulk(Visit, visits)
    visit_leaders, visit_projects = [], []
    for visit in visits:
        visit_leaders.append(Visit.leaders.through(visit_id=visit.pk, official_id=rng.choice(leaders).pk))
        for project in rng.sample(projects, k=min(3, len(projects))):
            visit_projects.append(Visit.projects.through(visit_id=visit.pk, project_id=project.pk))
    w.bulk(Visit.leaders.through, visit_leaders, name="visit leaders")
    w.bulk(Visit.projects.through, visit_projects, name="visit projects")
    w.visits = visits

    made = 0
    while made < cfg.issues:
        chunk = min(cfg.batch_size, cfg.issues - made)
        built: list[_Life] = []
        for _k in range(chunk):
            life_name, steps = rng.choices(lives, life_weights)[0]
            project = rng.choice(projects) if rng.random() < 0.85 else None
            enterprise = project.enterprise if project else w.enterprises[rng.randrange(len(w.enterprises))][0]
            team = w.teams_by_enterprise.get(enterprise.pk)
            staff = w.staff_by_team.get(team.pk) if team else None
            category = rng.choice(categories)
            urgency = rng.choices(urgencies, urgency_weights)[0]
            instruction = life_name == "instruction"
            visit = rng.choice(visits) if instruction and rng.random() < 0.5 else None
            raiser = (
                rng.choice(leaders + supervisors)
                if instruction
                else (rng.choice(staff) if staff else rng.choice(supervisors))
            )
            # Open lives are recent (so that some are overdue and some not); closed ones span years.
            age = rng.randint(0, 45) if life_name in OPEN_LIVES else rng.randint(20, 3 * 365)
            raised_day = today - datetime.timedelta(days=age)
            raised_at = _at(raised_day, rng)
            if raised_at >= now:
                raised_at = now - datetime.timedelta(hours=rng.randint(1, 8))
                raised_day = local_date(raised_at)
            assign_days, response_days, resolution_days = limits[(category, urgency)]
            text = rng.choice(ISSUE_TEXTS[category])
            milestone_ids = w.milestones_by_project.get(project.pk, []) if project else []
            issue = Issue(
                enterprise=enterprise,
                project=project,
                source=Source.SITE_VISIT
                if visit
                else (
                    Source.LEADER_INSTRUCTION
                    if instruction
                    else rng.choice((Source.SERVICE_TEAM, Source.SERVICE_TEAM, Source.ENTERPRISE))
                ),
                category=category,
                urgency=urgency,
                title=text[:200],
                description=f"{enterprise.short_name or enterprise.name}反映：{text}，影响项目建设进度，请协调解决。",
                raised_by_id=raiser.user_id,
                raised_at=raised_at,
                visit=visit,
                blocks_milestone=rng.choice(milestone_ids) if milestone_ids and rng.random() < 0.1 else None,
                assign_days=assign_days,
                response_days=response_days,
                resolution_days=None if instruction else resolution_days,
                resolution_counted_from=raised_day,
                deadline_explicit=instruction,
                status=Status.NEW,
                version=1,
                created_at=raised_at,
                updated_at=raised_at,
            )
            if instruction:
                issue.resolution_deadline = end_of_day(w.calendar.add_working_days(raised_day, rng.randint(5, 20))[0])
            for name, value in deadlines.computed_deadlines(issue, w.calendar).items():
                setattr(issue, name, value)
            life = _Life(w, issue, rng, now)
            life.event(
                "raise",
                "",
                Status.NEW,
                raiser.user_id,
                raised_at,
                note=issue.description,
                data={"source": issue.source, "photos": 0},
            )
            if instruction:
                # issue_create assigns a leader's instruction at once: the same two events.
                dept = rng.choice(lead_departments)
                issue.lead_department = dept
                issue.status = Status.ASSIGNED
                life.event(
                    "assign",
                    Status.NEW,
                    Status.ASSIGNED,
                    raiser.user_id,
                    raised_at,
                    data={"lead_department": dept.name, "deadline": local_date(issue.resolution_deadline).isoformat()},
                )
            supervisor = rng.choice(supervisors)
            for action in steps:
                dept = issue.lead_department or rng.choice(lead_departments)
                dept_handlers = w.handlers_by_department[dept.pk]
                handler = issue.handler or rng.choice(dept_handlers)
                if action == "assign":
                    co = [d for d in rng.sample(lead_departments, k=1) if d.pk != dept.pk] if rng.random() < 0.2 else []
                    life.fire(
                        "assign",
                        supervisor,
                        lead_department=dept,
                        handler=rng.choice(dept_handlers) if rng.random() < 0.5 else None,
                        co_departments=co,
                    )
                elif action == "return":
                    life.fire("return", handler, note="不属于本部门职责范围，退回重新交办。")
                elif action == "acknowledge":
                    life.fire("acknowledge", handler, note="已收到，正在对接企业。")
                elif action == "respond":
                    life.fire("respond", handler, note="已现场对接，正在协调相关部门。")
                elif action == "resolve":
                    outcome = Outcome.UNSOLVABLE if rng.random() < 0.06 else Outcome.SOLVED
                    note = "已协调解决。" if outcome == Outcome.SOLVED else "受政策限制暂无法解决，已向企业解释。"
                    life.fire("resolve", handler, note=note, outcome=outcome)
                elif action == "confirm":
                    satisfaction = rng.choices((Satisfaction.SATISFIED, Satisfaction.BASICALLY), (80, 20))[0]
                    life.fire("confirm", raiser, satisfaction=satisfaction)
                elif action == "reopen":
                    life.fire("reopen", raiser, note="企业反映问题仍未解决。")
                elif action == "resolve_on_spot":
                    life.fire("resolve_on_spot", raiser, note="现场协调解决。", satisfaction=Satisfaction.SATISFIED)
            if issue.status in Status.open_values() and rng.random() < 0.08:
                life.fire("escalate", supervisor, note="逾期未办结，转督办。")
            if rng.random() < 0.1:
                life.fire("comment", supervisor, note="请加快办理进度。")
            built.append(life)
        with historic_timestamps(Issue, IssueEvent):
            w.bulk(Issue, [life.issue for life in built])
            co_rows = [
                Issue.co_departments.through(issue_id=life.issue.pk, department_id=d.pk)
                for life in built
                for d in life.co
            ]
            w.bulk(Issue.co_departments.through, co_rows, name="issue co-departments")
            events = [e for life in built for e in life.events]
            for e in events:
                e.issue_id = e.issue.pk
            w.bulk(IssueEvent, events)
        notices = []
        for life in built:
            issue = life.issue
            for e in life.events:
                if e.action in ("raise", "comment") or e.actor_id == issue.raised_by_id:
                    continue
                notices.append(
                    Notification(
                        recipient_id=issue.raised_by_id,
                        content_type_id=event_ct.pk,
                        object_id=e.pk,
                        kind=Kind.ISSUE_EVENT,
                        due_date=local_date(issue.resolution_deadline),
                        step=0,
                        title=f"#{issue.pk} {issue.title}"[:300],
                        body=f"{labels[e.action]}：{e.note or issue.title}"[:1000],
                        link=f"/issues/{issue.pk}/",
                        created_at=e.at,
                        read_at=e.at + datetime.timedelta(hours=4) if e.at < now - datetime.timedelta(days=7) else None,
                    )
                )
        with historic_timestamps(Notification):
            w.bulk(Notification, notices)
        made += chunk
        w.log(f"  issues {made}/{cfg.issues}")


PARTS: list[tuple[str, Callable[[World], None]]] = [
    ("organisation", _organisation),
    ("enterprises", _enterprises),
    ("projects", _projects),
    ("reports, targets, milestones", _reports_targets_milestones),
    ("campaigns", _campaigns),
    ("issues", _issues),
]


def generate(config: ScaleConfig, *, log: Callable[[str], None] = lambda _msg: None) -> Report:
    """Generate the data of `config` in one transaction (all or nothing) and return what was made."""
    report = Report()
    world = World(config=config, report=report, log=log)
    with transaction.atomic():
        for name, part in PARTS:
            started = time.perf_counter()
            part(world)
            report.seconds[name] = round(time.perf_counter() - started, 2)
            log(f"{name}: {report.seconds[name]} s")
    return report


def generated_project_codes(seed: int) -> Iterable[str]:
    return Project.objects.filter(code__startswith=f"{CODE_PREFIX}{seed}-").values_list("code", flat=True)
