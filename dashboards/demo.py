"""Demo step of the dashboards app (run by `load_demo` after the other apps' steps).

Makes sure the default health rules and league formulas exist (a flushed database has lost
what the migration seeded), then publishes the league tables of parks and of departments for
the year up to the end of last month, so the cockpit shows a published 红黑榜 on the first
screen. Idempotent: a period already published is left as it was.
"""

from dashboards.defaults import seed_defaults
from dashboards.forms import last_month_bounds
from dashboards.models import HealthRule, LeagueFormula, LeagueSnapshot
from dashboards.services import league_snapshot_publish


def seed_rules(ctx) -> None:
    seed_defaults(HealthRule, LeagueFormula)


def publish_year_to_last_month(ctx) -> None:
    _first, end = last_month_bounds(ctx.today)
    start = end.replace(month=1, day=1)
    supervisor = ctx.users["demo-supervisor"]
    for kind in LeagueFormula.Kind.values:
        if LeagueSnapshot.objects.filter(kind=kind, period_start=start, period_end=end).exists():
            continue
        snapshot = league_snapshot_publish(kind=kind, period_start=start, period_end=end, by=supervisor)
        ctx.log(f"League table published: {snapshot.title} ({snapshot.rows.count()} rows).")


STEPS = [seed_rules, publish_year_to_last_month]
