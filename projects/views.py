"""Browser pages for projects: the list, the project page and its three forms.

Views are thin: selectors read (scoped by role), services write (and check the permission
themselves). The POST views also check the permission before reading the input, so that a
user who may not edit gets 403 whatever they send. A form with errors is answered with the
project page, the form open and its errors shown, status 400; success redirects with a message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import errors
from core.filters import page_of
from core.forms import add_service_errors
from projects.filters import ProjectFilter
from projects.forms import (
    MilestoneCompleteForm,
    ProgressReportForm,
    StageChangeForm,
)
from projects.milestones import State, timeline_strip
from projects.models import Stage
from projects.permissions import can_complete_milestone, can_edit_project
from projects.sections import sections_for
from projects.selectors import (
    annual_targets_visible_to,
    milestones_for,
    progress_reports_for,
    project_figures,
    project_get_visible,
    project_list,
    project_phases,
    stage_timeline,
)
from projects.services import milestone_complete, progress_report_submit, project_change_stage

PAGE_SIZE = 50
# The latest reports are shown in full; earlier ones fold away so the milestones stay in reach.
RECENT_REPORTS = 3


@login_required
def project_list_view(request):
    filters = ProjectFilter(request.GET, queryset=project_list(user=request.user), request=request)
    page = page_of(request, filters.qs, PAGE_SIZE, filters)
    return render(
        request,
        "projects/list.html",
        {
            "form": filters.form,
            "filters": filters,
            "page": page,
            "projects": page.object_list,
            "year": timezone.localdate().year,
        },
    )


@login_required
def project_detail_view(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    return _render_detail(request, project)


def _call_service(form, service, **kwargs):
    """Run `service`; put its field errors on `form` and return None, or return its result.

    A refusal by the service (core.errors.PermissionDenied) is a 403, not a form error.
    """
    try:
        return service(**kwargs)
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.ApplicationError as exc:
        add_service_errors(form, exc)
        return None


@login_required
@require_POST
def project_change_stage_view(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    form = StageChangeForm(request.POST, project=project)
    if form.is_valid():
        change = _call_service(form, project_change_stage, project=project, by=request.user, **form.cleaned_data)
        if change is not None:
            messages.success(request, _("Stage changed to %(stage)s.") % {"stage": Stage(change.to_stage).label})
            return redirect(reverse("projects:detail", args=[project.pk]) + "#stage")
    return _render_detail(request, project, stage_form=form, status=400)


@login_required
@require_POST
def progress_report_submit_view(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    form = ProgressReportForm(request.POST, request.FILES)
    if form.is_valid():
        report = _call_service(form, progress_report_submit, project=project, by=request.user, **form.cleaned_data)
        if report is not None:
            messages.success(
                request,
                _("The report for %(month)s is filed.") % {"month": date_format(report.month, "YEAR_MONTH_FORMAT")},
            )
            return redirect(reverse("projects:detail", args=[project.pk]) + "#reports")
    if request.FILES.getlist("photos") and not form.has_error("photos"):
        # A browser cannot refill a file input: say so, or the photos silently go missing.
        form.add_error("photos", _("Nothing was saved: choose the photos again."))
    return _render_detail(request, project, report_form=form, status=400)


@login_required
@require_POST
def milestone_complete_view(request, pk, milestone_pk):
    project = project_get_visible(user=request.user, pk=pk)
    milestone = milestones_for(project=project).filter(pk=milestone_pk).first()
    if milestone is None:
        raise Http404
    milestone.project = project
    if not can_complete_milestone(request.user, milestone):
        raise PermissionDenied
    form = MilestoneCompleteForm(request.POST, request.FILES, auto_id=f"id_m{milestone.pk}_%s")
    if form.is_valid():
        done = _call_service(form, milestone_complete, milestone=milestone, by=request.user, **form.cleaned_data)
        if done is not None:
            messages.success(request, _("Milestone “%(title)s” marked done.") % {"title": done.title})
            return redirect(reverse("projects:detail", args=[project.pk]) + "#milestones")
    return _render_detail(request, project, milestone_form=(milestone.pk, form), status=400)


def render_project_page(request, project, *, bound: dict | None = None, status: int = 200):
    """The project page for another app's view: `bound` gives, per registered section
    (projects.sections), the bound forms with errors it should show instead of blank ones."""
    return _render_detail(request, project, sections_bound=bound, status=status)


def _render_detail(
    request, project, *, stage_form=None, report_form=None, milestone_form=None, sections_bound=None, status=200
):
    """The project page; a bound form with errors, when given, replaces the blank one."""
    user = request.user
    today = timezone.localdate()
    can_edit = can_edit_project(user, project)
    figures = project_figures(project=project, user=user, today=today)
    reports = list(progress_reports_for(project=project))
    # Open milestones first (the most urgent on top), then the done ones: the same on every database,
    # whatever it does with NULL completion dates.
    milestones = sorted(
        milestones_for(project=project, today=today), key=lambda m: (m.completed_on is not None, m.due_date, m.pk)
    )
    bound_pk, bound_form = milestone_form or (None, None)
    for milestone in milestones:
        # `state` and `due_soon` are annotated by the selector (projects.milestones).
        milestone.project = project
        milestone.days_overdue = (today - milestone.due_date).days if milestone.state == State.OVERDUE else 0
        milestone.form = None
        if not milestone.completed_on and can_complete_milestone(user, milestone):
            milestone.form = (
                bound_form if milestone.pk == bound_pk else MilestoneCompleteForm(auto_id=f"id_m{milestone.pk}_%s")
            )
    context = {
        "project": project,
        "figures": figures,
        "target": annual_targets_visible_to(user).filter(project=project, year=today.year).first(),
        "phases": project_phases(project=project, user=user),
        "timeline": list(stage_timeline(project=project))[::-1],
        "recent_reports": reports[:RECENT_REPORTS],
        "older_reports": reports[RECENT_REPORTS:],
        "milestones": milestones,
        "strip": timeline_strip(milestones, today=today),
        "can_edit": can_edit,
        "stage_form": (stage_form or StageChangeForm(project=project)) if can_edit else None,
        # A parent takes no report (projects.selectors.is_parent); a refused one still shows why.
        "report_form": report_form or (ProgressReportForm() if can_edit and not figures["rolled_up"] else None),
        "year": today.year,
        "today": today,
        "sections": sections_for(request, project, can_edit=can_edit, bound=sections_bound),
    }
    return render(request, "projects/detail.html", context, status=status)
