"""The dashboard API (/api/v1/dashboard/…) and the OC4IDS export (/api/v1/oc4ids/projects/).

Read-only views: the parameters are the pages' FilterSets (dashboards.filters, and the project
list's projects.filters.ProjectFilter for OC4IDS), a refused value being a 400 with field errors;
figures come from dashboards.selectors (the same as the browser's cockpit), output is shaped by a
serializer.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.fields import PageParamField
from core.api.filters import filtered_or_400, valid_or_400
from core.api.pagination import checked
from core.api.schema import BAD_INPUT, FORBIDDEN, NOT_FOUND, FilterSetSchema
from core.replica import reads_from_replica
from dashboards.api.serializers import (
    BriefingSerializer,
    ChainMapSerializer,
    CockpitSerializer,
    LeagueSnapshotListSerializer,
    LeagueSnapshotSerializer,
    MapSerializer,
    ProjectHealthSerializer,
    WeekParamsSerializer,
)
from dashboards.battlemap import battle_map
from dashboards.briefing import weekly_briefing
from dashboards.filters import DashboardFilter, HealthFilter, MapFilter
from dashboards.oc4ids import oc4ids_package, oc4ids_queryset
from dashboards.permissions import can_view_dashboard
from dashboards.selectors import (
    chain_map,
    cockpit,
    dashboard_scope,
    drill_projects,
    health_rows,
    league_snapshots,
)
from projects.filters import ProjectFilter
from projects.models import Project
from projects.selectors import project_list, projects_visible_to

PAGE_SIZE = 100


@method_decorator(reads_from_replica, name="dispatch")
class DashboardAPIView(APIView):
    """A dashboard figure. A view with a FilterSet (`filterset_class`) reads its parameters with
    `filters()`; `filter_backends` and `queryset` only tell the schema (FilterSetSchema) which
    query parameters that FilterSet documents."""

    queryset = Project.objects.none()
    schema = FilterSetSchema()
    filter_backends = []

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_view_dashboard(request.user):
            raise PermissionDenied(_("Your account has no role in this system."))

    def params(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def filters(self):
        """The view's FilterSet over the query parameters; a refused value is a 400."""
        # Validation only: the FilterSet's own queryset (the model's manager) lacks the annotations
        # some filters order by (the map's `sort=health`); views filter their own queryset.
        return valid_or_400(self.filterset_class(self.request.query_params, request=self.request))

    def page_number(self) -> int:
        raw = self.request.query_params.get("page")
        return 1 if raw in (None, "") else checked(PageParamField(), "page", raw)


