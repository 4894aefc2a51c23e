"""Where each figure leads: the filtered list of the rows behind it.

Figures that the project or issue list can already filter (stage, park, chain, level, key
projects; department, overdue, open) link there with the lists' own parameter names
(projects.filters.ProjectFilter, issues.filters.IssueFilter). Figures derived from rules or
dates (health colour, start and production rates, the year's investment, campaign milestones)
link to the dashboard's drill-down list, which shows the columns that explain the figure.
"""

from urllib.parse import urlencode

from django.urls import reverse


def _with_query(url: str, params: dict) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(clean)}" if clean else url


def project_list_url(filters, **extra) -> str:
    return _with_query(reverse("projects:list"), {**filters.project_list_params(), **extra})


def drill_url(figure: str, filters, **extra) -> str:
    return _with_query(reverse("dashboards:drill", args=[figure]), {**filters.params(), **extra})


def issue_list_url(filters, **extra) -> str:
    park = filters.value("park")
    params = {"park": park.pk if park else None, **extra}
    return _with_query(reverse("issues:list"), params)


def export_url(kind: str, params: dict) -> str:
    return _with_query(reverse("dashboards:export", args=[kind]), params)


def cockpit_url(filters) -> str:
    return _with_query(reverse("dashboards:cockpit"), filters.params())


def funding_list_url(filters, **extra) -> str:
    """The funding list (funding.views) with the cockpit's year and project filters."""
    return _with_query(reverse("funding:list"), {**filters.params(), **extra})
