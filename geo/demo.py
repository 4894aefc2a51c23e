"""Demo locations (see core/demo.py for how steps run): the parks' boundaries and the projects'
points in and around 新沂经济开发区 (about 34.37°N, 118.35°E), so the battle map shows the city
with no map tiles at all. Some points are typed in GCJ-02, as an official copying them from a
map app would, to show the conversion. Through geo.services; a location or a boundary is
written only when absent (a user may have moved it since). 智能装备 has no location yet: the map
lists it under "no location".
"""

from core import demo
from geo.coords import Datum
from geo.models import ParkBoundary, ProjectLocation
from geo.services import park_boundary_set, project_location_set
from projects import demo as projects_demo


def _box(south: float, west: float, north: float, east: float) -> dict:
    return {
        "type": "Polygon",
        "coordinates": [[[west, south], [east, south], [east, north], [west, north], [west, south]]],
    }


BOUNDARIES = {
    # WGS-84, as the city's GIS gives them
    demo.PARK_JK: {
        "type": "Polygon",
        "coordinates": [
            [
                [118.300, 34.345],
                [118.392, 34.342],
                [118.405, 34.372],
                [118.388, 34.402],
                [118.322, 34.404],
                [118.296, 34.378],
                [118.300, 34.345],
            ]
        ],
    },
    demo.PARK_GX: _box(34.318, 118.402, 34.338, 118.438),
    demo.PARK_WL: _box(34.406, 118.262, 34.424, 118.292),
}

POINTS = [
    # project, lat, lng, datum, address, site outline (in the same datum)
    (
        projects_demo.PROJECT_SXCX,
        34.3766,
        118.3551,
        Datum.GCJ02,
        "新沂经济开发区超纤路8号",
        _box(34.3735, 118.3505, 34.3800, 118.3600),
    ),
    (projects_demo.PROJECT_ZXGT2, 34.3570, 118.3170, Datum.WGS84, "新沂经济开发区钢铁大道1号", None),
    (projects_demo.PROJECT_ZXGT2_STEEL, 34.3555, 118.3125, Datum.WGS84, "新沂经济开发区钢铁大道1号", None),
    (projects_demo.PROJECT_ZXGT2_HEAT, 34.3592, 118.3210, Datum.WGS84, "新沂经济开发区钢铁大道1号", None),
    (projects_demo.PROJECT_ZXGT2_EMISSIONS, 34.3530, 118.3205, Datum.WGS84, "新沂经济开发区钢铁大道1号", None),
    (projects_demo.PROJECT_MIER, 34.3868, 118.3702, Datum.GCJ02, "新沂经济开发区化工路16号", None),
    (projects_demo.PROJECT_INSTITUTE, 34.3712, 118.3650, Datum.WGS84, "新沂经济开发区超纤路9号", None),
    (projects_demo.PROJECT_LITHIUM, 34.3275, 118.4180, Datum.WGS84, "新沂高新区创新大道20号", None),
    (projects_demo.PROJECT_LOGISTICS, 34.4150, 118.2760, Datum.WGS84, "新沂现代物流园通港路5号", None),
]


def build_boundaries(ctx: demo.DemoContext) -> None:
    supervisor = ctx.users["demo-supervisor"]
    for short, geometry in BOUNDARIES.items():
        park = ctx.parks[short]
        if not ParkBoundary.objects.filter(park=park).exists():
            park_boundary_set(park=park, by=supervisor, geometry=geometry, datum=Datum.WGS84)


def build_locations(ctx: demo.DemoContext) -> None:
    for code, lat, lng, datum, address, site in POINTS:
        project = ctx.projects[code]
        if ProjectLocation.objects.filter(project=project).exists():
            continue
        project_location_set(
            project=project,
            by=ctx.users["demo-supervisor"],
            latitude=lat,
            longitude=lng,
            datum=datum,
            site=site,
            address=address,
        )


STEPS = [build_boundaries, build_locations]
