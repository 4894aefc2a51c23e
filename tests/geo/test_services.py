"""Placing projects and parks: typed in GCJ-02 or WGS-84, stored in WGS-84; who may; bad input
saves nothing; every change audited."""

from decimal import Decimal

import pytest

from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry
from geo import coords
from geo.models import ParkBoundary, ProjectLocation
from geo.services import park_boundary_clear, park_boundary_set, project_location_clear, project_location_set

SITE = {
    "type": "Polygon",
    "coordinates": [[[118.350, 34.373], [118.360, 34.373], [118.360, 34.380], [118.350, 34.380]]],
}


def test_gcj02_input_is_stored_in_wgs84(world):
    gcj = coords.wgs84_to_gcj02(34.3766, 118.3551)
    location = project_location_set(
        project=world.project,
        by=world.users["official"],
        latitude=gcj[0],
        longitude=gcj[1],
        datum=coords.Datum.GCJ02,
        address="超纤路8号",
    )
    location.refresh_from_db()
    assert location.latitude == Decimal("34.3766000")
    assert location.longitude == Decimal("118.3551000")
    assert location.entered_datum == coords.Datum.GCJ02
    entry = AuditEntry.objects.get(action="project.location")
    assert entry.changes["point"] == [None, ["34.3766000", "118.3551000"]]


def test_wgs84_input_is_stored_as_typed_and_the_site_is_closed(world):
    location = project_location_set(
        project=world.project, by=world.users["supervisor"], latitude="34.37", longitude="118.35", site=SITE
    )
    assert (location.latitude, location.longitude) == (Decimal("34.3700000"), Decimal("118.3500000"))
    ring = location.site["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5


def test_site_in_gcj02_is_converted_corner_by_corner(world):
    gcj_site = {
        "type": "Polygon",
        "coordinates": [[list(reversed(coords.wgs84_to_gcj02(lat, lng))) for lng, lat in SITE["coordinates"][0]]],
    }
    location = project_location_set(
        project=world.project,
        by=world.users["official"],
        latitude=34.376,
        longitude=118.355,
        datum=coords.Datum.GCJ02,
        site=gcj_site,
    )
    first = location.site["coordinates"][0][0]
    assert first == pytest.approx([118.350, 34.373], abs=1e-7)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("supervisor", True),
        ("official", True),
        ("other_official", False),
        ("staff", False),
        ("handler", False),
        ("leader", False),
    ],
)
def test_who_may_place_a_project(world, role, allowed):
    call = lambda: project_location_set(  # noqa: E731
        project=world.project, by=world.users[role], latitude=34.37, longitude=118.35
    )
    if allowed:
        call()
        assert ProjectLocation.objects.filter(project=world.project).exists()
    else:
        with pytest.raises(PermissionDenied):
            call()
        assert not ProjectLocation.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"latitude": 95, "longitude": 118.35}, "latitude"),
        ({"latitude": 34.37, "longitude": 190}, "longitude"),
        ({"latitude": "北纬34", "longitude": 118.35}, "latitude"),
        ({"latitude": 34.37, "longitude": 118.35, "datum": "bd09"}, "datum"),
        ({"latitude": 34.37, "longitude": 118.35, "site": "{not json"}, "site"),
        ({"latitude": 34.37, "longitude": 118.35, "site": {"type": "Point", "coordinates": [1, 2]}}, "site"),
        (
            {
                "latitude": 34.37,
                "longitude": 118.35,
                "site": {"type": "Polygon", "coordinates": [[[1, 2], [1, 2], [3, 4]]]},
            },
            "site",
        ),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, kwargs, field):
    with pytest.raises(ApplicationError) as exc:
        project_location_set(project=world.project, by=world.users["official"], **kwargs)
    assert field in exc.value.fields
    assert not ProjectLocation.objects.exists()
    assert not AuditEntry.objects.filter(action="project.location").exists()


def test_clearing_a_location_is_audited(world):
    project_location_set(project=world.project, by=world.users["official"], latitude=34.37, longitude=118.35)
    project_location_clear(project=world.project, by=world.users["official"])
    assert not ProjectLocation.objects.exists()
    assert AuditEntry.objects.filter(action="project.location_clear").count() == 1


@pytest.mark.parametrize(
    ("role", "allowed"),
    [("supervisor", True), ("official", True), ("other_official", False), ("leader", False), ("staff", False)],
)
def test_who_may_draw_a_park_boundary(world, role, allowed):
    geometry = {"type": "MultiPolygon", "coordinates": [SITE["coordinates"]]}
    if allowed:
        boundary = park_boundary_set(park=world.park, by=world.users[role], geometry=geometry)
        assert boundary.geometry["type"] == "MultiPolygon"
        park_boundary_clear(park=world.park, by=world.users[role])
        assert not ParkBoundary.objects.exists()
    else:
        with pytest.raises(PermissionDenied):
            park_boundary_set(park=world.park, by=world.users[role], geometry=geometry)


def test_a_boundary_needs_a_polygon(world):
    with pytest.raises(ApplicationError) as exc:
        park_boundary_set(park=world.park, by=world.users["supervisor"], geometry="")
    assert "geometry" in exc.value.fields
    with pytest.raises(ApplicationError):
        park_boundary_set(
            park=world.park,
            by=world.users["supervisor"],
            geometry={"type": "Polygon", "coordinates": [[[118.3, 34.3]] * 6000]},
        )
