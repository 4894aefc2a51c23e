"""The league table (红黑榜): measures per unit, the points formula, frozen snapshots."""

import datetime
from decimal import Decimal

import pytest

from core.errors import Conflict, PermissionDenied
from core.models import AuditEntry
from dashboards.league import league_standings, weighted_score
from dashboards.models import LeagueFormula, LeagueSnapshot
from dashboards.services import league_snapshot_publish

from .conftest import SHARE

pytestmark = pytest.mark.django_db

NOV = (datetime.date(2026, 11, 1), datetime.date(2026, 11, 30))
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))


def by_name(standings):
    return {s.name: s for s in standings}


def test_weighted_score_leaves_out_rates_that_do_not_exist():
    weights = {"milestones": 30, "investment": 30, "response": 15, "resolution": 15, "satisfaction": 10}
    assert weighted_score({"milestones": None, "investment": 1, "response": None}, weights) == Decimal("100.00")
    assert weighted_score(dict.fromkeys(weights), weights) is None
    assert weighted_score({"milestones": 0, "investment": Decimal("0.5")}, weights) == Decimal("25.00")


def test_parks_in_november(city):
    """Park A: milestones due 11-01..11-26 are M1 (open) and M4 (late) → 0/2; investment
    (600+1600)/(1000+2000) ÷ 序时进度; answered in time 1/1 (I1; I2 not yet due). Park B:
    investment 480/500 ÷ 序时进度, capped at 1; nothing else to measure."""
    parks = by_name(league_standings(kind="park", start=NOV[0], end=NOV[1]))
    a, b = parks["经开区"], parks["高新区"]
    assert (a.milestones_due, a.milestones_on_time) == (2, 0)
    assert (a.year_plan, a.year_done) == (Decimal("3000"), Decimal("2200"))
    investment_a = Decimal("2200") / Decimal("3000") / SHARE
    assert a.rates["investment"] == investment_a
    assert (a.response_due, a.response_in_time) == (1, 1)
    assert a.rates["resolution"] is None and a.rates["satisfaction"] is None
    expected = (Decimal(100) * (30 * investment_a + 15) / 75).quantize(Decimal("0.01"))
    assert a.score == expected == Decimal("52.35")
    assert b.rates == {"milestones": None, "investment": 1, "response": None, "resolution": None, "satisfaction": None}
    assert b.score == Decimal("100.00")
    assert (b.rank, a.rank) == (1, 2)


def test_red_and_black_lists_follow_the_formula(city):
    LeagueFormula.objects.filter(kind="park").update(red_count=1, black_count=1)
    parks = by_name(league_standings(kind="park", start=NOV[0], end=NOV[1]))
    assert (parks["高新区"].band, parks["经开区"].band) == ("red", "black")


def test_departments_over_the_year(city):
    """Departments are ranked on the issues they lead (their projects: none here). D2: answered in
    time 1/2 (I4 late), resolved on time 1/2, satisfied 1/2 → 50; D1: answered 1/1 → 100.
    Park committees are ranked with the parks, not here; units with nothing measured are left out."""
    depts = league_standings(kind="department", start=YEAR[0], end=YEAR[1])
    assert [(s.name, s.rank, s.score) for s in depts] == [
        ("自然资源局", 1, Decimal("100.00")),
        ("生态环境局", 2, Decimal("50.00")),
    ]
    d2 = depts[1]
    assert (d2.response_due, d2.response_in_time, d2.resolved, d2.resolved_on_time, d2.rated, d2.satisfied) == (
        2,
        1,
        2,
        1,
        2,
        1,
    )


def test_a_published_snapshot_is_frozen(city):
    snapshot = league_snapshot_publish(kind="park", period_start=NOV[0], period_end=NOV[1], by=city.supervisor)
    rows = {r.name: r for r in snapshot.rows.all()}
    assert rows["经开区"].score == Decimal("52.35") and rows["经开区"].rank == 2
    assert rows["经开区"].park == city.park_a
    assert snapshot.weights["milestones"] == 30
    assert AuditEntry.objects.filter(action="league.publish").count() == 1

    # Later edits: M1 done on time after all, weights changed. The snapshot does not move.
    city.milestones["M1"].completed_on = datetime.date(2026, 11, 19)
    city.milestones["M1"].save()
    LeagueFormula.objects.filter(kind="park").update(weight_milestones=90)
    live = by_name(league_standings(kind="park", start=NOV[0], end=NOV[1]))
    assert live["经开区"].milestones_on_time == 1
    snapshot.refresh_from_db()
    rows = {r.name: r for r in snapshot.rows.all()}
    assert rows["经开区"].milestones_on_time == 0
    assert rows["经开区"].score == Decimal("52.35")
    assert snapshot.weights["milestones"] == 30


def test_one_snapshot_per_period_and_supervisors_only(city):
    league_snapshot_publish(kind="park", period_start=NOV[0], period_end=NOV[1], by=city.supervisor)
    with pytest.raises(Conflict):
        league_snapshot_publish(kind="park", period_start=NOV[0], period_end=NOV[1], by=city.supervisor)
    with pytest.raises(PermissionDenied):
        league_snapshot_publish(kind="department", period_start=NOV[0], period_end=NOV[1], by=city.leader)
    assert LeagueSnapshot.objects.count() == 1


def test_a_period_ending_before_it_starts_is_refused(city):
    from core.errors import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        league_snapshot_publish(kind="park", period_start=NOV[1], period_end=NOV[0], by=city.supervisor)
    assert "period_end" in exc.value.fields
    with pytest.raises(ApplicationError) as exc:
        league_snapshot_publish(
            kind="park",
            period_start=datetime.date(2027, 1, 1),
            period_end=datetime.date(2027, 1, 31),
            by=city.supervisor,
        )
    assert "period_start" in exc.value.fields
