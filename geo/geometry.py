"""GeoJSON geometries as users give them: parsed, checked, converted to WGS-84.

A site outline is a Polygon; a park boundary a Polygon or a MultiPolygon. Positions are
[longitude, latitude] (GeoJSON's order); rings are closed if the user left them open; each ring
needs at least three distinct corners. Every problem is an ApplicationError on the given field.
"""

import json

from django.utils.translation import gettext as _

from core.errors import ApplicationError
from geo import coords

MAX_POSITIONS = 5000


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, fields={field: [message]})


def check_point(lat, lng, *, field: str = "latitude") -> tuple[float, float]:
    try:
        lat, lng = float(lat), float(lng)
    except (TypeError, ValueError) as exc:
        raise _error(field, _("Enter the latitude and longitude as numbers, e.g. 34.37 and 118.35.")) from exc
    if not (-90 <= lat <= 90):
        raise _error("latitude", _("The latitude is between -90 and 90 degrees."))
    if not (-180 <= lng <= 180):
        raise _error("longitude", _("The longitude is between -180 and 180 degrees."))
    return lat, lng


def _ring(ring, field: str, counter: list[int], datum: str) -> list[list[float]]:
    if not isinstance(ring, list) or not all(isinstance(p, (list, tuple)) and len(p) >= 2 for p in ring):
        raise _error(field, _("Each ring is a list of [longitude, latitude] positions."))
    counter[0] += len(ring)
    if counter[0] > MAX_POSITIONS:
        raise _error(field, _("At most %(n)d positions.") % {"n": MAX_POSITIONS})
    points = []
    for position in ring:
        lat, lng = check_point(position[1], position[0], field=field)
        lat, lng = coords.to_wgs84(lat, lng, datum)
        points.append([float(coords.stored(lng)), float(coords.stored(lat))])
    if points and points[0] != points[-1]:
        points.append(points[0])
    if len({tuple(p) for p in points}) < 3:
        raise _error(field, _("A ring needs at least three distinct corners."))
    return points


def _polygon(rings, field: str, counter: list[int], datum: str) -> list:
    if not isinstance(rings, list) or not rings:
        raise _error(field, _("A polygon is a list of rings, the outer ring first."))
    return [_ring(r, field, counter, datum) for r in rings]


def parse_geometry(value, *, field: str, datum: str, kinds: tuple[str, ...]) -> dict | None:
    """A GeoJSON geometry (a dict, or its text; a Feature's geometry is taken) of one of
    `kinds`, in WGS-84. Empty gives None."""
    if value in (None, "", {}):
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise _error(field, _("This is not GeoJSON: %(error)s") % {"error": exc}) from exc
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict) or value.get("type") not in kinds:
        raise _error(field, _("Give a GeoJSON geometry of type %(kinds)s.") % {"kinds": " / ".join(kinds)})
    counter = [0]
    if value["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": _polygon(value.get("coordinates"), field, counter, datum)}
    polygons = value.get("coordinates")
    if not isinstance(polygons, list) or not polygons:
        raise _error(field, _("A multipolygon is a list of polygons."))
    return {"type": "MultiPolygon", "coordinates": [_polygon(p, field, counter, datum) for p in polygons]}


def transform_geometry(geometry: dict | None, datum: str) -> dict | None:
    """A stored (WGS-84) Polygon or MultiPolygon in another datum, for display."""
    if not geometry or datum == coords.Datum.WGS84:
        return geometry

    def ring(points):
        return [list(reversed(coords.from_wgs84(lat, lng, datum))) for lng, lat in points]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in geometry["coordinates"]]}


def centroid(geometry: dict) -> tuple[float, float]:
    """The mean of the outer ring's corners (lat, lng): a label point, not a true centroid."""
    outer = geometry["coordinates"][0] if geometry["type"] == "Polygon" else geometry["coordinates"][0][0]
    corners = outer[:-1] or outer
    return sum(p[1] for p in corners) / len(corners), sum(p[0] for p in corners) / len(corners)
