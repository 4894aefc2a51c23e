"""The location section of the project page (projects.sections): a small map of the project's
point, site outline and park boundary, the coordinates in both datums, and for who may change
the project a form to type the coordinates (choosing the datum) or to click the map."""

from django.utils.translation import gettext_lazy as _

from geo import coords
from geo.forms import LocationForm
from geo.geometry import transform_geometry
from geo.models import ParkBoundary
from geo.permissions import can_set_location
from geo.selectors import location_of, park_features, point_in, tile_config
from projects import sections


def location_context(request, project, *, can_edit: bool, bound: dict) -> dict:
    location = location_of(project)
    tiles = tile_config()
    may_edit = can_set_location(request.user, project)
    form = None
    if may_edit:
        initial = {"datum": tiles.datum}
        if location is not None:
            lat, lng = point_in(location, tiles.datum)
            initial.update(latitude=round(lat, 7), longitude=round(lng, 7), address=location.address)
        form = bound.get("form") or LocationForm(initial=initial, auto_id="id_loc_%s")
    boundary = ParkBoundary.objects.filter(park=project.park_id).select_related("park").first()
    parks = [boundary.park] if boundary else []
    map_data = {
        "tile": tiles.as_dict(),
        "parks": park_features(parks, tiles.datum),
        "points": [],
        "picker": form is not None,
        "labels": {"park": str(_("Park")), "site": str(_("Site outline"))},
    }
    if location is not None:
        lat, lng = point_in(location, tiles.datum)
        map_data["points"].append({"lat": lat, "lng": lng, "name": project.name, "color": "#0b4aa2"})
        map_data["site"] = transform_geometry(location.site, tiles.datum)
    return {
        "project": project,
        "location": location,
        "wgs84": (float(location.latitude), float(location.longitude)) if location else None,
        "gcj02": point_in(location, coords.Datum.GCJ02) if location else None,
        "form": form,
        "map": map_data,
        "map_id": f"location-map-data-{project.pk}",
    }


def register() -> None:
    sections.register(
        sections.Section(
            key="location",
            label=_("Location"),
            template="geo/_project_location.html",
            context=location_context,
            column=sections.MAIN,
            order=40,
        )
    )
