"""Every cockpit figure against the hand-counted city of conftest.py (and against nothing)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from core.rates import Rate
from dashboards.filters import DashboardFilter
from dashboards.health import health_reasons
from dashboards.measures import report_date, time_elapsed_share
from dashboards.models import HealthRule
from dashboards.selectors import (
    chain_map,
    cockpit,
    dashboard_scope,
    drill_projects,
    health_rows,
)
from dashboards.services import project_health_refresh
from projects.models import Stage
from tests.factories import AnnualTargetFactory

from .conftest import SHARE, TODAY

pytestmark = pytest.mark.django_db


def scope_for(user, year=2026, **filters):
    params = {"year": year, **{name: getattr(value, "pk", value) for name, value in filters.items()}}
    return dashboard_scope(user=user, filters=DashboardFilter(params, today=TODAY))


def codes(rows) -> set[str]:
    return {r["project"].code if isinstance(r, dict) else r.code for r in rows}


# --- Measures -----------------------------------------------------------------------------------


def test_time_elapsed_share_counts_the_report_date_itself():
    assert time_elapsed_share(2026, datetime.date(2026, 1, 1)) == Decimal(1) / Decimal(365)
    assert time_elapsed_share(2026, datetime.date(2026, 11, 27)) == Decimal(331) / Decimal(365)
    assert time_elapsed_share(2026, datetime.date(2026, 12, 31)) == 1
    assert time_elapsed_share(2028, datetime.date(2028, 12, 31)) == 1  # leap year: 366/366
    assert time_elapsed_share(2028, datetime.date(2028, 3, 1)) == Decimal(61) / Decimal(366)


def test_report_date_of_past_current_and_future_years():
    assert report_date(2025, TODAY) == datetime.date(2025, 12, 31)
    assert report_date(2026, TODAY) == TODAY
    future = report_date(2027, TODAY)
    assert time_elapsed_share(2027, future) == 0


def test_a_rate_with_an_empty_denominator_is_none_not_zero():
    assert Rate(0, 0).value is None
    assert Rate(0, 0).percent is None
    assert Rate(0, 4).percent == Decimal("0.0")
    assert Rate(2, 3).percent == Decimal("66.7")


# --- The city -----------------------------------------------------------------------------------


def test_stage_counts(city):
    stages = {s["stage"]: s["count"] for s in cockpit(scope_for(city.leader))["stages"]}
    assert stages == {
        Stage.PLANNED: 1,
        Stage.NEGOTIATING: 0,
        Stage.SIGNED: 1,
        Stage.STARTED: 1,
        Stage.UNDER_CONSTRUCTION: 2,
        Stage.COMPLETED: 0,
        Stage.IN_PRODUCTION: 1,
        Stage.AT_CAPACITY: 0,
        Stage.STOPPED: 1,
    }


def test_stage_counts_link_to_the_filtered_project_list(city):
    stages = cockpit(scope_for(city.leader, park=city.park_a))["stages"]
    signed = next(s for s in stages if s["stage"] == Stage.SIGNED)
    assert signed["count"] == 1
    assert signed["url"] == f"/projects/?park={city.park_a.pk}&stage=signed"


def test_investment_summary(city):
    inv = cockpit(scope_for(city.leader))["investment"]
    assert inv["project_count"] == 7
    assert inv["total_investment"] == Decimal("70000")
    assert inv["plan_projects"] == 3
    assert inv["year_plan"] == Decimal("3500")
    assert inv["year_done_planned"] == Decimal("2680")
    assert inv["year_done_all"] == Decimal("2730")
    assert inv["completion"].value == Decimal("2680") / Decimal("3500")
    assert inv["completion"].percent == Decimal("76.6")
    assert inv["time_share"] == SHARE
    assert inv["points_vs_schedule"] == Decimal("-14.1")


def test_monthly_curve(city):
    monthly = cockpit(scope_for(city.leader))["investment"]["monthly"]
    assert [m["done"] for m in monthly] == [
        Decimal(v) for v in ["100", "200", "0", "800", "0", "200", "0", "280", "800", "300", "0"]
    ] + [None]
    assert [m["cumulative"] for m in monthly][-3:] == [Decimal("2680"), Decimal("2680"), None]
    assert monthly[0]["cumulative"] == Decimal("100")
    assert monthly[3]["cumulative"] == Decimal("1100")
    # The plan line: 3500 × days elapsed at the month's end ÷ 365.
    assert monthly[0]["plan_to_date"] == (Decimal("3500") * 31 / 365).quantize(Decimal("0.01"))
    assert monthly[11]["plan_to_date"] == Decimal("3500.00")


def test_start_and_production_rates(city):
    data = cockpit(scope_for(city.leader))
    assert (data["start"]["rate"].numerator, data["start"]["rate"].denominator) == (2, 5)
    assert data["start"]["rate"].percent == Decimal("40.0")
    assert (data["production"]["rate"].numerator, data["production"]["rate"].denominator) == (1, 2)


def test_start_rate_lists_the_projects_behind_it(city):
    scope = scope_for(city.leader)
    assert codes(drill_projects(scope, "start", {})) == {"P1", "P2", "P3", "P5"}  # P6 stopped: no health row
    assert codes(drill_projects(scope, "start", {"state": "pending"})) == {"P2", "P3"}
    assert codes(drill_projects(scope, "production", {})) == {"P4", "P5"}
    assert codes(drill_projects(scope, "production", {"state": "pending"})) == {"P5"}


def test_health_counts_and_reasons(city):
    scope = scope_for(city.leader)
    health = cockpit(scope)["health"]
    assert {c["color"]: c["count"] for c in health["colors"]} == {"red": 3, "yellow": 1, "green": 2}
    assert health["total"] == 6
    by_rule = {(r["color"], HealthRule.objects.get(pk=r["id"]).kind): r["count"] for r in health["rules"]}
    assert by_rule == {
        ("red", "blocking_issue_overdue"): 1,  # P1
        ("red", "investment_lag"): 1,  # P1
        ("red", "milestone_overdue"): 1,  # P5
        ("red", "start_late"): 1,  # P3
        ("yellow", "investment_lag"): 2,  # P1 (also red) and P5
        ("yellow", "start_late"): 2,  # P2 and P3 (also red)
    }
    rows = {r["project"].code: r for r in health_rows(scope, drill_projects(scope, "health", {}))}
    assert {code: r["health"] for code, r in rows.items()} == {
        "P1": "red",
        "P2": "yellow",
        "P3": "red",
        "P4": "green",
        "P5": "red",
        "P7": "green",
    }
    p1 = {r.kind: r for r in rows["P1"]["reasons"]}
    assert set(p1) == {"investment_lag", "blocking_issue_overdue"}
    assert p1["investment_lag"].color == "red"  # the most severe rule of a measure only
    assert "60.0%" in p1["investment_lag"].text and "90.7%" in p1["investment_lag"].text
    assert "30.7" in p1["investment_lag"].text
    p5 = {r.kind: r for r in rows["P5"]["reasons"]}
    assert p5["milestone_overdue"].color == "red"
    assert p5["investment_lag"].color == "yellow"
    assert "2026年11月20日" in p5["milestone_overdue"].text
    assert [r.kind for r in rows["P3"]["reasons"]] == ["start_late"]
    assert "2026年7月" in rows["P3"]["reasons"][0].text
    assert rows["P4"]["reasons"] == [] and rows["P7"]["reasons"] == []


def test_health_drill_down_by_colour_and_by_rule(city):
    scope = scope_for(city.leader)
    assert codes(drill_projects(scope, "health", {"color": "red"})) == {"P1", "P3", "P5"}
    rule = HealthRule.objects.get(kind="start_late", color="yellow")
    assert codes(drill_projects(scope, "health", {"rule": str(rule.pk)})) == {"P2", "P3"}


def test_health_thresholds_are_data(city):
    """A supervisor raising the red start threshold to 5 months turns P3 yellow."""
    HealthRule.objects.filter(kind="start_late", color="red").update(threshold=5)
    project_health_refresh()  # what a rule change enqueues (dashboards.services.rule_save)
    health = cockpit(scope_for(city.leader))["health"]
    assert {c["color"]: c["count"] for c in health["colors"]} == {"red": 2, "yellow": 2, "green": 2}
    HealthRule.objects.update(is_active=False)
    project_health_refresh()
    health = cockpit(scope_for(city.leader))["health"]
    assert {c["color"]: c["count"] for c in health["colors"]} == {"red": 0, "yellow": 0, "green": 6}


def test_investment_lag_threshold_edges(city, frozen):
    """P5 is 10.68 points behind: the yellow rule at 10 fires (≥), at 10.68 exclusive it does not."""
    rule = HealthRule.objects.get(kind="investment_lag", color="yellow")
    scope = scope_for(city.leader)
    assert "P5" in codes(drill_projects(scope, "health", {"rule": str(rule.pk)}))
    rule.threshold, rule.inclusive = Decimal("10.69"), True
    rule.save()
    project_health_refresh()  # what a rule change enqueues (dashboards.services.rule_save)
    assert "P5" not in codes(drill_projects(scope_for(city.leader), "health", {"rule": str(rule.pk)}))


def test_campaign_countdown_milestones_and_goals(city):
    (c,) = cockpit(scope_for(city.leader))["campaigns"]
    assert c["days_left"] == 12
    assert (c["total"], c["met"], c["met_on_time"], c["due"], c["overdue"]) == (4, 2, 1, 1, 1)
    assert c["completion"].percent == Decimal("50.0")
    assert (c["on_time"].numerator, c["on_time"].denominator) == (1, 3)  # M1, M2, M4 due so far
    goals = {g["key"]: g for g in c["goals"]}
    assert (goals["projects_to_start"]["actual"], goals["projects_to_start"]["rate"].percent) == (2, Decimal("50.0"))
    assert goals["investment"]["actual"] == Decimal("1100")
    assert "projects_to_sign" not in goals  # no goal set
    assert c["urls"]["overdue"] == reverse("campaigns:detail", args=[city.campaign.pk]) + "?status=overdue"


def test_issues_by_department_and_rates(city):
    data = cockpit(scope_for(city.leader))
    (row,) = data["issues_by_department"]
    assert (row["department_id"], row["open"], row["overdue"]) == (city.d1.pk, 2, 1)
    assert row["overdue_url"] == reverse("issues:list") + f"?department={city.d1.pk}&overdue=true"
    rates = data["issue_rates"]
    assert rates["raised"] == 4
    assert (rates["response"].numerator, rates["response"].denominator) == (2, 3)
    assert (rates["resolution"].numerator, rates["resolution"].denominator) == (2, 4)
    assert (rates["on_time"].numerator, rates["on_time"].denominator) == (1, 2)
    assert (rates["satisfaction"].numerator, rates["satisfaction"].denominator) == (1, 2)


def test_recent_visits_count_open_instructions(city):
    (visit,) = cockpit(scope_for(city.leader))["visits"]
    assert (visit.instruction_count, visit.open_count) == (2, 1)


def test_the_leaders_own_projects_and_chains_come_first(city):
    data = cockpit(scope_for(city.leader))
    assert [r["project"].code for r in data["my_projects"]] == ["P1", "P2"]  # red before yellow
    (chain,) = data["my_chains"]
    assert (chain["segment_count"], chain["gap_count"], chain["enterprise_count"], chain["project_count"]) == (
        3,
        1,
        2,
        1,
    )
    rows = drill_projects(scope_for(city.leader), "health", {})
    assert [p.code for p in rows][:2] == ["P1", "P2"]


def test_filters_narrow_every_figure(city):
    data = cockpit(scope_for(city.leader, park=city.park_b))
    assert data["investment"]["project_count"] == 3
    assert data["investment"]["year_plan"] == Decimal("500")
    assert {c["color"]: c["count"] for c in data["health"]["colors"]} == {"red": 1, "yellow": 0, "green": 1}
    assert data["issues_by_department"] == []  # the open issues are in park A
    key = cockpit(scope_for(city.leader, is_key=True))
    assert key["investment"]["project_count"] == 1


def test_figures_are_scoped_to_what_the_user_may_see(city):
    """The park B official sees park B's projects only."""
    data = cockpit(scope_for(city.official_b))
    assert data["investment"]["project_count"] == 3
    assert sum(s["count"] for s in data["stages"]) == 3
    assert data["my_projects"] == []


