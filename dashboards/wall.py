"""The wall-screen cockpit (大屏): the headline figures of the cockpit on one 1920×1080 screen,
refreshed every minute by static/js/wall.js from the JSON of `wall_view` (`?format=json`).

It reads the same selectors as the detailed cockpit (`dashboards.selectors`), never its own
figures; this module only picks what fits a wall and formats it once, so the page and the JSON
say exactly the same thing (`texts` by key, `bars` 0–100 by key, short `lists`).
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.rates import Rate, format_rate
from core.templatetags.ui import money, zh_date
from dashboards.selectors import (
    campaign_summary,
    health_summary,
    investment_summary,
    issue_rates,
    issues_by_department,
    production_rate,
    stage_counts,
    start_rate,
)

REFRESH_SECONDS = 60
DEPARTMENTS_SHOWN = 6
RULES_SHOWN = 5


def _pct(rate) -> str:
    """A Rate or a 0–1 fraction as the one rate text (core.rates): "45.2%" or "—"."""
    return format_rate(rate)


def _bar(rate) -> int:
    """A Rate or a 0–1 fraction as a bar width, 0–100."""
    if rate is None:
        return 0
    return (rate if isinstance(rate, Rate) else Rate(rate, 1)).bar_width


def wall_figures(scope) -> dict:
    """What the wall shows for a scope (`dashboards.selectors.dashboard_scope`)."""
    investment = investment_summary(scope)
    start = start_rate(scope)
    production = production_rate(scope)
    health = health_summary(scope)
    campaigns = campaign_summary(scope)
    rates = issue_rates(scope)
    departments = issues_by_department(scope)
    stages = stage_counts(scope)
    by_color = {c["color"]: c["count"] for c in health["colors"]}
    campaign = campaigns[0] if campaigns else None
    now = timezone.localtime(scope.now)
    texts = {
        "as_of": zh_date(scope.as_of),
        "updated": date_format(now, "H:i"),
        "projects": str(investment["project_count"]),
        "total_investment": money(investment["total_investment"]),
        "year_plan": money(investment["year_plan"]),
        "year_done": money(investment["year_done_all"]),
        "completion": _pct(investment["completion"]),
        "time_share": _pct(investment["time_share"]),
        "start": _pct(start["rate"]),
        "production": _pct(production["rate"]),
        "health_red": str(by_color.get("red", 0)),
        "health_yellow": str(by_color.get("yellow", 0)),
        "health_green": str(by_color.get("green", 0)),
        "issues_raised": str(rates["raised"]),
        "issues_response": _pct(rates["response"]),
        "issues_on_time": _pct(rates["on_time"]),
        "issues_satisfaction": _pct(rates["satisfaction"]),
        "campaign_name": campaign["campaign"].name if campaign else _("No campaign running"),
        "campaign_days_left": str(max(campaign["days_left"], 0)) if campaign else "—",
        "campaign_completion": _pct(campaign["completion"]) if campaign else "—",
        "campaign_met": f"{campaign['met']} / {campaign['total']}" if campaign else "—",
        "campaign_overdue": str(campaign["overdue"]) if campaign else "—",
    }
    bars = {
        "completion": _bar(investment["completion"]),
        "time_share": _bar(investment["time_share"]),
        "start": _bar(start["rate"]),
        "production": _bar(production["rate"]),
        "campaign_completion": _bar(campaign["completion"]) if campaign else 0,
    }
    most = max((s["count"] for s in stages), default=0) or 1
    rules = sorted((r for r in health["rules"] if r["count"]), key=lambda r: (r["color"] != "red", -r["count"]))
    lists = {
        "stages": [
            {"label": s["label"], "value": str(s["count"]), "bar": round(100 * s["count"] / most)} for s in stages
        ],
        "departments": [
            {"label": d["label"], "value": str(d["open"]), "extra": str(d["overdue"]), "alert": d["overdue"] > 0}
            for d in departments[:DEPARTMENTS_SHOWN]
        ],
        "rules": [{"label": r["label"], "value": str(r["count"]), "color": r["color"]} for r in rules[:RULES_SHOWN]],
    }
    return {"texts": texts, "bars": bars, "lists": lists, "refresh_seconds": REFRESH_SECONDS}
