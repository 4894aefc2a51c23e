"""Every list endpoint runs the same number of SQL queries for 5 rows as for 50.

Each row carries everything its serializer shows (related objects, photos, segments, members),
so a missing select_related/prefetch would show as a count that grows with the rows. Calls go
through token authentication, as an API client's would, so nothing is cached between them.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import ApiToken
from core.models import Role
from projects.models import ProgressPhoto
from tests.api.conftest import png_upload
from tests.factories import (
    AnnualTargetFactory,
    CampaignFactory,
    ChainSegmentFactory,
    DepartmentFactory,
    EnterpriseFactory,
    IndustryChainFactory,
    MilestoneFactory,
    OfficialFactory,
    ParkFactory,
    ProgressReportFactory,
    ProjectFactory,
    ServiceTeamFactory,
    user_with_role,
)


def make_project(ctx, unit=None, **kwargs):
    official = OfficialFactory()
    team = ServiceTeamFactory(lead=official)
    team.members.add(official)
    project = ProjectFactory(
        segment=ChainSegmentFactory(),
        responsible_unit=unit or DepartmentFactory(),
        responsible_official=official,
        assigned_leader=OfficialFactory(role=Role.LEADER),
        service_team=team,
        parent=ctx["parent"],
        **kwargs,
    )
    ProgressReportFactory(project=project, month=datetime.date(2026, 9, 1))
    ProgressReportFactory(project=project, month=datetime.date(2026, 10, 1))
    AnnualTargetFactory(project=project)
    MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 1))
    return project


def make_enterprise():
    enterprise = EnterpriseFactory()
    enterprise.segments.set([ChainSegmentFactory(), ChainSegmentFactory()])
    return enterprise


def make_chain():
    chain = IndustryChainFactory(chief=OfficialFactory(role=Role.LEADER))
    ChainSegmentFactory(chain=chain, position="upstream")
    ChainSegmentFactory(chain=chain, position="downstream")
    return chain


def make_team():
    team = ServiceTeamFactory(lead=OfficialFactory())
    team.members.set([OfficialFactory(), OfficialFactory()])
    team.enterprises.set([EnterpriseFactory()])
    return team


def make_report():
    report = ProgressReportFactory(submitted_by=OfficialFactory().user, investment=Decimal("123.45"))
    ProgressPhoto.objects.create(report=report, image=png_upload())
    return report


def make_milestone():
    return MilestoneFactory(
        campaign=CampaignFactory(),
        responsible=OfficialFactory(),
        completed_on=datetime.date(2026, 11, 2),
        completed_by=OfficialFactory().user,
        evidence="ok",
    )


LISTS = {
    "parks": ("/api/v1/parks/", lambda ctx: ParkFactory()),
    "departments": ("/api/v1/departments/", lambda ctx: DepartmentFactory()),
    "officials": ("/api/v1/officials/", lambda ctx: OfficialFactory()),
    "enterprises": ("/api/v1/enterprises/", lambda ctx: make_enterprise()),
    "enterprises-search": ("/api/v1/enterprises/?q=测试企业", lambda ctx: make_enterprise()),
    "chains": ("/api/v1/chains/", lambda ctx: make_chain()),
    "service-teams": ("/api/v1/service-teams/", lambda ctx: make_team()),
    "projects": ("/api/v1/projects/", lambda ctx: make_project(ctx)),
    "projects-filtered": (
        "/api/v1/projects/?is_key=false&q=测试&ordering=-cumulative_investment",
        lambda ctx: make_project(ctx),
    ),
    "projects-of-my-unit": ("/api/v1/projects/", lambda ctx: make_project(ctx, unit=ctx["unit"])),
    "progress-reports": ("/api/v1/progress-reports/", lambda ctx: make_report()),
    "annual-targets": ("/api/v1/annual-targets/", lambda ctx: AnnualTargetFactory()),
    "milestones": ("/api/v1/milestones/", lambda ctx: make_milestone()),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_list_queries_do_not_grow_with_rows(db, django_assert_num_queries, name):
    url, make_row = LISTS[name]
    unit = DepartmentFactory(name="本单位")
    user = (
        user_with_role(Role.OFFICIAL, department=unit)
        if name == "projects-of-my-unit"
        else user_with_role(Role.SUPERVISOR)
    )
    client = APIClient(HTTP_AUTHORIZATION=f"Token {ApiToken.objects.issue(user=user, ttl=None)[1]}")
    ctx = {"unit": unit, "parent": ProjectFactory(name="一期项目")}
    url += ("&" if "?" in url else "?") + "page_size=200"

    def rows_in(response) -> int:
        assert response.status_code == 200, response.content
        return len(response.json()["results"])

    baseline = rows_in(client.get(url))
    for _ in range(5):
        make_row(ctx)
    with CaptureQueriesContext(connection) as five:
        assert rows_in(client.get(url)) == baseline + 5
    for _ in range(45):
        make_row(ctx)
    with django_assert_num_queries(len(five.captured_queries)):
        assert rows_in(client.get(url)) == baseline + 50
