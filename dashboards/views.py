"""Browser pages: the cockpit, drill-down lists, chain map, weekly briefing, league tables,
project import and the .xlsx exports.

Thin views: a form parses the GET/POST input, a selector reads (scoped to the user), a service
writes (checking the permission itself); an ApplicationError goes back onto the form.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals.filters import ApprovalItemFilter
from approvals.selectors import item_list as approval_item_list
from campaigns.selectors import campaign_milestones, campaigns_visible_to
from core.errors import ApplicationError
from core.filters import page_of
from core.forms import add_service_errors
from core.replica import reads_from_replica
from dashboards import links
from dashboards.battlemap import battle_map
from dashboards.briefing import weekly_briefing
from dashboards.charts import chart_data
from dashboards.columns import (
    APPROVAL_COLUMNS,
    DRILL_COLUMNS,
    ISSUE_COLUMNS,
    LEAGUE_COLUMNS,
    MILESTONE_COLUMNS,
    PROJECT_COLUMNS,
)
from dashboards.excel import briefing_workbook, import_template, table_workbook, xlsx_response
from dashboards.filters import ChainMapFilter, DashboardFilter, DrillFilter, MapFilter
from dashboards.forms import LeaguePublishForm, ProjectImportForm, WeekForm
from dashboards.league import league_standings
from dashboards.measures import week_bounds
from dashboards.models import Color, LeagueFormula, LeagueSnapshot, ProjectImport
from dashboards.permissions import can_import_projects, can_publish_league, can_view_dashboard
from dashboards.selectors import (
    DRILL_FIGURES,
    chain_map,
    cockpit,
    dashboard_scope,
    drill_projects,
    health_rows,
    league_snapshots,
)
from dashboards.services import ImportFailed, league_snapshot_publish, project_import_check, project_import_commit
from dashboards.wall import wall_figures
from enterprises.selectors import chains_visible_to
from funding.selectors import with_year_funding
from issues.filters import IssueFilter
from issues.selectors import issue_list
from notifications.selectors import unrouted_count
from projects.api.filters import MilestoneFilter
from projects.filters import ProjectFilter
from projects.selectors import milestones_visible_to, project_list

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _scope(request, filterset_class=DashboardFilter):
    """The page's filters (a refused value is shown on the page and left out) and the scope."""
    filters = filterset_class(request.GET, request=request)
    return filters, dashboard_scope(user=request.user, filters=filters)


@login_required
@reads_from_replica
def cockpit_view(request):
    _require(can_view_dashboard(request.user))
    filters, scope = _scope(request)
    data = cockpit(scope)
    return render(
        request,
        "dashboards/cockpit.html",
        {
            "form": filters.form,
            "scope": scope,
            "data": data,
            "charts": chart_data(data),
            "colors": Color,
            "export_projects": links.export_url("projects", scope.filters.project_list_params()),
            "can_import": can_import_projects(request.user),
            # Reminders that found nobody (notifications): for the supervision office and leaders.
            "unrouted": unrouted_count(request.user),
        },
    )


@login_required
def wall_view(request):
    """The wall-screen cockpit (大屏): the cockpit's headline figures on one 1920×1080 screen, dark,
    refreshing itself every minute from `wall_data_view` (same filters as the cockpit)."""
    _require(can_view_dashboard(request.user))
    _filters, scope = _scope(request)
    query = request.GET.urlencode()
    source = reverse("dashboards:wall_data") + (f"?{query}" if query else "")
    return render(request, "dashboards/wall.html", {"wall": wall_figures(scope), "source": source})


@login_required
def wall_data_view(request):
    """The wall's figures as JSON (what static/js/wall.js reads every minute); never cached."""
    _require(can_view_dashboard(request.user))
    _filters, scope = _scope(request)
    response = JsonResponse(wall_figures(scope))
    response["Cache-Control"] = "no-store"
    return response


def _drill_title(scope, figure: str, params) -> str:
    year = scope.year
    if figure == "health":
        rule = next((r for r in scope.rules if str(r.pk) == params.get("rule")), None)
        if rule is not None:
            return rule.condition_text
        if params.get("color") in Color.values:
            return _("Projects with health: %(color)s") % {"color": Color(params["color"]).label}
        return _("Project health")
    state = params.get("state")
    if figure == "start":
        if state == "pending":
            return _("Projects due to start in %(year)s, not started") % {"year": year}
        return _("Projects due to start in %(year)s") % {"year": year}
    if figure == "production":
        if state == "pending":
            return _("Projects due in production in %(year)s, not yet producing") % {"year": year}
        return _("Projects due in production in %(year)s") % {"year": year}
    if figure == "investment":
        return _("Projects with an investment plan for %(year)s") % {"year": year}
    return _("Project health")