def test_chain_map_shows_segments_in_order_and_the_gap(city):
    (item,) = chain_map(user=city.leader)
    assert item["is_mine"] and item["gap_count"] == 1
    assert [c["position"] for c in item["columns"]] == ["upstream", "midstream", "downstream"]
    downstream = item["columns"][2]["segments"][0]
    assert downstream["is_gap"] and downstream["segment"].name == "零部件"
    midstream = item["columns"][1]["segments"][0]
    assert [p.code for p in midstream["projects"]] == ["P1"]


# --- Empty database and a year without targets -------------------------------------------------


def test_empty_database_gives_dashes_not_zero_percent(db, frozen, django_user_model):
    from core.models import Role
    from tests.factories import user_with_role

    leader = user_with_role(Role.LEADER)
    data = cockpit(scope_for(leader))
    assert all(s["count"] == 0 for s in data["stages"])
    assert data["investment"]["completion"].value is None
    assert data["investment"]["points_vs_schedule"] is None
    assert data["start"]["rate"].value is None
    assert data["production"]["rate"].value is None
    assert data["issue_rates"]["response"].value is None
    assert data["issue_rates"]["satisfaction"].value is None
    assert data["health"]["total"] == 0
    assert data["campaigns"] == [] and data["issues_by_department"] == [] and data["visits"] == []


