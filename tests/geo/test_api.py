"""Locations through the API (GCJ-02 in, WGS-84 stored, both out), the battle map API coloured by
health or stage with the project list's filters, OC4IDS locations and budget breakdown, and a
constant number of queries for the map whatever the number of projects."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.models import Source
from funding.services import funding_line_set
from geo import coords
from geo.services import park_boundary_set, project_location_set
from projects.models import Stage
from tests.factories import ProjectFactory

BOX = {"type": "Polygon", "coordinates": [[[118.30, 34.34], [118.40, 34.34], [118.40, 34.40], [118.30, 34.40]]]}


def test_placing_a_project_in_gcj02(world):
    gcj = coords.wgs84_to_gcj02(34.3766, 118.3551)
    url = f"/api/v1/project-locations/{world.project.pk}/"
    response = world.client("official").put(
        url,
        {"datum": "gcj02", "latitude": f"{gcj[0]:.8f}", "longitude": f"{gcj[1]:.8f}", "address": "超纤路8号"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["latitude"] == "34.3766000" and data["longitude"] == "118.3551000"
    assert data["gcj02"]["latitude"] == pytest.approx(gcj[0], abs=1e-7)
    assert world.client("leader").get(url).json()["entered_datum"] == "gcj02"
    assert world.client("leader").put(url, {"latitude": "34", "longitude": "118"}, format="json").status_code == 403
    assert world.client("other_official").get(url).status_code == 404
    bad = world.client("official").put(url, {"latitude": "95", "longitude": "118"}, format="json")
    assert bad.status_code == 400 and "latitude" in bad.json()
    assert world.client("official").delete(url).status_code == 204
    assert world.client("official").get(url).status_code == 404


def test_park_boundaries_through_the_api(world):
    url = f"/api/v1/park-boundaries/{world.park.pk}/"
    assert world.client("other_official").put(url, {"geometry": BOX}, format="json").status_code == 403
    response = world.client("official").put(url, {"geometry": BOX}, format="json")
    assert response.status_code == 200
    assert response.json()["geometry"]["coordinates"][0][-1] == [118.3, 34.34]
    assert world.client("staff").get("/api/v1/park-boundaries/").json()["count"] == 1


def _place(world):
    supervisor = world.users["supervisor"]
    park_boundary_set(park=world.park, by=supervisor, geometry=BOX)
    project_location_set(project=world.project, by=supervisor, latitude=34.37, longitude=118.35)
    project_location_set(project=world.other_project, by=supervisor, latitude=34.33, longitude=118.42)


def test_the_map_api_colours_by_health_or_stage_with_the_list_filters(world):
    _place(world)
    leader = world.client("leader")
    data = leader.get("/api/v1/dashboard/map/").json()
    assert {p["code"] for p in data["points"]} == {"XY-JK-001", "XY-GX-001"}
    assert all(p["key"] in ("red", "yellow", "green") for p in data["points"])
    assert data["parks"][0]["properties"]["name"] == "新沂经济开发区"
    assert data["datum"] == "wgs84"
    by_stage = leader.get("/api/v1/dashboard/map/", {"color": "stage", "park": world.park.pk}).json()
    assert [(p["code"], p["key"]) for p in by_stage["points"]] == [("XY-JK-001", Stage.UNDER_CONSTRUCTION)]
    legend = {e["key"]: e["count"] for e in by_stage["legend"]}
    assert legend[Stage.UNDER_CONSTRUCTION] == 1 and sum(legend.values()) == 1
    # The official sees only their unit's projects; a project without a location is listed apart.
    ProjectFactory(code="XY-JK-077", park=world.park, responsible_unit=world.committee)
    mine = world.client("official").get("/api/v1/dashboard/map/").json()
    assert [p["code"] for p in mine["points"]] == ["XY-JK-001"]
    assert [u["code"] for u in mine["unlocated"]] == ["XY-JK-077"]
    assert leader.get("/api/v1/dashboard/map/", {"color": "rainbow"}).status_code == 400
    # The list's sort is accepted and ignored (it once ordered the bare manager by an annotation: 500).
    for sort in ("health", "-health"):
        assert leader.get("/api/v1/dashboard/map/", {"sort": sort}).status_code == 200


def test_the_map_in_a_gcj02_background_shows_points_shifted(world, settings):
    _place(world)
    settings.MAP_TILE_URL = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"
    settings.MAP_TILE_DATUM = "gcj02"
    data = world.client("leader").get("/api/v1/dashboard/map/", {"park": world.park.pk}).json()
    (point,) = data["points"]
    assert data["datum"] == "gcj02"
    assert (point["lat"], point["lng"]) == pytest.approx(coords.wgs84_to_gcj02(34.37, 118.35), abs=1e-9)


def test_the_map_runs_a_constant_number_of_queries(world):
    _place(world)
    client = world.client("leader")
    client.get("/api/v1/dashboard/map/")
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/dashboard/map/")
    for i in range(15):
        project = ProjectFactory(code=f"XY-JK-1{i:02d}", park=world.park, responsible_unit=world.committee)
        project_location_set(project=project, by=world.users["supervisor"], latitude=34.36 + i / 1000, longitude=118.36)
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/dashboard/map/")
    assert len(many) == len(few)


def test_oc4ids_locations_and_budget_breakdown(world):
    _place(world)
    project_location_set(
        project=world.project,
        by=world.users["supervisor"],
        latitude=34.37,
        longitude=118.35,
        site=BOX,
        address="超纤路8号",
    )
    funding_line_set(
        project=world.project,
        year=2026,
        source=Source.SELF_RAISED,
        by=world.users["supervisor"],
        planned=Decimal("1000"),
        received=Decimal("0"),
    )
    funding_line_set(
        project=world.project,
        year=2026,
        source=Source.SPECIAL_BOND,
        by=world.users["supervisor"],
        planned=Decimal("500.5"),
        received=Decimal("0"),
    )
    (item,) = world.client("leader").get(f"/api/v1/oc4ids/projects/{world.project.pk}/").json()["projects"]
    point, site = item["locations"]
    assert point["geometry"] == {"type": "Point", "coordinates": [118.35, 34.37]}
    assert point["address"] == {"streetAddress": "超纤路8号"}
    assert site["geometry"]["type"] == "Polygon"
    breakdown = item["budget"]["budgetBreakdown"]
    assert [b["amount"] for b in breakdown] == [
        {"amount": 10000000, "currency": "CNY"},
        {"amount": 5005000, "currency": "CNY"},
    ]
    assert breakdown[0]["sourceParty"]["id"] == item["parties"][0]["id"]  # own funds: the owner enterprise
    assert breakdown[1]["sourceParty"] == {"name": "专项债"}
    assert breakdown[0]["period"]["startDate"].startswith("2026-01-01")
    (other,) = world.client("leader").get(f"/api/v1/oc4ids/projects/{world.other_project.pk}/").json()["projects"]
    assert "budgetBreakdown" not in other["budget"]
