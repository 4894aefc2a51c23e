"""Browser forms of the dashboards. They parse input; the rules live in services and selectors.

The cockpit's filters are a FilterSet (dashboards.filters); dates here are checked like every
other date the system accepts (core.params)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.params import BoundedDateField
from dashboards.measures import add_months, month_end
from dashboards.models import LeagueFormula


class WeekForm(forms.Form):
    week = BoundedDateField(
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
    period_start = BoundedDateField(
        label=_("Period start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = BoundedDateField(
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