def test_a_year_with_no_targets(city):
    """2025: no annual targets. Start rate counts planned starts (P4, P5, P7), production has no
    denominator, the completion rate is "—"; reports of 2025 still count as invested."""
    data = cockpit(scope_for(city.leader, year=2025))
    assert data["as_of"] == datetime.date(2025, 12, 31)
    assert data["investment"]["year_plan"] == 0
    assert data["investment"]["completion"].value is None
    assert data["investment"]["year_done_all"] == Decimal("70")
    assert data["production"]["rate"].value is None
    assert (data["start"]["rate"].numerator, data["start"]["rate"].denominator) == (3, 3)


def test_a_target_added_later_changes_the_figure(city):
    AnnualTargetFactory(project=city.projects["P7"], year=2026, planned_investment=Decimal("100"))
    inv = cockpit(scope_for(city.leader))["investment"]
    assert inv["year_plan"] == Decimal("3600")
    assert inv["year_done_planned"] == Decimal("2730")


def test_reasons_need_no_query_beyond_the_rows(city, django_assert_num_queries):
    scope = scope_for(city.leader)
    rows = list(drill_projects(scope, "health", {}))
    with django_assert_num_queries(0):
        for row in rows:
            health_reasons(row, scope.rules, year=2026, as_of=TODAY)