class DashboardSummaryView(DashboardAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = DashboardFilter

    @extend_schema(
        operation_id="dashboard_summary",
        responses={200: CockpitSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("The leaders' cockpit: every figure, with the URL of the list behind it"),
        description=gettext_lazy("The year defaults to this year."),
    )
    def get(self, request):
        data = cockpit(dashboard_scope(user=request.user, filters=self.filters()))
        return Response(CockpitSerializer(data).data)


class DashboardHealthView(DashboardAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = HealthFilter

    @extend_schema(
        operation_id="dashboard_health",
        parameters=[OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: ProjectHealthSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("Projects with their health colour and its reasons"),
        description=gettext_lazy("Filter by colour (red, yellow, green) or by health rule id; 100 per page."),
    )
    def get(self, request):
        filters = self.filters()
        scope = dashboard_scope(user=request.user, filters=filters)
        query = filters.drill_params()
        page = Paginator(drill_projects(scope, "health", query), PAGE_SIZE).get_page(self.page_number())
        rows = health_rows(scope, page.object_list)
        return Response(
            ProjectHealthSerializer(rows, many=True).data,
            headers={"X-Total-Count": str(page.paginator.count)},
        )


class LeagueSnapshotListView(DashboardAPIView):
    @extend_schema(
        operation_id="dashboard_league_list",
        responses={200: LeagueSnapshotListSerializer(many=True), 403: FORBIDDEN},
        summary=gettext_lazy("Published league tables (红黑榜), newest first"),
    )
    def get(self, request):
        return Response(LeagueSnapshotListSerializer(league_snapshots()[:100], many=True).data)


class LeagueSnapshotDetailView(DashboardAPIView):
    @extend_schema(
        operation_id="dashboard_league_retrieve",
        responses={200: LeagueSnapshotSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
        summary=gettext_lazy("One published league table with its frozen rows"),
    )
    def get(self, request, pk: int):
        snapshot = get_object_or_404(league_snapshots(), pk=pk)
        snapshot.ordered_rows = list(snapshot.rows.order_by("rank", "name"))
        return Response(LeagueSnapshotSerializer(snapshot).data)


class ChainMapView(DashboardAPIView):
    @extend_schema(
        operation_id="dashboard_chains",
        responses={200: ChainMapSerializer(many=True), 403: FORBIDDEN},
        summary=gettext_lazy("Chain map: segments upstream to downstream, enterprises, projects, gaps"),
    )
    def get(self, request):
        return Response(ChainMapSerializer(chain_map(user=request.user), many=True).data)


class BriefingView(DashboardAPIView):
    @extend_schema(
        operation_id="dashboard_briefing",
        parameters=[WeekParamsSerializer],
        responses={200: BriefingSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("The weekly briefing (工作简报) of a week"),
    )
    def get(self, request):
        params = self.params(WeekParamsSerializer)
        briefing = weekly_briefing(user=request.user, week_start=params.get("week") or timezone.localdate())
        return Response(BriefingSerializer(briefing).data)


class MapView(DashboardAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = MapFilter

    @extend_schema(
        operation_id="dashboard_map",
        responses={200: MapSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("The battle map: projects as points coloured by health or stage, parks' boundaries"),
        description=gettext_lazy("The project list's filters; points and boundaries in the map's datum."),
    )
    def get(self, request):
        filters = self.filters()
        projects = filters.filter_queryset(project_list(user=request.user))
        return Response(MapSerializer(battle_map(user=request.user, projects=projects, color_by=filters.color_by)).data)


OC4IDS_PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=gettext_lazy(
        "An OC4IDS 0.9 project package: uri, publishedDate, version, publisher and projects (id, title, "
        "status, period, budget with its breakdown by source of funds, locations with GeoJSON geometry, parties, "
        "milestones with dueDate and dateMet)."
    ),
)


class OC4IDSProjectListView(DashboardAPIView):
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter

    @extend_schema(
        operation_id="oc4ids_projects_list",
        parameters=[OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: OC4IDS_PACKAGE, 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("Projects as an OC4IDS project package"),
        description=gettext_lazy("The projects visible to the caller, with the project list's filters; 100 per page."),
    )
    def get(self, request):
        filters = ProjectFilter(request.query_params, queryset=project_list(user=request.user), request=request)
        projects = oc4ids_queryset(filtered_or_400(filters))
        page = Paginator(projects, PAGE_SIZE).get_page(self.page_number())
        package = oc4ids_package(
            page.object_list, uri=request.build_absolute_uri(), publisher=_("Major Projects Tracker")
        )
        return Response(package, headers={"X-Total-Count": str(page.paginator.count)})


class OC4IDSProjectDetailView(DashboardAPIView):
    @extend_schema(
        operation_id="oc4ids_projects_retrieve",
        responses={200: OC4IDS_PACKAGE, 403: FORBIDDEN, 404: NOT_FOUND},
        summary=gettext_lazy("One project as an OC4IDS project package"),
    )
    def get(self, request, pk: int):
        project = get_object_or_404(oc4ids_queryset(projects_visible_to(request.user)), pk=pk)
        return Response(
            oc4ids_package([project], uri=request.build_absolute_uri(), publisher=_("Major Projects Tracker"))
        )
