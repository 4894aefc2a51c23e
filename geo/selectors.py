"""Reads of locations and boundaries, scoped by role, and the map's display settings."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from core.models import Park
from geo import coords
from geo.geometry import transform_geometry
from geo.models import ParkBoundary, ProjectLocation
from geo.permissions import can_view_map
from projects.selectors import visibility_q


@dataclass(frozen=True)
class TileConfig:
    """The background map: none by default (the app's own data is drawn on a plain ground);
    MAP_TILE_URL names the city's own tile server, MAP_TILE_DATUM the datum its tiles are
    drawn in (every point is shown, and every click read, in that datum)."""

    url: str
    attribution: str
    datum: str
    max_zoom: int

    def as_dict(self) -> dict:
        return {"url": self.url, "attribution": self.attribution, "datum": self.datum, "maxZoom": self.max_zoom}


def tile_config() -> TileConfig:
    datum = settings.MAP_TILE_DATUM if settings.MAP_TILE_DATUM in coords.Datum.values else coords.Datum.WGS84
    return TileConfig(
        url=settings.MAP_TILE_URL,
        attribution=settings.MAP_TILE_ATTRIBUTION,
        datum=datum if settings.MAP_TILE_URL else coords.Datum.WGS84,
        max_zoom=settings.MAP_TILE_MAX_ZOOM,
    )


def locations_visible_to(user) -> QuerySet[ProjectLocation]:
    if not can_view_map(user):
        return ProjectLocation.objects.none()
    qs = ProjectLocation.objects.select_related("project", "updated_by__official")
    q = visibility_q(user, prefix="project__")
    return qs if q is None else qs.filter(q)


def location_of(project) -> ProjectLocation | None:
    return ProjectLocation.objects.filter(project=project).select_related("updated_by__official").first()


def parks_with_boundaries(user) -> QuerySet[Park]:
    """Every park (the directory is readable by all with a role) with its boundary, if drawn."""
    if not can_view_map(user):
        return Park.objects.none()
    return Park.objects.select_related("boundary", "committee").order_by("sort_order", "name")


def boundary_of(park) -> ParkBoundary | None:
    """The park's boundary (read from `parks_with_boundaries`' join when loaded through it)."""
    try:
        return park.boundary
    except ParkBoundary.DoesNotExist:
        return None


def boundaries_visible_to(user) -> QuerySet[ParkBoundary]:
    if not can_view_map(user):
        return ParkBoundary.objects.none()
    return ParkBoundary.objects.select_related("park", "updated_by__official")


def point_in(location: ProjectLocation, datum: str) -> tuple[float, float]:
    """The stored point in `datum` (lat, lng)."""
    return coords.from_wgs84(float(location.latitude), float(location.longitude), datum)


def park_features(parks, datum: str) -> list[dict]:
    """GeoJSON features of the parks that have a boundary, in `datum`."""
    features = []
    for park in parks:
        boundary = boundary_of(park)
        if boundary is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": transform_geometry(boundary.geometry, datum),
                "properties": {"id": park.pk, "name": park.name, "short_name": park.short_name or park.name},
            }
        )
    return features