# --- The weekly briefing -----------------------------------------------------------------------


def test_the_weekly_briefing_of_this_week_so_far(city):
    from dashboards.briefing import weekly_briefing
    from projects.services import project_change_stage

    project_change_stage(
        project=city.projects["P2"], to_stage=Stage.STARTED, by=city.supervisor, changed_on=datetime.date(2026, 11, 25)
    )
    b = weekly_briefing(user=city.leader, week_start=datetime.date(2026, 11, 25))
    assert (b.week_start, b.week_end, b.until, b.is_partial) == (
        datetime.date(2026, 11, 23),
        datetime.date(2026, 11, 29),
        TODAY,
        True,
    )
    assert [(c.project.code, c.from_stage, c.to_stage) for c in b.stage_moves] == [("P2", "signed", "started")]
    assert len(b.reports_filed) == 9  # every report of the city was filed today
    assert b.report_month == datetime.date(2026, 10, 1)
    # Started (projects.selectors' definition: stage at or past 开工 now) and no October report.
    assert sorted(p.code for p in b.reports_missing) == ["P2", "P4", "P5", "P7"]
    assert [i.title for i in b.issues_opened] == ["I2"]
    assert b.issues_closed == []
    assert (b.issues_overdue_count, [i.title for i in b.issues_overdue]) == (1, ["I1"])
    assert b.top_categories == [{"category": "approval", "label": "审批", "open": 2, "overdue": 1}]
    assert b.milestones_met == [] and b.milestones_missed == []


def test_the_weekly_briefing_of_a_past_week(city):
    from dashboards.briefing import weekly_briefing

    b = weekly_briefing(user=city.leader, week_start=datetime.date(2026, 11, 1))  # a Sunday: week of 10-26
    assert b.week_start == datetime.date(2026, 10, 26) and not b.is_partial
    assert [m.title for m in b.milestones_met] == []
    assert [m.title for m in b.milestones_missed] == ["M4"]  # due Sunday 11-01, done only on 11-03
    b = weekly_briefing(user=city.leader, week_start=datetime.date(2026, 11, 2))
    assert [m.title for m in b.milestones_met] == ["M4"]  # done 11-03, late: met this week
    assert [i.title for i in b.issues_opened] == []


def test_a_year_not_yet_begun_is_judged_as_it_stands_today(city):
    """2027: nothing has elapsed, so no investment lag; milestones and late starts are judged today."""
    data = cockpit(scope_for(city.leader, year=2027))
    assert data["time_share"] == 0
    assert data["investment"]["year_done_all"] == 0
    colors = {c["color"]: c["count"] for c in data["health"]["colors"]}
    # P1: no 2027 plan, but its blocking issue is overdue today; P3 still 4 months late; P5's
    # milestone is overdue today; P2 due to start this month.
    assert colors == {"red": 3, "yellow": 1, "green": 2}
