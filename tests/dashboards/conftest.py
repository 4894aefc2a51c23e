"""A small hand-counted city for the dashboard figures, at Friday 2026-11-27 10:00 (Shanghai).

序时进度 on 2026-11-27 = 331 / 365 (day 331 of a 365-day year) = 90.68%.

Projects (P6 stopped; P7 started in 2025):

  code  park  stage               planned start  2026 target (plan, start, production)   2026 reports
  P1    A     under construction  2026-03-01     plan 1000                                Jan 100, Jun 200, Oct 300  = 600
  P2    A     signed              2026-11-10     —                                        —
  P3    B     planned             2026-07-15     —                                        —
  P4    B     in production       2025-03-01     plan 500, production 2026-09-01         Feb 200, Aug 280            = 480
  P5    A     started             2025-12-01     plan 2000, start 2026-02-01, prod. 2026-12-31  Apr 800, Sep 800   = 1600
  P6    B     stopped             2026-04-01     —                                        —
  P7    A     under construction  2025-05-01     —                                        Mar 50 (and 2025-12: 70)

Health (default rules): P1 red (600/1000 = 60%, 30.7 points behind; and an overdue issue blocks
its milestone M3), P3 red (4 months late to start), P5 red (milestone M1 overdue; also 10.7
points behind → yellow reason), P2 yellow (due to start this month), P4 and P7 green.
Stage counts: under construction 2, signed 1, planned 1, in production 1, started 1, stopped 1.
开工率 2026: due to start in 2026 = P1, P2, P3, P5 (target start), P6 → 5; started P1, P5 → 40%.
投产率 2026: production targets in 2026 = P4 (in production), P5 → 1/2.
Investment 2026: plan 3500 (P1, P4, P5); done by those 2680 → 76.57%, −14.1 points; all 2730.

Campaign (2026-09-01 → 2026-12-09, 12 days left; projects P1 and P5; goals: 4 projects started,
1000 invested): M1 P5 due 11-20 open (overdue), M2 P1 due 10-15 done 10-10 (on time), M3 P1 due
12-05 open (still due), M4 P7 due 11-01 done 11-03 (late). Goals: started 2/4, invested since
September 300 + 800 = 1100.

Issues (all raised in 2026): I1 D1 in progress, answered in time, resolution deadline passed
(overdue, blocks M3); I2 D1 assigned, response deadline ahead; I3 D2 closed, answered in time,
resolved on time, satisfied; I4 D2 closed, answered late, resolved late, unsatisfied.
回音率 2/3, 办结率 2/4, 按期办结率 1/2, 满意率 1/2. Open by department: D1 open 2, overdue 1.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.models import Department, Role
from dashboards.services import project_health_refresh
from issues.models import Issue, Outcome, Satisfaction, Status
from projects.models import Stage
from tests.factories import (
    AnnualTargetFactory,
    CampaignFactory,
    ChainSegmentFactory,
    DepartmentFactory,
    EnterpriseFactory,
    IndustryChainFactory,
    MilestoneFactory,
    ParkFactory,
    ProgressReportFactory,
    ProjectFactory,
    UserFactory,
    VisitFactory,
    user_with_role,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
SHARE = Decimal(331) / Decimal(365)


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@dataclass
class City:
    park_a: object
    park_b: object
    d1: object
    d2: object
    chain: object
    segments: dict
    leader: object
    supervisor: object
    official_b: object
    projects: dict
    milestones: dict
    issues: dict
    campaign: object
    visit: object


def report(project, month: tuple[int, int], amount: str):
    return ProgressReportFactory(project=project, month=datetime.date(*month, 1), investment=Decimal(amount))


def make_issue(*, enterprise, project=None, dept, raised: datetime.date, status: str, **fields) -> Issue:
    base = {
        "enterprise": enterprise,
        "project": project,
        "category": "approval",
        "urgency": "normal",
        "title": fields.pop("title", "问题"),
        "description": "描述",
        "raised_by": UserFactory(),
        "raised_at": at(raised, 9),
        "assign_days": 1,
        "response_days": 3,
        "resolution_days": 10,
        "resolution_counted_from": raised,
        "assign_deadline": at(raised + datetime.timedelta(days=1), 23),
        "response_deadline": at(raised + datetime.timedelta(days=3), 23),
        "resolution_deadline": at(raised + datetime.timedelta(days=14), 23),
        "lead_department": dept,
        "status": status,
    }
    base.update(fields)
    return Issue.objects.create(**base)


def build_city() -> City:
    d1 = DepartmentFactory(name="自然资源和规划局", short_name="自然资源局")
    d2 = DepartmentFactory(name="生态环境局")
    committee_a = DepartmentFactory(name="经开区管委会", kind=Department.Kind.PARK_COMMITTEE)
    committee_b = DepartmentFactory(name="高新区管委会", kind=Department.Kind.PARK_COMMITTEE)
    park_a = ParkFactory(name="新沂经济开发区", short_name="经开区", committee=committee_a, sort_order=1)
    park_b = ParkFactory(name="高新技术产业开发区", short_name="高新区", committee=committee_b, sort_order=2)
    leader = user_with_role(Role.LEADER, department=DepartmentFactory(name="市委"), name="市委书记", title="市委书记")
    supervisor = user_with_role(Role.SUPERVISOR, department=DepartmentFactory(name="督查室"), name="督查室主任")
    official_b = user_with_role(Role.OFFICIAL, department=committee_b, name="高新区项目科长")
    chain = IndustryChainFactory(name="钢铁", chief=leader.official)
    segments = {
        "raw": ChainSegmentFactory(chain=chain, name="原料", position="upstream", sort_order=1),
        "steel": ChainSegmentFactory(chain=chain, name="特钢", position="midstream", sort_order=2),
        "parts": ChainSegmentFactory(chain=chain, name="零部件", position="downstream", sort_order=3),
    }
    raw_firm = EnterpriseFactory(name="米尔化工有限公司", park=park_a)
    raw_firm.segments.add(segments["raw"])
    steel = EnterpriseFactory(name="中新钢铁集团有限公司", short_name="中新钢铁", park=park_a)
    steel.segments.add(segments["steel"])
    other = EnterpriseFactory(name="高新材料有限公司", park=park_b)

    def project(code, park, stage, start, **kw):
        return ProjectFactory(
            code=code,
            name=f"项目{code}",
            park=park,
            stage=stage,
            planned_start=start,
            planned_completion=datetime.date(2028, 12, 31),
            enterprise=steel if park == park_a else other,
            responsible_unit=park.committee,
            total_investment=kw.pop("total", Decimal("10000")),
            **kw,
        )

    p = {
        "P1": project(
            "P1",
            park_a,
            Stage.UNDER_CONSTRUCTION,
            datetime.date(2026, 3, 1),
            is_key=True,
            assigned_leader=leader.official,
            segment=segments["steel"],
        ),
        "P2": project("P2", park_a, Stage.SIGNED, datetime.date(2026, 11, 10), assigned_leader=leader.official),
        "P3": project("P3", park_b, Stage.PLANNED, datetime.date(2026, 7, 15)),
        "P4": project("P4", park_b, Stage.IN_PRODUCTION, datetime.date(2025, 3, 1)),
        "P5": project("P5", park_a, Stage.STARTED, datetime.date(2025, 12, 1)),
        "P6": project("P6", park_b, Stage.STOPPED, datetime.date(2026, 4, 1)),
        "P7": project("P7", park_a, Stage.UNDER_CONSTRUCTION, datetime.date(2025, 5, 1)),
    }
    AnnualTargetFactory(project=p["P1"], year=2026, planned_investment=Decimal("1000"))
    AnnualTargetFactory(
        project=p["P4"], year=2026, planned_investment=Decimal("500"), target_production=datetime.date(2026, 9, 1)
    )
    AnnualTargetFactory(
        project=p["P5"],
        year=2026,
        planned_investment=Decimal("2000"),
        target_start=datetime.date(2026, 2, 1),
        target_production=datetime.date(2026, 12, 31),
    )
    for code, month, amount in [
        ("P1", (2026, 1), "100"),
        ("P1", (2026, 6), "200"),
        ("P1", (2026, 10), "300"),
        ("P4", (2026, 2), "200"),
        ("P4", (2026, 8), "280"),
        ("P5", (2026, 4), "800"),
        ("P5", (2026, 9), "800"),
        ("P7", (2026, 3), "50"),
        ("P7", (2025, 12), "70"),
    ]:
        report(p[code], month, amount)
    campaign = CampaignFactory(
        name="招商引资和项目建设百日攻坚",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2026, 12, 9),
        goal_projects_to_start=4,
        goal_investment=Decimal("1000"),
    )
    campaign.projects.add(p["P1"], p["P5"])
    m = {
        "M1": MilestoneFactory(project=p["P5"], campaign=campaign, title="M1", due_date=datetime.date(2026, 11, 20)),
        "M2": MilestoneFactory(
            project=p["P1"],
            campaign=campaign,
            title="M2",
            due_date=datetime.date(2026, 10, 15),
            completed_on=datetime.date(2026, 10, 10),
        ),
        "M3": MilestoneFactory(project=p["P1"], campaign=campaign, title="M3", due_date=datetime.date(2026, 12, 5)),
        "M4": MilestoneFactory(
            project=p["P7"],
            campaign=campaign,
            title="M4",
            due_date=datetime.date(2026, 11, 1),
            completed_on=datetime.date(2026, 11, 3),
        ),
    }
    visit = VisitFactory(date=datetime.date(2026, 11, 20), location="中新钢铁")
    visit.leaders.add(leader.official)
    issues = {
        "I1": make_issue(
            enterprise=steel,
            project=p["P1"],
            dept=d1,
            raised=datetime.date(2026, 11, 1),
            status=Status.IN_PROGRESS,
            acknowledged_at=at(datetime.date(2026, 11, 2)),
            blocks_milestone=m["M3"],
            visit=visit,
            title="I1",
        ),
        "I2": make_issue(
            enterprise=steel,
            dept=d1,
            raised=datetime.date(2026, 11, 26),
            status=Status.ASSIGNED,
            title="I2",
        ),
        "I3": make_issue(
            enterprise=other,
            dept=d2,
            raised=datetime.date(2026, 5, 4),
            status=Status.CLOSED,
            acknowledged_at=at(datetime.date(2026, 5, 5)),
            resolved_at=at(datetime.date(2026, 5, 12)),
            closed_at=at(datetime.date(2026, 5, 13)),
            outcome=Outcome.SOLVED,
            satisfaction=Satisfaction.SATISFIED,
            title="I3",
        ),
        "I4": make_issue(
            enterprise=other,
            dept=d2,
            raised=datetime.date(2026, 6, 1),
            status=Status.CLOSED,
            acknowledged_at=at(datetime.date(2026, 6, 10)),
            resolved_at=at(datetime.date(2026, 7, 1)),
            closed_at=at(datetime.date(2026, 7, 2)),
            outcome=Outcome.SOLVED,
            satisfaction=Satisfaction.UNSATISFIED,
            visit=visit,
            title="I4",
        ),
    }
    # The factories write past the services (no hooks): store the health as the nightly run would.
    project_health_refresh()
    return City(
        park_a=park_a,
        park_b=park_b,
        d1=d1,
        d2=d2,
        chain=chain,
        segments=segments,
        leader=leader,
        supervisor=supervisor,
        official_b=official_b,
        projects=p,
        milestones=m,
        issues=issues,
        campaign=campaign,
        visit=visit,
    )


@pytest.fixture
def city(db, frozen) -> City:
    return build_city()
