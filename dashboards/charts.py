"""The cockpit's chart data for static/js/dashboard.js: labels, values and, for every bar or
slice, the URL of the list behind it. Built from dashboards.selectors.cockpit, never queried
separately, so the charts and their tables always show the same figures."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def _num(value):
    return None if value is None else float(value)


def chart_data(data: dict) -> dict:
    stages = data["stages"]
    inv = data["investment"]
    health = data["health"]["colors"]
    depts = data["issues_by_department"]
    charts = {
        "stages": {
            "title": _("Projects by stage"),
            "labels": [s["label"] for s in stages],
            "values": [s["count"] for s in stages],
            "urls": [s["url"] for s in stages],
            "series": _("Projects"),
        },
        "investment": {
            "title": _("Investment this year, cumulative against the plan"),
            "labels": [m["label"] for m in inv["monthly"]],
            "done": [_num(m["done"]) for m in inv["monthly"]],
            "cumulative": [_num(m["cumulative"]) for m in inv["monthly"]],
            "plan": [_num(m["plan_to_date"]) for m in inv["monthly"]] if inv["year_plan"] else [],
            "url": inv["url"],
            "series": [_("Invested in the month"), _("Invested to date"), _("Plan by time elapsed")],
        },
        "health": {
            "title": _("Project health"),
            "labels": [c["label"] for c in health],
            "values": [c["count"] for c in health],
            "colors": [c["color"] for c in health],
            "urls": [c["url"] for c in health],
            "series": _("Projects"),
        },
        "issues": {
            "title": _("Open and overdue issues by department"),
            "labels": [d["label"] for d in depts],
            "open": [d["open"] for d in depts],
            "overdue": [d["overdue"] for d in depts],
            "open_urls": [d["open_url"] for d in depts],
            "overdue_urls": [d["overdue_url"] for d in depts],
            "series": [pgettext("issues", "Open"), pgettext("issues", "Overdue")],
        },
    }
    campaigns = data["campaigns"]
    if campaigns:
        c = campaigns[0]
        charts["campaign"] = {
            "title": _("Campaign milestones"),
            "labels": [_("Met"), _("Still due"), _("Overdue")],
            "values": [c["met"], c["due"], c["overdue"]],
            "urls": [c["urls"]["met"], c["urls"]["due"], c["urls"]["overdue"]],
            "colors": ["green", "blue", "red"],
            "series": _("Milestones"),
        }
    return charts
