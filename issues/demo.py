"""Demo issues: the report's site visit with its instructions, and service-team issues, in
several states (see core/demo.py for how steps run; the projects are projects/demo.py's).

The story is replayed through the real services (issue_create, visit_create, issue_transition),
each step at its own moment in the past, so that deadlines, working days, events and the audit
trail are exactly what the product would have recorded. The clock is set for each step by
patching `django.utils.timezone.now` for the duration of that call only; this is demo seeding,
never used by the product itself.

Idempotent: the visit is looked up by its date and location, each service-team issue by its
enterprise and title; what exists is left as it is (a user may have moved it on since).
"""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from unittest import mock

from django.utils import timezone

from core.demo import DemoContext
from issues.models import Category, Issue, Outcome, Satisfaction, Urgency, Visit
from issues.services import issue_create, issue_transition, visit_create
from projects import demo
from projects.models import Milestone

VISIT_LOCATION = "中新钢铁、水性超纤"


@contextmanager
def _clock(day: datetime.date, hour: int = 10):
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    with mock.patch.object(timezone, "now", return_value=moment):
        yield


def _act(issue: Issue, action: str, by, day: datetime.date, hour: int = 10, note: str = "", **payload) -> Issue:
    with _clock(day, hour):
        return issue_transition(issue=issue, action=action, by=by, note=note, **payload)


def _visit_date(ctx: DemoContext) -> datetime.date:
    """The report's 7月4日: this year's if it has passed, else last year's."""
    day = datetime.date(ctx.year, 7, 4)
    return day if day < ctx.today else datetime.date(ctx.year - 1, 7, 4)


# The issue that blocks 水性超纤's 能评 (approvals.demo finds it by this title).
ENERGY_QUOTA_ISSUE = "二期能耗指标落实"


def _milestone(ctx, code: str, title: str) -> Milestone | None:
    return Milestone.objects.filter(project=ctx.projects[code], title=title).first()


