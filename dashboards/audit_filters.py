"""The audit log's filters: one FilterSet for the supervisors' page, its export and the API."""

import datetime
import re
from zoneinfo import ZoneInfo

import django_filters
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.filters import DateParamFilter, ListFilterSet, SearchFilter
from core.models import AuditEntry

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OBJECT_TYPE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,99}\.[a-z_][a-z0-9_]{0,99}$")
ACTION_RE = re.compile(r"^[a-z0-9_.]{1,50}$")


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _object_type(value: str) -> str:
    if not OBJECT_TYPE_RE.match(value or ""):
        raise ValidationError(_("Give the object type as app.model, e.g. projects.project."), code="invalid")
    return value


def _action(value: str) -> str:
    if not ACTION_RE.match(value or ""):
        raise ValidationError(_("Give an action such as project.update, or its first part (project)."))
    return value


class AuditFilter(ListFilterSet):
    """`actor`: a user id; `actor_name`: part of the name recorded with the entry (or the login
    name); `object_type` (app.model) and `object_id`; `action`: exact, or a prefix ("issue" finds
    every issue action); `from`/`to`: the day range (inclusive) in local time."""

    q = SearchFilter(method="filter_q", help_text=_("The object, the action or the actor's name."))
    actor = django_filters.NumberFilter(
        field_name="actor_id", label=_("Actor (user id)"), min_value=1, max_value=2**63 - 1
    )
    actor_name = django_filters.CharFilter(method="filter_actor_name", label=_("Actor"), max_length=150)
    object_type = django_filters.CharFilter(
        method="filter_object_type", label=_("Object type"), max_length=201, validators=[_object_type]
    )
    object_id = django_filters.CharFilter(field_name="object_id", label=_("Object id"), max_length=40)
    action = django_filters.CharFilter(method="filter_action", label=_("Action"), max_length=50, validators=[_action])
    start = DateParamFilter(method="filter_start", label=_("From"), widget=DATE_INPUT)
    end = DateParamFilter(method="filter_end", label=_("To"), widget=DATE_INPUT)

    aliases = {"from": "start", "to": "end"}
    field_order = ["q", "actor_name", "action", "object_type", "object_id", "start", "end", "actor"]

    class Meta:
        model = AuditEntry
        fields = []

    # A day range as a range of instants (the index on `at` serves it), in local time.
    def filter_start(self, queryset, name, value):
        return queryset.filter(at__gte=_midnight(value))

    def filter_end(self, queryset, name, value):
        return queryset.filter(at__lt=_midnight(value + datetime.timedelta(days=1)))

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(object_repr__icontains=value) | Q(action__icontains=value) | Q(actor_name__icontains=value)
        )

    def filter_actor_name(self, queryset, name, value):
        return queryset.filter(Q(actor_name__icontains=value) | Q(actor__username__iexact=value))

    def filter_object_type(self, queryset, name, value):
        app_label, model = value.split(".", 1)
        types = ContentType.objects.filter(app_label=app_label, model=model)
        return queryset.filter(content_type__in=types)

    def filter_action(self, queryset, name, value):
        return queryset.filter(Q(action=value) | Q(action__startswith=f"{value}."))
