"""Writes of locations: a project's point and site outline, a park's boundary.

Coordinates may be typed in WGS-84 or GCJ-02 (geo.coords.Datum); they are converted and stored
in WGS-84. Each function checks the permission (geo.permissions), validates, writes in one
transaction and records the audit trail.
"""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import ApplicationError, PermissionDenied
from core.services import audit_record, full_clean
from geo import coords
from geo.geometry import check_point, parse_geometry
from geo.models import ParkBoundary, ProjectLocation
from geo.permissions import can_set_location, can_set_park_boundary


def _datum(datum: str) -> str:
    datum = datum or coords.Datum.WGS84
    if datum not in coords.Datum.values:
        message = _("Choose the datum the coordinates are in.")
        raise ApplicationError(message, fields={"datum": [message]})
    return datum


@transaction.atomic
def project_location_set(
    *, project, by, latitude, longitude, datum: str = coords.Datum.WGS84, site=None, address: str = ""
) -> ProjectLocation:
    """Place a project: its point (and optionally its site outline, a GeoJSON Polygon), typed
    in `datum`, stored in WGS-84. Replaces what was there; the change is audited."""
    if not can_set_location(by, project):
        raise PermissionDenied(_("You may not change this project's location."))
    datum = _datum(datum)
    lat, lng = check_point(latitude, longitude)
    lat, lng = coords.to_wgs84(lat, lng, datum)
    site = parse_geometry(site, field="site", datum=datum, kinds=("Polygon",))
    location = ProjectLocation.objects.select_for_update().filter(project=project).first()
    before = (str(location.latitude), str(location.longitude)) if location else None
    if location is None:
        location = ProjectLocation(project=project)
    location.latitude, location.longitude = coords.stored(lat), coords.stored(lng)
    location.site = site
    location.address = (address or "").strip()
    location.entered_datum = datum
    location.updated_by = by
    full_clean(location)
    location.save()
    audit_record(
        actor=by,
        action="project.location",
        obj=project,
        changes={
            "point": [before, [str(location.latitude), str(location.longitude)]],
            "datum": datum,
            "site": site is not None,
            "address": location.address,
        },
    )
    return location


@transaction.atomic
def project_location_clear(*, project, by) -> None:
    if not can_set_location(by, project):
        raise PermissionDenied(_("You may not change this project's location."))
    location = ProjectLocation.objects.select_for_update().filter(project=project).first()
    if location is None:
        return
    audit_record(
        actor=by,
        action="project.location_clear",
        obj=project,
        changes={"point": [str(location.latitude), str(location.longitude)]},
    )
    location.delete()


@transaction.atomic
def park_boundary_set(*, park, by, geometry, datum: str = coords.Datum.WGS84) -> ParkBoundary:
    """Draw a park's boundary (a GeoJSON Polygon or MultiPolygon typed in `datum`)."""
    if not can_set_park_boundary(by, park):
        raise PermissionDenied(_("Only the supervision office and the park committee may draw the park's boundary."))
    datum = _datum(datum)
    parsed = parse_geometry(geometry, field="geometry", datum=datum, kinds=("Polygon", "MultiPolygon"))
    if parsed is None:
        message = _("Give the boundary as a GeoJSON Polygon or MultiPolygon.")
        raise ApplicationError(message, fields={"geometry": [message]})
    boundary = ParkBoundary.objects.select_for_update().filter(park=park).first()
    created = boundary is None
    boundary = boundary or ParkBoundary(park=park)
    boundary.geometry, boundary.entered_datum, boundary.updated_by = parsed, datum, by
    full_clean(boundary)
    boundary.save()
    corners = (
        sum(len(r) for r in parsed["coordinates"])
        if parsed["type"] == "Polygon"
        else sum(len(r) for p in parsed["coordinates"] for r in p)
    )
    audit_record(
        actor=by,
        action="park.boundary" if not created else "park.boundary_create",
        obj=park,
        changes={"type": parsed["type"], "positions": corners, "datum": datum},
    )
    return boundary


@transaction.atomic
def park_boundary_clear(*, park, by) -> None:
    if not can_set_park_boundary(by, park):
        raise PermissionDenied(_("Only the supervision office and the park committee may draw the park's boundary."))
    deleted, _rows = ParkBoundary.objects.filter(park=park).delete()
    if deleted:
        audit_record(actor=by, action="park.boundary_clear", obj=park, changes={})