def build_site_visit(ctx: DemoContext) -> None:
    visit_day = _visit_date(ctx)
    if Visit.objects.filter(date=visit_day, location=VISIT_LOCATION).exists():
        return
    u, o, d, e, p = ctx.users, ctx.officials, ctx.departments, ctx.enterprises, ctx.projects

    def later(days: int) -> datetime.date:
        # A day after the visit, never later than yesterday (the demo must be in the past).
        return min(visit_day + datetime.timedelta(days=days), ctx.days(-1))

    instructions = [
        {
            "enterprise": e["中新钢铁"],
            "project": p[demo.PROJECT_ZXGT2_STEEL],
            "category": Category.PLANNING,
            "urgency": Urgency.URGENT,
            "title": "加快二期项目建设进度",
            "description": "细化二期项目建设节点，强化投入，确保特钢精品线按期热负荷试车，实现从普钢向优钢、特钢转变。",
            "lead_department": d["住房和城乡建设局"],
            "deadline": later(88),
        },
        {
            "enterprise": e["中新钢铁"],
            "project": p[demo.PROJECT_ZXGT2_EMISSIONS],
            "category": Category.ENVIRONMENTAL_ENERGY,
            "urgency": Urgency.NORMAL,
            "title": "超超低排放改造与余热发电环评能评",
            "description": "坚持生态优先、绿色发展，利用余热发电，推进钢化联产，实现超超低排放；生态环境部门提前介入环评能评。",
            "lead_department": d["生态环境局"],
            "co_departments": [d["发展和改革委员会"]],
            "deadline": later(110),
        },
        {
            "enterprise": e["中新钢铁"],
            "category": Category.SAFETY,
            "urgency": Urgency.NORMAL,
            "title": "安全生产专业化指导",
            "description": "落实部门监管责任，为企业安全生产提供专业化指导，提升生产信息化、智能化、数字化程度，守住安全发展底线。",
            "lead_department": d["应急管理局"],
        },
        {
            "enterprise": e["水性超纤"],
            "project": p[demo.PROJECT_SXCX],
            "category": Category.LABOUR_TALENT,
            "urgency": Urgency.NORMAL,
            "title": "24小时驻企服务与技术工人招聘",
            "description": "项目服务专班24小时驻企服务不打烊；协助企业招聘一线技术工人200名、引进研发人才20名。",
            "lead_department": d["人力资源和社会保障局"],
            "deadline": ctx.days(34),
        },
        {
            "enterprise": e["米尔化工"],
            "project": p[demo.PROJECT_MIER],
            "category": Category.APPROVAL,
            "urgency": Urgency.URGENT,
            "title": "米尔化工建设工程规划许可加快办理",
            "description": "对米尔化工等水性超纤上下游产业项目加快服务保障，确保按既定计划推进；规划许可证限时办结。",
            "lead_department": d["自然资源和规划局"],
            "blocks_milestone": _milestone(ctx, demo.PROJECT_MIER, "建设工程规划许可证办理"),
            "deadline": ctx.days(-12),
        },
        {
            "enterprise": e["水性超纤研究院"],
            "project": p[demo.PROJECT_INSTITUTE],
            "category": Category.POLICY,
            "urgency": Urgency.NORMAL,
            "title": "争取国家级研究院创新政策和资金支持",
            "description": "突出抓好国家级水性超纤研究院发展壮大，积极争取创新政策、资金支持，为企业创新发展提供支撑。",
            "lead_department": d["科学技术局"],
        },
    ]
    # Explicit deadlines must lie after the visit day (the service checks it at that date).
    for item in instructions:
        if item.get("deadline") is not None and item["deadline"] <= visit_day:
            item["deadline"] = visit_day + datetime.timedelta(days=30)
    with _clock(visit_day, 17):
        visit = visit_create(
            by=u["demo-supervisor"],
            date=visit_day,
            leaders=[o["demo-leader"], o["demo-executive-vice-mayor"], o["demo-vice-mayor"]],
            location=VISIT_LOCATION,
            attendees="经开区、发改委、工信局、自然资源和规划局、生态环境局、住建局、应急管理局、人社局、科技局主要负责同志",
            summary=(
                "市委书记先后深入中新钢铁、水性超纤现场办公，了解项目推进和招引上下游企业中的困难和问题，"
                "要求以更加强烈的责任感和紧迫感推进招商引资和项目建设“百日攻坚”行动，确保企业事事有回音、件件有落实。"
            ),
            enterprises=[e["中新钢铁"], e["水性超纤"], e["米尔化工"], e["水性超纤研究院"]],
            projects=[p[demo.PROJECT_ZXGT2], p[demo.PROJECT_SXCX]],
            instructions=instructions,
        )
    issues = {issue.title: issue for issue in visit.instructions.all()}
    sup = u["demo-supervisor"]

    # 1. Phase II speed-up: answered, done on time, confirmed satisfied (销号).
    issue = issues["加快二期项目建设进度"]
    housing = u["demo-housing-handler"]
    issue = _act(issue, "acknowledge", housing, later(2))
    issue = _act(issue, "respond", housing, later(20), note="已会同经开区倒排二期工期，每周调度一次。")
    issue = _act(
        issue,
        "resolve",
        housing,
        later(80),
        note="二期节点计划已细化下达，轧钢车间钢结构吊装完成。",
        outcome=Outcome.SOLVED,
    )
    _act(issue, "confirm", sup, later(83), note="经现场核实，同意销号。", satisfaction=Satisfaction.SATISFIED)

    # 2. Environmental assessment: done, rated basically satisfied.
    issue = issues["超超低排放改造与余热发电环评能评"]
    eco = u["demo-eco-handler"]
    issue = _act(issue, "acknowledge", eco, later(3))
    issue = _act(
        issue,
        "resolve",
        eco,
        later(100),
        note="余热发电项目环评已批复；超低排放改造环评已受理。",
        outcome=Outcome.SOLVED,
    )
    _act(issue, "confirm", sup, later(104), satisfaction=Satisfaction.BASICALLY, note="超低排放改造批复待跟进。")

    # 3. Safety guidance: done within the default time limit, satisfied.
    issue = issues["安全生产专业化指导"]
    safety = u["demo-safety-handler"]
    issue = _act(issue, "acknowledge", safety, later(1))
    issue = _act(
        issue, "resolve", safety, later(6), note="已组织专家入企开展安全生产专项指导。", outcome=Outcome.SOLVED
    )
    _act(issue, "confirm", sup, later(8), satisfaction=Satisfaction.SATISFIED)

    # 4. Stationed service and recruitment: in progress, deadline ahead.
    issue = issues["24小时驻企服务与技术工人招聘"]
    hr = u["demo-hr-handler"]
    issue = _act(issue, "acknowledge", hr, later(2))
    _act(issue, "respond", hr, ctx.days(-10), note="已举办专场招聘会两场，到岗技术工人126名。")

    # 5. Planning permit for 米尔化工: acknowledged, overdue, escalated (督办); blocks a milestone.
    issue = issues["米尔化工建设工程规划许可加快办理"]
    land = u["demo-handler"]
    issue = _act(issue, "acknowledge", land, later(1))
    issue = _act(issue, "respond", land, ctx.days(-20), note="规划方案已通过技术审查，待专家论证。")
    _act(issue, "escalate", sup, ctx.days(-5), note="已超期，列入督办，请于一周内办结。")

    # 6. Research institute support: assigned, never answered (回音 overdue).


