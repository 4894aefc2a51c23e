"""The demo world that `python manage.py load_demo` (and so `make run`) builds: the runner's
infrastructure, and the organisation (departments, parks, people and the five logins).

Built from the report of the city party secretary's site visits (shared/seed): 新沂经济开发区,
中新钢铁 (phase II: special steel, waste-heat power, ultra-low emissions), the 100-亿元-plus
水性超纤 project ("1号产业"), 米尔化工 upstream of it, 国家级水性超纤研究院, and the
招商引资和项目建设“百日攻坚”行动 campaign. People are fictional and named by title only.

How it is run
- The command calls the `STEPS` of every installed app that has a `demo` module, in
  INSTALLED_APPS order (core first: this module; then `enterprises/demo.py`, `projects/demo.py`,
  `campaigns/demo.py`, `issues/demo.py`, `notifications/demo.py` …), all in one transaction. It
  finds them by name: core imports no other app. A step is `def step(ctx: DemoContext) -> None`.
- Each app's demo data lives in that app and is written through its services (the rules,
  history and audit trail of the product); only core's own tables (departments, parks,
  officials, users) are written here directly, with `upsert`.
- Steps must be idempotent: look rows up by a natural key, create them through the service when
  missing, else call the update service, which writes only what differs — a second run creates
  nothing and changes nothing.
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

from django.contrib.auth import get_user_model
from django.db import models

from core.models import Department, Official, Park, Role

User = get_user_model()


# --- Context shared by the steps -----------------------------------------------------------------


@dataclass
class DemoContext:
    """What the steps share: today, the demo password, and the rows built so far by natural key.

    Keys: `users` / `officials` by username (e.g. "demo-leader"), `departments` by name,
    `parks` by short name ("经开区", the PARK_* constants below); the other apps' steps fill
    `chains` by name, `segments` by (chain name, segment name), `enterprises` by short name
    ("水性超纤"), `teams` by name (enterprises.demo), `projects` by code (projects.demo) and
    `campaigns` by name (campaigns.demo).
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

    @property
    def supervisor(self):
        """The supervision office's login: the actor of the demo's writes through the services."""
        return self.users["demo-supervisor"]

    def upsert(self, model: type[models.Model], lookup: dict, defaults: dict | None = None, create_only=None):
        return upsert(model, lookup, defaults, create_only)


def _value_differs(instance: models.Model, name: str, value) -> bool:
    fld = instance._meta.get_field(name)
    if fld.is_relation and fld.many_to_one:
        return getattr(instance, fld.attname) != (value.pk if value is not None else None)
    return getattr(instance, name) != value


def upsert(model: type[models.Model], lookup: dict, defaults: dict | None = None, create_only: dict | None = None):
    """Create the row found by `lookup` or bring its `defaults` fields up to date (core's own
    tables only; the other apps' demo rows go through their services).

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


# --- Natural keys other steps may use -------------------------------------------------------------

PARK_JK = "经开区"
PARK_GX = "高新区"
PARK_WL = "物流园"

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


#: Core's steps, in order. Other apps add theirs in `<app>/demo.py` as their own `STEPS`.
STEPS: list[Callable[[DemoContext], None]] = [build_organisation, build_people]
