"""The browser pages of intake, funding and locations: who sees what (403/404), forms that
refuse bad input with the error on the field (400, nothing saved), the project page's sections,
the export's funding columns, and constant query counts for the lists."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from funding.models import FundingLine, Source
from funding.services import funding_line_set
from geo.services import project_location_set
from intake.models import Candidate, Status
from intake.services import candidate_create
from tests.factories import ProjectFactory


def client_for(world, role) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _candidate(world, name="米尔化工二期扩建项目", **kw):
    return candidate_create(
        by=world.users[kw.pop("by", "official")],
        submit=True,
        name=name,
        enterprise=world.enterprise,
        park=kw.pop("park", world.park),
        content="年产15万吨水性聚氨酯树脂",
        total_investment=Decimal("90000"),
        **kw,
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("official", 200), ("supervisor", 200), ("leader", 200), ("staff", 403), ("handler", 403)],
)
def test_who_opens_the_intake_pages(world, role, status):
    candidate = _candidate(world)
    client = client_for(world, role)
    assert client.get("/intake/").status_code == status
    assert client.get("/intake/dispatch/").status_code == status
    detail = client.get(f"/intake/{candidate.pk}/").status_code
    assert detail == (200 if status == 200 else 404)
    assert client_for(world, "other_official").get(f"/intake/{candidate.pk}/").status_code == 404


def test_the_review_form_keeps_the_error_on_the_note(world):
    candidate = _candidate(world)
    client = client_for(world, "supervisor")
    response = client.post(f"/intake/{candidate.pk}/step/", {"action": "return", "note": ""})
    assert response.status_code == 400
    assert "必填" in response.content.decode()
    # A supervisor is no submitter of a unit's candidate: submitting it is refused.
    assert client.post(f"/intake/{candidate.pk}/step/", {"action": "withdraw"}).status_code == 403
    response = client.post(f"/intake/{candidate.pk}/step/", {"action": "approve", "level": "city_key"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == Status.APPROVED
    again = client_for(world, "official").post(f"/intake/{candidate.pk}/step/", {"action": "submit"})
    assert again.status_code == 400 and "已审核入库" in again.content.decode()


def test_the_submit_form_refuses_bad_input_on_the_field(world):
    response = client_for(world, "official").post(
        "/intake/new/",
        {"name": "新项目", "park": world.park.pk, "content": "x", "total_investment": "-1", "submit": "1"},
    )
    assert response.status_code == 400
    assert not Candidate.objects.exists()
    assert "id_total_investment_errors" in response.content.decode()


def test_the_project_page_shows_the_sections_by_role(world):
    funding_line_set(
        project=world.project,
        year=2026,
        source=Source.BANK_LOAN,
        by=world.users["supervisor"],
        planned=Decimal("100"),
        received=Decimal("40"),
    )
    project_location_set(project=world.project, by=world.users["supervisor"], latitude=34.37, longitude=118.35)
    page = client_for(world, "official").get(f"/projects/{world.project.pk}/").content.decode()
    assert 'id="funding"' in page and 'id="location"' in page and 'id="library"' in page
    assert 'id="location-form"' in page and "40.0%" in page
    leader_page = client_for(world, "leader").get(f"/projects/{world.project.pk}/").content.decode()
    assert 'id="location-form"' not in leader_page and "管理资金" not in leader_page
    location = client_for(world, "official").post(
        f"/geo/projects/{world.project.pk}/location/", {"datum": "wgs84", "latitude": "95", "longitude": "118"}
    )
    assert location.status_code == 400 and "纬度应在" in location.content.decode()
    assert client_for(world, "leader").post(f"/geo/projects/{world.project.pk}/location/", {}).status_code == 403


def test_funding_pages_and_the_export_columns(world):
    funding_line_set(
        project=world.project,
        year=2026,
        source=Source.SELF_RAISED,
        by=world.users["supervisor"],
        planned=Decimal("1000"),
        received=Decimal("250"),
    )
    official = client_for(world, "official")
    bad = official.post(
        f"/funding/projects/{world.project.pk}/lines/", {"year": 2026, "source": "bank_loan", "planned": "-3"}
    )
    assert bad.status_code == 400 and FundingLine.objects.count() == 1
    assert client_for(world, "leader").post(f"/funding/projects/{world.project.pk}/lines/", {}).status_code == 403
    listing = client_for(world, "leader").get("/funding/", {"year": 2026, "source": "self_raised"}).content.decode()
    assert world.project.name in listing and "25.0%" in listing
    cockpit = client_for(world, "leader").get("/dashboard/", {"year": 2026}).content.decode()
    assert 'data-testid="kpi-funding"' in cockpit and "/funding/?" in cockpit
    export = client_for(world, "leader").get("/dashboard/export/projects.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).worksheets[0]
    headers = [c.value for c in sheet[1]]
    column = headers.index("本年到位资金（万元）")
    values = {row[1].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    assert values[world.project.name] == 250


def test_the_map_page_renders_for_every_role_with_a_role(world):
    for role in ("leader", "official", "staff", "handler", "supervisor"):
        response = client_for(world, role).get("/dashboard/map/", {"color": "stage"})
        assert response.status_code == 200, role
        assert 'id="battle-map-data"' in response.content.decode()


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        "/intake/",
        "/api/v1/candidates/",
        "/funding/?year=2026",
        "/api/v1/funding-lines/",
        "/api/v1/project-locations/",
        "/dashboard/map/",
    ],
)
def test_lists_run_a_constant_number_of_queries(world, url):
    client = client_for(world, "supervisor")
    _candidate(world)
    funding_line_set(
        project=world.project, year=2026, source=Source.OTHER, by=world.users["supervisor"], planned=Decimal("1")
    )
    project_location_set(project=world.project, by=world.users["supervisor"], latitude=34.37, longitude=118.35)
    few = _count(client, url)
    for i in range(6):
        project = ProjectFactory(code=f"XY-JK-2{i:02d}", park=world.park, responsible_unit=world.committee)
        _candidate(world, name=f"候选{i}")
        funding_line_set(
            project=project, year=2026, source=Source.OTHER, by=world.users["supervisor"], planned=Decimal("1")
        )
        project_location_set(project=project, by=world.users["supervisor"], latitude=34.36, longitude=118.34 + i / 100)
    assert _count(client, url) == few