def build_service_team_issues(ctx: DemoContext) -> None:
    u, d, e, p = ctx.users, ctx.departments, ctx.enterprises, ctx.projects
    staff, sup = u["demo-staff"], u["demo-supervisor"]

    def raise_once(by, day: datetime.date, **kwargs) -> Issue | None:
        if Issue.objects.filter(enterprise=kwargs["enterprise"], title=kwargs["title"]).exists():
            return None
        with _clock(day, 9):
            return issue_create(by=by, **kwargs)

    # Land quota: assigned to 自然资源和规划局 and waiting there (in demo-handler's queue).
    issue = raise_once(
        staff,
        ctx.days(-6),
        enterprise=e["水性超纤"],
        project=p[demo.PROJECT_SXCX],
        category=Category.LAND,
        urgency=Urgency.URGENT,
        title="二期用地指标申请",
        description="企业计划二期新增用地约300亩，需提前协调用地指标和土地报批。",
    )
    if issue:
        _act(issue, "assign", sup, ctx.days(-5), lead_department=d["自然资源和规划局"])

    # Water pressure: just logged, waiting to be routed.
    raise_once(
        staff,
        ctx.days(-1),
        enterprise=e["水性超纤"],
        category=Category.WATER_GAS,
        urgency=Urgency.NORMAL,
        title="厂区供水管网压力不足",
        description="夜间生产高峰时段厂区供水压力不足0.2兆帕，影响涂覆线连续生产。",
    )

    # Power for the substation milestone: resolved, waiting for the raiser to confirm.
    issue = raise_once(
        staff,
        ctx.days(-20),
        enterprise=e["水性超纤"],
        project=p[demo.PROJECT_SXCX],
        category=Category.ELECTRICITY,
        urgency=Urgency.CRITICAL,
        title="110千伏专用变电站送电",
        description="专用变电站土建已完成，需供电公司尽快验收送电，否则影响设备调试。",
        blocks_milestone=_milestone(ctx, demo.PROJECT_SXCX, "110千伏专用变电站送电"),
    )
    if issue:
        power = u["demo-power-handler"]
        issue = _act(issue, "assign", sup, ctx.days(-20), 15, lead_department=d["供电公司"])
        issue = _act(issue, "acknowledge", power, ctx.days(-19))
        _act(issue, "resolve", power, ctx.days(-1), note="已完成验收，计划本周送电。", outcome=Outcome.SOLVED)

    # Energy quota: holds up 水性超纤's 能评 (approvals.demo links it to that overdue approval item).
    issue = raise_once(
        staff,
        ctx.days(-40),
        enterprise=e["水性超纤"],
        project=p[demo.PROJECT_SXCX],
        category=Category.ENVIRONMENTAL_ENERGY,
        urgency=Urgency.URGENT,
        title=ENERGY_QUOTA_ISSUE,
        description="二期新增综合能耗约8万吨标准煤，市内能耗指标不足，节能审查需先落实能耗指标来源。",
    )
    if issue:
        _act(issue, "assign", sup, ctx.days(-39), lead_department=d["发展和改革委员会"])

    # Subsidy: returned by the approval bureau as misassigned, back with the supervisors.
    issue = raise_once(
        staff,
        ctx.days(-12),
        enterprise=e["水性超纤"],
        category=Category.POLICY,
        urgency=Urgency.NORMAL,
        title="技术改造补贴兑现",
        description="企业申报的智能化技术改造补贴尚未兑现，请协调兑现时间。",
    )
    if issue:
        issue = _act(issue, "assign", sup, ctx.days(-11), lead_department=d["行政审批局"])
        _act(
            issue,
            "return",
            u["demo-approval-handler"],
            ctx.days(-10),
            note="技改补贴由工业和信息化局牵头兑现，请重新交办。",
        )

    # Railway siding for 中新钢铁: resolved on the spot by its service team.
    issue = raise_once(
        u["demo-steel-staff"],
        ctx.days(-30),
        enterprise=e["中新钢铁"],
        category=Category.LOGISTICS,
        urgency=Urgency.NORMAL,
        title="原料进厂道路临时交通管制",
        description="铁矿石运输车辆进厂道路施工封闭，需临时通行方案。",
    )
    if issue:
        _act(
            issue,
            "resolve_on_spot",
            u["demo-steel-staff"],
            ctx.days(-30),
            14,
            note="专班现场协调交警部门，设置临时通行线路。",
            satisfaction=Satisfaction.SATISFIED,
        )


STEPS = [build_site_visit, build_service_team_issues]
