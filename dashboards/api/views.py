"""The dashboard API (/api/v1/dashboard/…) and the OC4IDS export (/api/v1/oc4ids/projects/).

Read-only views: parameters are validated by a serializer, figures come from
dashboards.selectors (the same as the browser's cockpit), output is shaped by a serializer.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.schema import BAD_INPUT, FORBIDDEN, NOT_FOUND
from dashboards.api.serializers import (
    BriefingSerializer,
    ChainMapSerializer,
    CockpitSerializer,
    DashboardParamsSerializer,
    HealthParamsSerializer,
    LeagueSnapshotListSerializer,
    LeagueSnapshotSerializer,
    MapParamsSerializer,
    MapSerializer,
    ProjectHealthSerializer,
    WeekParamsSerializer,
)
from dashboards.battlemap import battle_map
from dashboards.briefing import weekly_briefing
from dashboards.oc4ids import oc4ids_package, oc4ids_queryset
from dashboards.permissions import can_view_dashboard
from dashboards.selectors import (
    DashboardFilter,
    chain_map,
    cockpit,
    dashboard_scope,
    drill_projects,
    health_rows,
    league_snapshots,
)
from projects.api.validators import ProjectListParamsSerializer
from projects.selectors import project_list, projects_visible_to

PAGE_SIZE = 100


class DashboardAPIView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can_view_dashboard(request.user):
            raise PermissionDenied(_("Your account has no role in this system."))

    def params(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.query_params)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def scope(self, params: dict):
        filters = DashboardFilter(
            year=params.get("year") or timezone.localdate().year,
            park=params.get("park"),
            chain=params.get("chain"),
            level=params.get("level") or "",
            is_key=params.get("is_key"),
        )
        return dashboard_scope(user=self.request.user, filters=filters)


class DashboardSummaryView(DashboardAPIView):
    @extend_schema(
        operation_id="dashboard_summary",
        parameters=[DashboardParamsSerializer],
        responses={200: CockpitSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("The leaders' cockpit: every figure, with the URL of the list behind it"),
    )
    def get(self, request):
        data = cockpit(self.scope(self.params(DashboardParamsSerializer)))
        return Response(CockpitSerializer(data).data)


class DashboardHealthView(DashboardAPIView):
    @extend_schema(
        operation_id="dashboard_health",
        parameters=[HealthParamsSerializer, OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: ProjectHealthSerializer(many=True), 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("Projects with their health colour and its reasons"),
        description=gettext_lazy("Filter by colour (red, yellow, green) or by health rule id; 100 per page."),
    )
    def get(self, request):
        params = self.params(HealthParamsSerializer)
        scope = self.scope(params)
        query = {k: str(params[k]) for k in ("color", "rule") if params.get(k)}
        page = Paginator(drill_projects(scope, "health", query), PAGE_SIZE).get_page(request.query_params.get("page"))
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
    @extend_schema(
        operation_id="dashboard_map",
        parameters=[MapParamsSerializer],
        responses={200: MapSerializer, 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("The battle map: projects as points coloured by health or stage, parks' boundaries"),
        description=gettext_lazy("The project list's filters; points and boundaries in the map's datum."),
    )
    def get(self, request):
        params = self.params(MapParamsSerializer)
        color = params.pop("color", None) or "health"
        return Response(MapSerializer(battle_map(user=request.user, filters=params, color_by=color)).data)


OC4IDS_PACKAGE = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=gettext_lazy(
        "An OC4IDS 0.9 project package: uri, publishedDate, version, publisher and projects (id, title, "
        "status, period, budget with its breakdown by source of funds, locations with GeoJSON geometry, parties, "
        "milestones with dueDate and dateMet)."
    ),
)


class OC4IDSProjectListView(DashboardAPIView):
    @extend_schema(
        operation_id="oc4ids_projects_list",
        parameters=[ProjectListParamsSerializer, OpenApiParameter("page", OpenApiTypes.INT)],
        responses={200: OC4IDS_PACKAGE, 400: BAD_INPUT, 403: FORBIDDEN},
        summary=gettext_lazy("Projects as an OC4IDS project package"),
        description=gettext_lazy("The projects visible to the caller, with the project list's filters; 100 per page."),
    )
    def get(self, request):
        params = self.params(ProjectListParamsSerializer)
        projects = oc4ids_queryset(project_list(user=request.user, **params))
        page = Paginator(projects, PAGE_SIZE).get_page(request.query_params.get("page"))
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
