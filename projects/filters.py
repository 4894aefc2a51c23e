"""The project list's filters: one FilterSet for the browser list (its filter bar), the API
(DjangoFilterBackend), the .xlsx export and the OC4IDS export, over a queryset already scoped by
projects.selectors (project_list / projects_visible_to)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.colors import Color
from core.filters import BooleanParamFilter, ListFilterSet, ModelIdFilter, SearchFilter
from core.models import Park
from core.params import BooleanCheckbox, BooleanSelect
from core.roles import official_of
from enterprises.models import IndustryChain, ServiceTeam
from enterprises.selectors import chains_visible_to
from projects.models import Level, Project, Stage


def chains_for_request(request):
    """The chains a filter may name: those the user may see (directory data, read by every role);
    without a request (a direct call) all of them."""
    return chains_visible_to(request.user) if request is not None else IndustryChain.objects.all()


class ProjectAttributeFilter(ListFilterSet):
    """What a project is (park, chain, level, key flag): the filters the project list and the
    cockpit share (dashboards.filters), under the same parameter names. `key=1|0`, the name of
    older links, still works for `is_key`."""

    park = ModelIdFilter(queryset=Park.objects.all(), label=_("Park"), empty_label=_("All parks"))
    chain = ModelIdFilter(
        queryset=chains_for_request, field_name="segment__chain", label=_("Industry chain"), empty_label=_("All chains")
    )
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("Level"), empty_label=_("All levels"))
    is_key = BooleanParamFilter(
        label=_("Key projects"),
        widget=BooleanSelect(either=_("Key and other"), yes=_("Key projects only"), no=_("Other projects only")),
    )

    aliases = {"key": "is_key"}

    class Meta:
        model = Project
        fields = []


SORTS = [
    ("health", _("Health, red first")),
    ("-health", _("Health, green first")),
    ("-investment", _("Total investment, largest first")),
    ("code", _("Project code")),
]


class ProjectFilter(ProjectAttributeFilter):
    """The project list: search (name, code, pinyin initials, owner enterprise), stage, health
    colour (the stored health, projects.selectors.with_health), "mine" (responsible official,
    assigned leader or on the service team), and the order (`sort`: health, investment, code)."""

    q = SearchFilter(method="filter_q")
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"), empty_label=_("All stages"))
    health = django_filters.ChoiceFilter(
        choices=Color.choices, field_name="health_record__color", label=_("Health"), empty_label=_("All colours")
    )
    mine = BooleanParamFilter(method="filter_mine", label=_("Mine only"), widget=BooleanCheckbox)
    sort = django_filters.ChoiceFilter(
        choices=SORTS, method="filter_sort", label=_("Sort by"), empty_label=_("Key projects first")
    )

    field_order = ["q", "park", "stage", "health", "chain", "level", "is_key", "mine", "sort"]

    class Meta:
        model = Project
        fields = []

    def filter_q(self, qs, name, value):
        value = (value or "").strip()
        if not value:
            return qs
        return qs.filter(
            Q(name__icontains=value)
            | Q(code__icontains=value)
            | Q(name_initials__icontains=value.lower())
            | Q(enterprise__name__icontains=value)
            | Q(enterprise__name_initials__icontains=value.lower())
        )

    def filter_sort(self, qs, name, value):
        orderings = {
            "health": ("health_severity", "-is_key", "code"),
            "-health": ("-health_severity", "-is_key", "code"),
            "-investment": ("-total_investment", "code"),
            "code": ("code",),
        }
        return qs.order_by(*orderings[value]) if value in orderings else qs

    def filter_mine(self, qs, name, value):
        official = official_of(self.request.user) if value and self.request is not None else None
        if official is None:
            return qs
        teams = ServiceTeam.objects.filter(members=official).values("pk")
        return qs.filter(Q(responsible_official=official) | Q(assigned_leader=official) | Q(service_team__in=teams))
