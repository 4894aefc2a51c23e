"""The demo world of intake, funding and the battle map (intake/demo.py, funding/demo.py,
geo/demo.py): 米尔化工's expansion awaits review, 水性超纤 has its sources of funds and one policy
fund sought, projects and parks are on the map around 新沂经济开发区; a second run changes nothing."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from core import demo
from core.models import Park
from funding.models import FundingLine, PolicySupport
from geo.models import ParkBoundary, ProjectLocation
from intake.models import Candidate, CandidateEvent, DispatchEntry, Status
from projects import demo as projects_demo

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 27)
MODELS = [Candidate, CandidateEvent, DispatchEntry, FundingLine, PolicySupport, ProjectLocation, ParkBoundary]


def _load():
    moment = datetime.datetime.combine(TODAY, datetime.time(10), tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def loaded(settings):
    settings.DEBUG = True
    _load()


def test_mier_expansion_awaits_review_from_the_park(loaded):
    candidate = Candidate.objects.get(enterprise__short_name="米尔化工")
    assert candidate.status == Status.SUBMITTED
    assert candidate.unit.name == "新沂经济开发区管委会"
    assert candidate.land_area and candidate.energy_tce
    assert Candidate.objects.filter(status=Status.RETURNED).count() == 1
    assert DispatchEntry.objects.filter(year=2026, project__code=projects_demo.PROJECT_SXCX).exists()


def test_the_microfibre_project_has_funding_and_a_policy_fund(loaded):
    lines = FundingLine.objects.filter(project__code=projects_demo.PROJECT_SXCX, year=2026)
    assert lines.count() >= 3
    assert all(line.received <= line.planned for line in lines)
    (policy,) = PolicySupport.objects.filter(project__code=projects_demo.PROJECT_SXCX)
    assert policy.status == "applying"


def test_projects_and_parks_are_on_the_map_around_xinyi(loaded):
    assert ParkBoundary.objects.count() == Park.objects.count()
    jk = ProjectLocation.objects.get(project__code=projects_demo.PROJECT_SXCX)
    assert abs(float(jk.latitude) - 34.37) < 0.05 and abs(float(jk.longitude) - 118.35) < 0.05
    assert jk.entered_datum == "gcj02" and jk.site is not None
    assert ProjectLocation.objects.filter(project__park__short_name=demo.PARK_JK).count() >= 6
    assert not ProjectLocation.objects.filter(project__code=projects_demo.PROJECT_EQUIPMENT).exists()


def test_a_second_run_changes_nothing(loaded):
    before = {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS}
    _load()
    assert {m.__name__: list(m.objects.order_by("pk").values()) for m in MODELS} == before