@login_required
@reads_from_replica
def drill_view(request, figure: str):
    """The rows behind one figure of the cockpit, with the columns that explain it."""
    _require(can_view_dashboard(request.user))
    if figure not in DRILL_FIGURES:
        raise Http404
    filters, scope = _scope(request, DrillFilter)
    drill = filters.drill_params()
    page = page_of(request, drill_projects(scope, figure, drill), PAGE_SIZE, filters)
    rows = health_rows(scope, page.object_list)
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dashboards/drill.html",
        {
            "form": filters.form,
            "scope": scope,
            "figure": figure,
            "title": _drill_title(scope, figure, drill),
            "page": page,
            "rows": rows,
            "export_url": links.export_url(figure, params.dict()),
            "cockpit_url": links.cockpit_url(scope.filters),
        },
    )


@login_required
def export_view(request, kind: str):
    """A list as .xlsx with the same filters as the page it was downloaded from: the list's own
    FilterSet over the same scoped rows, so the file holds exactly the rows the page lists."""
    _require(can_view_dashboard(request.user))
    today = timezone.localdate()
    if kind == "projects":
        filters = ProjectFilter(request.GET, queryset=project_list(user=request.user), request=request)
        columns, rows = PROJECT_COLUMNS, with_year_funding(filters.qs, today.year)
        name = _("Projects")
    elif kind == "issues":
        filters = IssueFilter(request.GET, queryset=issue_list(user=request.user), request=request)
        columns, rows = ISSUE_COLUMNS, filters.qs
        name = _("Issues")
    elif kind == "milestones":
        columns, rows = MILESTONE_COLUMNS, _milestones(request)
        name = _("Milestones")
    elif kind == "approvals":
        filters = ApprovalItemFilter(request.GET, queryset=approval_item_list(user=request.user), request=request)
        columns, rows = APPROVAL_COLUMNS, filters.qs
        name = _("Approvals")
    elif kind in DRILL_FIGURES:
        filters, scope = _scope(request, DrillFilter)
        drill = filters.drill_params()
        columns, rows = DRILL_COLUMNS, health_rows(scope, drill_projects(scope, kind, drill))
        name = _drill_title(scope, kind, drill)
    else:
        raise Http404
    data = table_workbook(columns, rows, sheet=str(name))
    return xlsx_response(data, f"{name}-{today:%Y%m%d}.xlsx")


def _milestones(request):
    """The milestones of a campaign page (?campaign=&status=met|due|overdue, campaigns.selectors)
    or of the milestone API's filters (?project=&campaign=&overdue=&done=)."""
    filters = MilestoneFilter(request.GET, queryset=milestones_visible_to(request.user), request=request)
    campaign_id = filters.valid_data().get("campaign")
    status = request.GET.get("status")
    if campaign_id and status:
        campaign = get_object_or_404(campaigns_visible_to(request.user), pk=campaign_id)
        return campaign_milestones(campaign=campaign, user=request.user, status=status)
    return filters.qs.order_by("due_date", "project__code", "pk")


@login_required
@reads_from_replica
def chain_map_view(request):
    _require(can_view_dashboard(request.user))
    filters = ChainMapFilter(request.GET, queryset=chains_visible_to(request.user), request=request)
    chain = filters.value("chain")
    return render(
        request,
        "dashboards/chains.html",
        {
            "chains": chain_map(user=request.user, chain=chain),
            "all_chains": filters.queryset,
            "selected": chain,
            "form": filters.form,
        },
    )


def _briefing(request):
    form = WeekForm(request.GET or None)
    week_start = form.week_start(default=timezone.localdate())
    return form, weekly_briefing(user=request.user, week_start=week_start)


@login_required
@reads_from_replica
def briefing_view(request):
    _require(can_view_dashboard(request.user))
    form, briefing = _briefing(request)
    previous = briefing.week_start - datetime.timedelta(days=7)
    following = briefing.week_start + datetime.timedelta(days=7)
    return render(
        request,
        "dashboards/briefing.html",
        {
            "form": form,
            "b": briefing,
            "previous": previous,
            "following": following if following <= week_bounds(timezone.localdate())[0] else None,
        },
    )


