"""The funding list's filters: the project list's (projects.filters.ProjectFilter), and the year
and the source the figures are for (parameters of the figures, not filters of the projects)."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.models import Source
from projects.filters import ProjectFilter


def year_choices() -> list[tuple[int, str]]:
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 3, this - 6, -1)]


class FundingFilter(ProjectFilter):
    year = django_filters.TypedChoiceFilter(choices=year_choices, coerce=int, label=_("Year"), method="keep")
    source = django_filters.ChoiceFilter(
        choices=Source.choices, label=_("Source"), empty_label=_("All sources"), method="keep"
    )

    field_order = ["year", "source", *ProjectFilter.field_order]

    def keep(self, qs, name, value):
        return qs

    @property
    def figure_year(self) -> int:
        return self.value("year") or timezone.localdate().year

    @property
    def figure_source(self) -> str:
        return self.value("source") or ""
