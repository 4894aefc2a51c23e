"""A milestone's state (met / due / overdue, due soon, met on time) is defined once, in
projects.milestones: the database conditions and the evaluation of a loaded row agree on every
combination of dates, and every reader (project page, API, campaign figures, cockpit health,
reminders, exports) uses it."""

import datetime

import pytest
import time_machine

from projects import milestones
from projects.milestones import DUE_SOON_DAYS, State
from projects.models import Milestone
from projects.selectors import milestones_for, with_progress
from tests.factories import MilestoneFactory, ProjectFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 11, 27)


def _on(offset: int) -> datetime.date:
    return DAY + datetime.timedelta(days=offset)


@pytest.fixture
def every_case():
    """A milestone for each due date around DAY (including the due-soon edge) crossed with each
    completion: never, before, on and after DAY (completed after DAY is not met on DAY)."""
    project = ProjectFactory()
    rows = []
    for due in (-30, -1, 0, 1, DUE_SOON_DAYS, DUE_SOON_DAYS + 1, 40):
        for done in (None, -40, -2, 0, 3):
            rows.append(MilestoneFactory(project=project, due_date=_on(due), completed_on=_on(done) if done else None))
    return rows


def test_the_database_and_python_agree_on_every_case(every_case):
    annotated = Milestone.objects.annotate(**milestones.state_annotations(DAY)).in_bulk()
    for milestone in every_case:
        row = annotated[milestone.pk]
        assert row.state == milestones.state_of(milestone, DAY), milestone.__dict__
        assert row.due_soon == milestones.is_due_soon(milestone, DAY), milestone.__dict__
        for state in State:
            in_db = Milestone.objects.filter(milestones.state_q(state, day=DAY), pk=milestone.pk).exists()
            assert in_db == (milestones.state_of(milestone, DAY) == state)
        on_time = Milestone.objects.filter(milestones.met_on_time_q(DAY), pk=milestone.pk).exists()
        assert on_time == milestones.is_met_on_time(milestone, DAY)


def test_the_rules():
    def state(due, done=None):
        return milestones.state_of(
            Milestone(due_date=_on(due), completed_on=_on(done) if done is not None else None), DAY
        )

    assert state(-1) == State.OVERDUE  # not done, due yesterday
    assert state(0) == State.DUE  # due today: not late yet
    assert state(-1, done=-3) == State.MET
    assert state(-1, done=+1) == State.OVERDUE  # completed only later: on DAY it was overdue
    soon = Milestone(due_date=_on(DUE_SOON_DAYS))
    later = Milestone(due_date=_on(DUE_SOON_DAYS + 1))
    assert milestones.is_due_soon(soon, DAY) and not milestones.is_due_soon(later, DAY)
    assert not milestones.is_due_soon(Milestone(due_date=_on(-1)), DAY)  # overdue is not "due soon"
    late = Milestone(due_date=_on(-5), completed_on=_on(-2))
    assert milestones.state_of(late, DAY) == State.MET and not milestones.is_met_on_time(late, DAY)


def test_counts_per_state(every_case):
    counts = Milestone.objects.aggregate(**milestones.state_counts(DAY))
    expected = {state: sum(milestones.state_of(m, DAY) == state for m in every_case) for state in State.values}
    assert {state: counts[state] for state in State.values} == expected
    assert counts["total"] == len(every_case) == sum(expected.values())
    assert counts["met_on_time"] == sum(milestones.is_met_on_time(m, DAY) for m in every_case)
    assert counts["due_so_far"] == sum(m.due_date <= DAY for m in every_case)


def test_the_project_selectors_read_it(every_case):
    project = every_case[0].project
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10), tick=False):
        rows = list(milestones_for(project=project, today=DAY))
        figures = with_progress(type(project).objects.filter(pk=project.pk), today=DAY).get()
    assert {m.pk: m.state for m in rows} == {m.pk: milestones.state_of(m, DAY) for m in every_case}
    assert all(m.overdue == (m.state == State.OVERDUE) for m in rows)
    assert figures.overdue_milestones == sum(milestones.state_of(m, DAY) == State.OVERDUE for m in every_case)
    assert every_case[0].is_overdue(DAY) == (milestones.state_of(every_case[0], DAY) == State.OVERDUE)
