"""Browser forms of the dashboards. They parse input; the rules live in services and selectors."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Park
from dashboards.measures import add_months, month_end
from dashboards.models import LeagueFormula
from dashboards.selectors import DashboardFilter
from enterprises.models import IndustryChain
from projects.forms import ProjectFilterForm
from projects.models import Level


def year_choices(today: datetime.date) -> list[tuple[int, str]]:
    return [(y, str(y)) for y in range(today.year + 1, today.year - 5, -1)]


class DashboardFilterForm(forms.Form):
    """The cockpit's filters (GET). An invalid value falls back to "all", never an error page."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    park = forms.ModelChoiceField(
        label=_("Park"), queryset=Park.objects.all(), required=False, empty_label=_("All parks")
    )
    chain = forms.ModelChoiceField(
        label=_("Industry chain"), queryset=IndustryChain.objects.all(), required=False, empty_label=_("All chains")
    )
    level = forms.ChoiceField(label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices])
    key = forms.ChoiceField(
        label=_("Key projects"),
        required=False,
        choices=[("", _("Key and other")), ("1", _("Key projects only")), ("0", _("Other projects only"))],
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["year"].choices = year_choices(self.today)
        self.fields["year"].initial = self.today.year

    def filters(self) -> DashboardFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return DashboardFilter(
            year=data.get("year") or self.today.year,
            park=data.get("park"),
            chain=data.get("chain"),
            level=data.get("level") or "",
            is_key={"1": True, "0": False}.get(data.get("key") or ""),
        )


class WeekForm(forms.Form):
    week = forms.DateField(
        label=_("Week of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Any day of the week; the briefing runs Monday to Sunday."),
    )

    def week_start(self, default: datetime.date) -> datetime.date:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("week") or default


def last_month_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    start = add_months(today, -1)
    return start, month_end(start)


class LeaguePublishForm(forms.Form):
    kind = forms.ChoiceField(label=_("Ranked"), choices=LeagueFormula.Kind.choices)
    period_start = forms.DateField(
        label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("Period end"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(
        label=_("Title"), required=False, max_length=100, help_text=_("Leave empty for a title from the period.")
    )

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        today = today or timezone.localdate()
        start, end = last_month_bounds(today)
        kwargs.setdefault("initial", {"period_start": start, "period_end": end})
        super().__init__(*args, **kwargs)


class ProjectImportForm(forms.Form):
    file = forms.FileField(
        label=_("Project list (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )


class MapFilterForm(ProjectFilterForm):
    """The battle map's filters: the project list's, and what the colours show."""

    color = forms.ChoiceField(
        label=_("Colour by"),
        required=False,
        choices=[("health", _("Health")), ("stage", _("Stage"))],
    )

    def color_by(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("color") or "health"
