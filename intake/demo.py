"""Demo intake (see core/demo.py for how steps run): 米尔化工's next expansion submitted by 经开区
and awaiting the supervision office's review, a candidate returned for changes, and this year's
dispatch list (调度库) with the projects under way. Through intake.services, so events and the
audit trail are what the product records.

Idempotent and self-contained: a candidate is looked up by its name, the dispatch list is built
only for projects that have never been moved onto or off this year's list (a user may have
changed it since).
"""

from decimal import Decimal

from core import demo
from enterprises import demo as enterprises_demo
from intake.models import Candidate, DispatchEvent
from intake.services import candidate_create, candidate_transition, dispatch_add
from projects import demo as projects_demo
from projects.models import Stage

MIER_EXPANSION = "米尔化工水性聚氨酯树脂二期扩建项目"
RETURNED = "高新区新型储能电池材料项目"


def build_candidates(ctx: demo.DemoContext) -> None:
    official = ctx.users["demo-official"]
    if not Candidate.objects.filter(name=MIER_EXPANSION).exists():
        candidate_create(
            by=official,
            submit=True,
            note="米尔化工为水性超纤就近配套上游树脂，二期扩能后可满足水性超纤一期全部用量，恳请审核入库。",
            name=MIER_EXPANSION,
            enterprise=ctx.enterprises["米尔化工"],
            park=ctx.parks[demo.PARK_JK],
            segment=ctx.segments[(enterprises_demo.CHAIN_MICROFIBER, "水性聚氨酯树脂")],
            content="新建年产15万吨水性聚氨酯树脂生产线及配套罐区、仓储设施，为水性超纤产业园提供上游原料。",
            total_investment=Decimal("90000"),
            land_area=Decimal("150"),
            energy_tce=Decimal("18000"),
            expected_start=ctx.days(120),
            contact_name="经开区项目服务局",
            contact_phone="0516-8888 0000",
        )
    if not Candidate.objects.filter(name=RETURNED).exists():
        candidate = candidate_create(
            by=ctx.users["demo-supervisor"],
            unit=ctx.departments["新沂高新技术产业开发区管委会"],
            submit=True,
            name=RETURNED,
            enterprise=ctx.enterprises["锂源新能源"],
            park=ctx.parks[demo.PARK_GX],
            content="建设储能电池正负极材料生产线。",
            total_investment=Decimal("150000"),
            land_area=Decimal("200"),
            expected_start=ctx.days(200),
        )
        candidate_transition(
            candidate=candidate,
            action="return",
            by=ctx.users["demo-supervisor"],
            note="请补充能耗指标来源及项目用地预审意见后重新申报。",
        )


# Projects under way that the city dispatches this year.
DISPATCHED = [
    projects_demo.PROJECT_SXCX,
    projects_demo.PROJECT_ZXGT2_STEEL,
    projects_demo.PROJECT_ZXGT2_HEAT,
    projects_demo.PROJECT_ZXGT2_EMISSIONS,
    projects_demo.PROJECT_MIER,
    projects_demo.PROJECT_INSTITUTE,
]


def build_dispatch_list(ctx: demo.DemoContext) -> None:
    supervisor = ctx.users["demo-supervisor"]
    for code in DISPATCHED:
        project = ctx.projects[code]
        if project.stage == Stage.STOPPED:
            continue
        if DispatchEvent.objects.filter(project=project, year=ctx.year).exists():
            continue  # moved on or off by a user since: leave it
        dispatch_add(project=project, year=ctx.year, by=supervisor, note="年度重大项目调度")


STEPS = [build_candidates, build_dispatch_list]
