"""The cockpit's filters: one FilterSet for the cockpit page (its filter bar), the drill-down
lists and their exports, and the dashboard API.

The year says which year the figures are for; park, industry chain, level and key flag narrow the
projects (projects.filters.ProjectAttributeFilter: the project list's own filters, under the same
names, so every figure links to the project list with the same parameters) and the issues
(through the issue's enterprise for the park, through its project for the rest).
"""

import datetime

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import IdFilter, ListFilterSet, ModelIdFilter
from core.params import YEAR_MAX, YEAR_MIN, YearField
from dashboards.models import Color
from enterprises.models import IndustryChain
from projects.filters import ProjectAttributeFilter, ProjectFilter, chains_for_request

# The figures link to the project list with these filters (projects.filters.ProjectFilter).
PROJECT_FILTERS = ("park", "chain", "level", "is_key")
DRILL_STATES = [("done", _("Done")), ("pending", _("Not yet"))]


def year_choices(today: datetime.date, also: int | None = None) -> list[tuple[int, str]]:
    """Next year and the five before (and `also`, a year asked for outside them)."""
    years = set(range(max(today.year - 5, YEAR_MIN), min(today.year + 1, YEAR_MAX) + 1))
    if also is not None:
        years.add(also)
    return [(y, str(y)) for y in sorted(years, reverse=True)]


@extend_schema_field(OpenApiTypes.INT)
class YearFilter(django_filters.NumberFilter):
    """The year the figures are for (no narrowing of the rows by itself)."""

    field_class = YearField

    def get_max_validator(self):
        return None

    def filter(self, qs, value):
        return qs


class DashboardFilter(ProjectAttributeFilter):
    """The cockpit's filters; `year` defaults to this year. Scope (dashboards.selectors) reads the
    valid values: a refused value is shown on the filter bar and the figures ignore it."""

    year = YearFilter(label=_("Year"), widget=forms.Select)

    field_order = ["year", "park", "chain", "level", "is_key"]

    def __init__(self, data=None, *args, today: datetime.date | None = None, **kwargs):
        self.today = today or timezone.localdate()
        if data is None:
            data = {}
        if not data.get("year"):
            data = data.copy()
            data["year"] = str(self.today.year)
        super().__init__(data, *args, **kwargs)
        if "year" in self.errors:
            # The figures are this year's: the select says so, under the error about the year asked for.
            self.form.data = self.form.data.copy()
            self.form.data["year"] = str(self.today.year)
        self.form.fields["year"].widget.choices = year_choices(self.today, also=self.valid_data().get("year"))

    @property
    def figure_year(self) -> int:
        """The year the figures are for: the one asked for, else this year."""
        return self.valid_data().get("year") or self.today.year

    def project_q(self, prefix: str = "") -> Q:
        """The project filters as a condition on projects (through `prefix`, e.g. "project__")."""
        q = Q()
        data = self.valid_data()
        for name in PROJECT_FILTERS:
            if name in data:
                q &= Q(**{f"{prefix}{self.filters[name].field_name}": data[name]})
        return q

    def issue_q(self) -> Q:
        """Issues sit in a park through their enterprise (issues.filters' definition); chain,
        level and key flag come from the issue's project."""
        data = self.valid_data()
        q = Q(enterprise__park=data["park"]) if "park" in data else Q()
        for name in PROJECT_FILTERS:
            if name != "park" and name in data:
                q &= Q(**{f"project__{self.filters[name].field_name}": data[name]})
        return q

    def project_list_params(self) -> dict:
        """The project filters as query parameters of the project list (and of these filters)."""
        data = self.valid_data()
        params = {}
        for name in PROJECT_FILTERS:
            value = data.get(name)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                params[name] = "true" if value else "false"
            else:
                params[name] = getattr(value, "pk", value)
        return params

    def params(self) -> dict:
        """The filters as the dashboard's own query parameters."""
        return {"year": self.figure_year, **self.project_list_params()}


class HealthFilter(DashboardFilter):
    """The cockpit's filters and which projects of the health figure: a colour or a health rule
    (dashboards.selectors.drill_projects applies them)."""

    color = django_filters.ChoiceFilter(choices=Color.choices, label=_("Health"), method="keep")
    rule = IdFilter(label=_("Health rule"), method="keep")

    def keep(self, qs, name, value):
        return qs

    def drill_params(self) -> dict:
        data = self.valid_data()
        return {name: str(data[name]) for name in ("color", "rule", "state") if name in data}


class DrillFilter(HealthFilter):
    """A drill-down list (and its export): also done or pending, for the start and production
    rates."""

    state = django_filters.ChoiceFilter(choices=DRILL_STATES, label=_("State"), method="keep")


class ChainMapFilter(ListFilterSet):
    """The chain map's picker: one chain, or all (dashboards.selectors.chain_map draws them)."""

    chain = ModelIdFilter(
        queryset=chains_for_request, field_name="pk", label=_("Industry chain"), empty_label=_("All chains")
    )

    class Meta:
        model = IndustryChain
        fields = []


class MapFilter(ProjectFilter):
    """The battle map: the project list's filters, and what the colours show (`color`, default
    health; a parameter of the map, not a filter of the rows)."""

    color = django_filters.ChoiceFilter(
        choices=[("health", _("Health")), ("stage", _("Stage"))],
        label=_("Colour by"),
        empty_label=None,
        method="keep",
    )

    field_order = ["color", *ProjectFilter.field_order]

    def keep(self, qs, name, value):
        return qs

    @property
    def color_by(self) -> str:
        return self.value("color") or "health"