@login_required
def briefing_xlsx_view(request):
    _require(can_view_dashboard(request.user))
    _form, briefing = _briefing(request)
    return xlsx_response(briefing_workbook(briefing), f"{_('Weekly briefing')}-{briefing.week_start:%Y%m%d}.xlsx")


# --- League tables -----------------------------------------------------------------------------


def _league_page(request, form, status: int = 200):
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    live = [
        (LeagueFormula.Kind(f.kind).label, league_standings(kind=f.kind, start=start, end=today, formula=f))
        for f in LeagueFormula.objects.order_by("kind")
    ]
    return render(
        request,
        "dashboards/league.html",
        {
            "snapshots": league_snapshots()[:24],
            "live": live,
            "live_start": start,
            "today": today,
            "form": form,
        },
        status=status,
    )


@login_required
@reads_from_replica
def league_view(request):
    """Published league tables, and the standings so far this year (not published)."""
    _require(can_view_dashboard(request.user))
    return _league_page(request, LeaguePublishForm() if can_publish_league(request.user) else None)


@login_required
@require_POST
def league_publish_view(request):
    _require(can_publish_league(request.user))
    form = LeaguePublishForm(request.POST)
    if form.is_valid():
        try:
            snapshot = league_snapshot_publish(by=request.user, **form.cleaned_data)
        except ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("League table published."))
            return redirect("dashboards:league_detail", pk=snapshot.pk)
    return _league_page(request, form, status=400)


@login_required
def league_detail_view(request, pk: int):
    _require(can_view_dashboard(request.user))
    snapshot = get_object_or_404(LeagueSnapshot.objects.select_related("published_by__official"), pk=pk)
    rows = list(snapshot.rows.order_by("rank", "name"))
    if request.GET.get("format") == "xlsx":
        data = table_workbook(LEAGUE_COLUMNS, rows, sheet=str(_("League table")), title=snapshot.title)
        return xlsx_response(data, f"{snapshot.title}.xlsx")
    return render(request, "dashboards/league_detail.html", {"snapshot": snapshot, "rows": rows})


# --- Project import ----------------------------------------------------------------------------


@login_required
def import_view(request):
    _require(can_import_projects(request.user))
    form = ProjectImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = project_import_check(upload=form.cleaned_data["file"], by=request.user)
            except ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("dashboards:import_detail", pk=batch.pk)
        status = 400
    recent = ProjectImport.objects.select_related("uploaded_by__official")[:10]
    return render(request, "dashboards/import.html", {"form": form, "recent": recent}, status=status)


@login_required
def import_detail_view(request, pk: int):
    _require(can_import_projects(request.user))
    batch = get_object_or_404(ProjectImport, pk=pk)
    return render(request, "dashboards/import_detail.html", {"batch": batch, "errors": batch.errors})


@login_required
@require_POST
def import_commit_view(request, pk: int):
    _require(can_import_projects(request.user))
    batch = get_object_or_404(ProjectImport, pk=pk)
    try:
        batch = project_import_commit(batch=batch, by=request.user)
    except ImportFailed as exc:
        return render(
            request,
            "dashboards/import_detail.html",
            {"batch": batch, "errors": exc.errors, "failure": exc.message},
            status=400,
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("dashboards:import_detail", pk=batch.pk)
    messages.success(
        request,
        _("Imported: %(created)d projects added, %(updated)d updated.")
        % {"created": batch.created_count, "updated": batch.updated_count},
    )
    return redirect("projects:list")


@login_required
def import_template_view(request):
    _require(can_import_projects(request.user))
    return xlsx_response(import_template(), f"{_('Project list template')}.xlsx")


# --- The battle map ----------------------------------------------------------------------------


@login_required
@reads_from_replica
def map_view(request):
    """挂图作战: the project list's filters on a map, coloured by health or stage."""
    _require(can_view_dashboard(request.user))
    filters = MapFilter(request.GET, queryset=project_list(user=request.user), request=request)
    data = battle_map(user=request.user, projects=filters.qs, color_by=filters.color_by)
    return render(request, "dashboards/map.html", {"filters": filters, "form": filters.form, "map": data})
