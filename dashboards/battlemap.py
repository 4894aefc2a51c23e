"""The battle map (挂图作战): the projects of the project list's filters as points coloured by
health (dashboards.health, the one definition: rules kept as data) or by stage, over the parks'
boundaries, with the rows behind each colour. Two queries whatever the number of projects.

Points and boundaries are given in the datum of the background (geo.selectors.tile_config):
WGS-84 as stored, unless MAP_TILE_DATUM says the city's tiles are GCJ-02.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboards.health import active_rules, health_reasons, with_health
from dashboards.models import Color
from geo.models import ProjectLocation
from geo.selectors import park_features, parks_with_boundaries, point_in, tile_config
from projects.models import Project, Stage

HEALTH, STAGE = "health", "stage"
COLOR_BY = {HEALTH: gettext_lazy("Health"), STAGE: gettext_lazy("Stage")}
# Fill colours; the legend and the list beside the map say the same in words.
HEALTH_COLORS = {Color.RED: "#c0262d", Color.YELLOW: "#d99a00", Color.GREEN: "#17703f", "": "#7a8ea8"}
STAGE_COLORS = {
    Stage.PLANNED: "#9aa5b1",
    Stage.NEGOTIATING: "#7b61c4",
    Stage.SIGNED: "#2f6fd1",
    Stage.STARTED: "#0f8a9d",
    Stage.UNDER_CONSTRUCTION: "#d97a00",
    Stage.COMPLETED: "#5c8f22",
    Stage.IN_PRODUCTION: "#17703f",
    Stage.AT_CAPACITY: "#0b4a2a",
    Stage.STOPPED: "#4a4f57",
}


@dataclass(frozen=True)
class MapRow:
    project: Project
    location: ProjectLocation | None
    key: str  # the health colour or the stage
    label: str
    color: str
    reasons: list


def _legend_entries(color_by: str) -> list[tuple[str, str, str]]:
    if color_by == STAGE:
        return [(s.value, str(s.label), STAGE_COLORS[s]) for s in Stage]
    return [(c.value, str(c.label), HEALTH_COLORS[c]) for c in Color] + [("", _("Stopped"), HEALTH_COLORS[""])]


def map_projects(
    *, projects: QuerySet[Project], today: datetime.date, now: datetime.datetime, rules
) -> QuerySet[Project]:
    """`projects` (the project list, scoped and filtered: dashboards.filters.MapFilter over
    projects.selectors.project_list), with their health as of today and their location (one query)."""
    listed = projects.order_by().values("pk")
    qs = Project.objects.filter(pk__in=listed).select_related("park", "enterprise", "location")
    return with_health(qs, rules=rules, year=today.year, as_of=today, now=now).order_by("-is_key", "code")


def battle_map(
    *, user, projects: QuerySet[Project], color_by: str = HEALTH, today: datetime.date | None = None, now=None
) -> dict:
    """Everything the map page and the map API show: points, legend with counts, park
    boundaries, the rows (located first) and the projects with no location yet."""
    today = today or timezone.localdate()
    now = now or timezone.now()
    color_by = color_by if color_by in COLOR_BY else HEALTH
    rules = active_rules()
    tiles = tile_config()
    legend = {
        key: {"key": key, "label": label, "color": color, "count": 0} for key, label, color in _legend_entries(color_by)
    }
    rows: list[MapRow] = []
    for project in map_projects(projects=projects, today=today, now=now, rules=rules):
        try:
            location = project.location
        except ProjectLocation.DoesNotExist:
            location = None
        key = project.stage if color_by == STAGE else project.health
        entry = legend[key]
        entry["count"] += 1
        reasons = health_reasons(project, rules, year=today.year, as_of=today)
        rows.append(MapRow(project, location, key, entry["label"], entry["color"], reasons))
    points = []
    for row in rows:
        if row.location is None:
            continue
        lat, lng = point_in(row.location, tiles.datum)
        p = row.project
        health = str(Color(p.health).label) if p.health else _("Stopped")
        points.append(
            {
                "id": p.pk,
                "code": p.code,
                "name": p.name,
                "lat": lat,
                "lng": lng,
                "key": row.key,
                "color": row.color,
                "stage": p.stage,
                "health": p.health,
                "url": reverse("projects:detail", args=[p.pk]),
                "lines": [
                    f"{p.code} · {p.park.short_name or p.park.name}",
                    _("Stage: %(stage)s · Health: %(health)s") % {"stage": p.get_stage_display(), "health": health},
                    *[r.text for r in row.reasons],
                ],
            }
        )
    parks = park_features(list(parks_with_boundaries(user)), tiles.datum)
    return {
        "color_by": color_by,
        "color_by_label": str(COLOR_BY[color_by]),
        "tile": tiles,
        "legend": list(legend.values()),
        "rows": [r for r in rows if r.location is not None],
        "unlocated": [r for r in rows if r.location is None],
        "points": points,
        "parks": parks,
        "data": {
            "tile": tiles.as_dict(),
            "parks": parks,
            "points": points,
            "picker": False,
        },
    }
