"""Reads of projects: scoping per role, search, derived values, constant query counts."""

import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from core.models import Role
from projects import selectors
from projects.filters import ProjectFilter
from projects.models import Stage
from tests.factories import (
    AnnualTargetFactory,
    DepartmentFactory,
    EnterpriseFactory,
    MilestoneFactory,
    ProgressReportFactory,
    ProjectFactory,
    user_with_role,
)

from .conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_projects(world):
    other = ProjectFactory(name="高新区项目", responsible_unit=DepartmentFactory(name="高新区管委会"))
    return world["project"], other


@pytest.mark.parametrize(
    ("role", "sees_own", "sees_other"),
    [
        ("leader", True, True),
        ("supervisor", True, True),
        ("official", True, False),
        ("other_official", False, True),
        ("staff", True, False),
        ("handler", False, False),
    ],
)
def test_visibility_per_role(world, two_projects, role, sees_own, sees_other):
    own, other = two_projects
    visible = set(selectors.projects_visible_to(world[role]))
    assert (own in visible) is sees_own
    assert (other in visible) is sees_other
    if not sees_own:
        with pytest.raises(Http404):
            selectors.project_get_visible(user=world[role], pk=own.pk)


def test_user_without_profile_sees_nothing(world, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x")
    assert not selectors.projects_visible_to(user).exists()


def test_official_sees_projects_of_the_park_committee_and_own_assignments(world):
    in_park = ProjectFactory(park=world["park"], responsible_unit=None)
    assigned = ProjectFactory(responsible_official=world["other_official"].official)
    assert in_park in selectors.projects_visible_to(world["official"])
    assert assigned in selectors.projects_visible_to(world["other_official"])


def test_staff_sees_projects_of_enterprises_their_team_serves(world):
    served = ProjectFactory(enterprise=EnterpriseFactory())
    world["team"].enterprises.add(served.enterprise)
    assert served in selectors.projects_visible_to(world["staff"])


def listed(user, **params):
    """The project list of `user` narrowed by the list's FilterSet (as the page and the API do)."""
    return ProjectFilter(params, queryset=selectors.project_list(user=user)).qs


@pytest.mark.parametrize("q", ["zxgt", "ZXGT", "中新", "钢铁", "XY-2026"])
def test_search_by_name_code_and_pinyin_initials(world, q):
    ProjectFactory(name="水性超纤项目", code="OTHER-1")
    found = list(listed(world["leader"], q=q))
    assert world["project"] in found
    if q != "XY-2026":
        assert len(found) == 1


def test_filters(world):
    key = ProjectFactory(is_key=True, stage=Stage.SIGNED, park=world["park"])
    assert list(listed(world["leader"], stage=Stage.SIGNED)) == [key]
    assert list(listed(world["leader"], is_key=True)) == [key]
    assert set(listed(world["leader"], park=world["park"].pk)) == {key, world["project"]}


def test_cumulative_and_year_investment_are_derived(world):
    project = world["project"]
    ProgressReportFactory(project=project, month=datetime.date(2025, 12, 1), investment=Decimal("100"))
    ProgressReportFactory(project=project, month=datetime.date(2026, 9, 1), investment=Decimal("250.5"))
    ProgressReportFactory(project=project, month=datetime.date(2026, 10, 1), investment=Decimal("49.5"))
    AnnualTargetFactory(project=project, year=2026, planned_investment=Decimal("1000"))
    row = selectors.project_list(user=world["leader"], today=TODAY).get(pk=project.pk)
    assert row.cumulative_investment == Decimal("400.00")
    assert row.year_investment == Decimal("300.00")
    assert row.year_plan == Decimal("1000.00")
    assert row.last_report_month == datetime.date(2026, 10, 1)
    reports = list(selectors.progress_reports_for(project=project))
    assert [r.cumulative for r in reports] == [Decimal("400.00"), Decimal("350.50"), Decimal("100.00")]
    # Filtering the reports does not change the cumulative figure of those that remain.
    filtered = selectors.progress_reports_visible_to(world["leader"]).filter(month__gte=datetime.date(2026, 10, 1))
    assert [r.cumulative for r in filtered] == [Decimal("400.00")]


def test_project_without_reports_has_zero_cumulative_and_no_plan(world):
    row = selectors.project_list(user=world["leader"], today=TODAY).get()
    assert row.cumulative_investment == Decimal("0")
    assert row.year_plan is None
    assert row.last_report_month is None


@pytest.mark.parametrize(
    ("today", "due_month"),
    [
        (datetime.date(2026, 11, 5), datetime.date(2026, 9, 1)),  # October's report still within its time
        (datetime.date(2026, 11, 6), datetime.date(2026, 10, 1)),
        (datetime.date(2026, 1, 27), datetime.date(2025, 12, 1)),
    ],
)
def test_report_due_month(today, due_month):
    assert selectors.report_month_due(today) == due_month


def test_missing_report_flag(world):
    project = world["project"]
    unstarted = ProjectFactory(stage=Stage.SIGNED, park=world["park"])
    assert selectors.project_list(user=world["leader"], today=TODAY).get(pk=project.pk).report_missing is True
    ProgressReportFactory(project=project, month=datetime.date(2026, 10, 1))
    rows = {p.pk: p for p in selectors.project_list(user=world["leader"], today=TODAY)}
    assert rows[project.pk].report_missing is False
    assert rows[unstarted.pk].report_missing is False  # not started: nothing to report yet


def test_overdue_milestones_are_derived_from_dates(world):
    project = world["project"]
    MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 26))  # overdue
    MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 27))  # due today: not overdue
    MilestoneFactory(project=project, due_date=datetime.date(2026, 11, 1), completed_on=datetime.date(2026, 11, 2))
    row = selectors.project_list(user=world["leader"], today=TODAY).get()
    assert row.overdue_milestones == 1
    flags = sorted(m.overdue for m in selectors.milestones_for(project=project, today=TODAY))
    assert flags == [False, False, True]


