"""The dashboard API returns the cockpit's figures; the OC4IDS export is shaped per the standard."""

import datetime

import pytest
from rest_framework.test import APIClient

from dashboards.services import league_snapshot_publish
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_summary_has_the_same_figures_as_the_cockpit(api, city):
    api.force_authenticate(city.leader)
    data = api.get("/api/v1/dashboard/summary/", {"year": 2026}).json()
    assert data["year"] == 2026 and data["as_of"] == "2026-11-27"
    assert data["investment"]["year_plan"] == 3500
    assert data["investment"]["completion"]["percent"] == 76.6
    assert data["investment"]["points_vs_schedule"] == -14.1
    assert data["start"]["rate"] == {"numerator": 2, "denominator": 5, "rate": 0.4, "percent": 40.0}
    assert {c["color"]: c["count"] for c in data["health"]["colors"]} == {"red": 3, "yellow": 1, "green": 2}
    assert data["issue_rates"]["satisfaction"]["percent"] == 50.0
    assert data["campaigns"][0]["days_left"] == 12
    assert data["issues_by_department"][0]["overdue"] == 1
    assert [p["code"] for p in data["my_projects"]] == ["P1", "P2"]
    league = {item["kind"]: item for item in data["league"]}
    assert league["park"]["snapshot"] is None
    assert [row["name"] for row in league["park"]["live"]] == ["高新区", "经开区"]  # standings so far
    assert [row["name"] for row in league["department"]["live"]] == ["自然资源局", "生态环境局"]
    stages = {s["stage"]: s for s in data["stages"]}
    assert stages["signed"]["url"] == "/projects/?stage=signed"


def test_an_empty_denominator_is_null(api, city):
    api.force_authenticate(city.leader)
    data = api.get("/api/v1/dashboard/summary/", {"year": 2025}).json()
    assert data["investment"]["completion"]["rate"] is None
    assert data["production"]["rate"]["percent"] is None


def test_bad_parameters_are_a_400_with_the_field(api, city):
    api.force_authenticate(city.leader)
    response = api.get("/api/v1/dashboard/summary/", {"park": 999999, "year": "x"})
    assert response.status_code == 400
    assert {"park", "year"} <= set(response.json())


def test_who_may_read(api, city):
    assert api.get("/api/v1/dashboard/summary/").status_code in (401, 403)
    api.force_authenticate(UserFactory())
    assert api.get("/api/v1/dashboard/summary/").status_code == 403
    api.force_authenticate(city.official_b)
    data = api.get("/api/v1/dashboard/summary/").json()
    assert data["investment"]["project_count"] == 3


def test_health_list_with_reasons(api, city):
    api.force_authenticate(city.leader)
    response = api.get("/api/v1/dashboard/health/", {"color": "red"})
    assert response["X-Total-Count"] == "3"
    rows = {r["code"]: r for r in response.json()}
    assert set(rows) == {"P1", "P3", "P5"}
    assert {r["kind"] for r in rows["P5"]["reasons"]} == {"milestone_overdue", "investment_lag"}


def test_league_tables(api, city):
    snapshot = league_snapshot_publish(
        kind="park",
        period_start=datetime.date(2026, 11, 1),
        period_end=datetime.date(2026, 11, 30),
        by=city.supervisor,
    )
    api.force_authenticate(city.leader)
    listing = api.get("/api/v1/dashboard/league/").json()
    assert [s["id"] for s in listing] == [snapshot.pk]
    detail = api.get(f"/api/v1/dashboard/league/{snapshot.pk}/").json()
    assert [(r["rank"], r["name"], r["score"]) for r in detail["rows"]] == [
        (1, "高新区", "100.00"),
        (2, "经开区", "52.35"),
    ]
    summary = api.get("/api/v1/dashboard/summary/").json()
    league = {item["kind"]: item for item in summary["league"]}
    assert league["park"]["snapshot"]["id"] == snapshot.pk and league["park"]["live"] is None


def test_chain_map_and_briefing(api, city):
    api.force_authenticate(city.leader)
    (chain,) = api.get("/api/v1/dashboard/chains/").json()
    assert chain["gap_count"] == 1 and chain["is_mine"]
    assert [c["position"] for c in chain["columns"]] == ["upstream", "midstream", "downstream"]
    briefing = api.get("/api/v1/dashboard/briefing/", {"week": "2026-11-18"}).json()
    assert briefing["week_start"] == "2026-11-16"
    assert [m["id"] for m in briefing["milestones_missed"]] == [city.milestones["M1"].pk]


def test_oc4ids_package(api, city):
    api.force_authenticate(city.leader)
    response = api.get("/api/v1/oc4ids/projects/", {"park": city.park_a.pk})
    package = response.json()
    assert package["version"] == "0.9"
    assert {"uri", "publishedDate", "publisher", "projects"} <= set(package)
    projects = {p["title"]: p for p in package["projects"]}
    assert set(projects) == {"项目P1", "项目P2", "项目P5", "项目P7"}
    p1 = projects["项目P1"]
    assert p1["id"].endswith("-P1")
    assert p1["status"] == "implementation"
    assert p1["budget"] == {"amount": {"amount": 100000000, "currency": "CNY"}}
    assert p1["period"] == {"startDate": "2026-03-01T00:00:00+08:00", "endDate": "2028-12-31T00:00:00+08:00"}
    milestones = {m["title"]: m for m in p1["milestones"]}
    assert milestones["M2"] == {
        "id": str(city.milestones["M2"].pk),
        "title": "M2",
        "type": "delivery",
        "dueDate": "2026-10-15T00:00:00+08:00",
        "dateMet": "2026-10-10T00:00:00+08:00",
        "status": "met",
    }
    assert milestones["M3"]["status"] == "scheduled" and "dateMet" not in milestones["M3"]
    roles = {party["name"]: party["roles"] for party in p1["parties"]}
    assert roles["中新钢铁集团有限公司"] == ["funder"]
    assert roles["经开区管委会"] == ["publicAuthority"]
    funder = next(p for p in p1["parties"] if p["roles"] == ["funder"])
    assert funder["identifier"]["scheme"] == "CN-SAMR" and len(funder["identifier"]["id"]) == 18
    assert projects["项目P2"]["status"] == "preparation"
    p5 = projects["项目P5"]
    assert {m["title"]: m["status"] for m in p5["milestones"]} == {"M1": "notMet"}


def test_oc4ids_single_project_and_its_statuses(api, city):
    api.force_authenticate(city.leader)
    statuses = {}
    for code, project in city.projects.items():
        (item,) = api.get(f"/api/v1/oc4ids/projects/{project.pk}/").json()["projects"]
        statuses[code] = item["status"]
    assert statuses == {
        "P1": "implementation",
        "P2": "preparation",
        "P3": "identification",
        "P4": "completed",
        "P5": "implementation",
        "P6": "cancelled",
        "P7": "implementation",
    }
    api.force_authenticate(city.official_b)
    assert api.get(f"/api/v1/oc4ids/projects/{city.projects['P1'].pk}/").status_code == 404