def _make_projects(n, world):
    for i in range(n):
        project = ProjectFactory(park=world["park"], responsible_unit=world["committee"], service_team=world["team"])
        ProgressReportFactory(project=project, month=datetime.date(2026, 10, 1), investment=Decimal(i))
        MilestoneFactory(project=project, due_date=datetime.date(2026, 1, 1))
        AnnualTargetFactory(project=project)


@pytest.mark.parametrize("role", ["leader", "official", "staff"])
def test_project_list_runs_constant_queries(world, role):
    def count(n):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            rows = list(selectors.project_list(user=world[role], today=TODAY))
            for row in rows:
                _ = (row.enterprise.name, row.park.name, row.responsible_unit, row.segment, row.cumulative_investment)
        return len(ctx.captured_queries), len(rows)

    _make_projects(5, world)
    small, rows_small = count(5)
    _make_projects(45, world)
    large, rows_large = count(50)
    assert (rows_small, rows_large) == (6, 51)
    assert small == large


def test_roles_helper_for_superuser(django_user_model):
    from core.roles import role_of

    admin = django_user_model.objects.create_superuser("root", password="x")
    assert role_of(admin) == Role.SUPERVISOR
    assert user_with_role(Role.HANDLER) is not None


def test_a_project_with_phases_reports_through_them(world):
    parent = world["project"]
    phase = ProjectFactory(parent=parent, park=world["park"], responsible_unit=world["committee"])
    rows = {p.pk: p for p in selectors.project_list(user=world["leader"], today=TODAY)}
    assert rows[parent.pk].report_missing is False
    assert rows[phase.pk].report_missing is True


def test_responsible_official_of_a_milestone_sees_its_project(world):
    other = world["other_official"]
    assert world["project"] not in selectors.projects_visible_to(other)
    MilestoneFactory(project=world["project"], responsible=other.official)
    assert world["project"] in selectors.projects_visible_to(other)
    assert selectors.milestones_visible_to(other).count() == 1
