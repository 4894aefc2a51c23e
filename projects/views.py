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
from django.views.decorators.http import require_GET, require_POST

from core import errors
from core.files import file_response, file_view
from core.filters import page_of
from core.forms import add_service_errors
from core.pending import PendingFiles
from projects.consequences import stage_move_consequences
from projects.filters import ProjectFilter
from projects.forms import (
    MilestoneCompleteForm,
    ProgressReportForm,
    ReportCorrectionForm,
    StageChangeForm,
)
from projects.milestones import State, timeline_strip
from projects.models import Milestone, ProgressPhoto, Stage
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
    projects_visible_to,
    report_corrections,
    stage_timeline,
)
from projects.services import (
    StageMove,
    milestone_complete,
    progress_report_submit,
    progress_report_update,
    project_change_stage,
    report_correction_refusal,
    stage_move_kind,
)

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
        data = dict(form.cleaned_data)
        confirmed = data.pop("confirmed")
        kind = stage_move_kind(project.stage, data["to_stage"])
        if kind and not (data["reason"] or "").strip():
            form.add_error("reason", StageMove.missing_reason_message(kind, data["to_stage"]))
            return _render_detail(request, project, stage_form=form, status=400)
        if kind and not confirmed:
            # Stopping, moving back or reviving: show what the move affects and ask to confirm.
            return render(
                request,
                "projects/stage_confirm.html",
                {
                    "project": project,
                    "form": form,
                    "kind": kind,
                    "to_stage": data["to_stage"],
                    "changed_on": data["changed_on"],
                    "reason": data["reason"].strip(),
                    "consequences": stage_move_consequences(project=project, to_stage=data["to_stage"]),
                },
            )
        change = _call_service(form, project_change_stage, project=project, by=request.user, **data)
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
    # Photos chosen before a validation error are kept (core.pending) and sent again with the form.
    pending = PendingFiles(request, "photos")
    if form.is_valid():
        data = {**form.cleaned_data, "photos": pending.files() + list(form.cleaned_data.get("photos") or [])}
        try:
            report = progress_report_submit(project=project, by=request.user, **data)
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.ApplicationError as exc:
            report = None
            existing = _existing_report(exc, project, form.cleaned_data["month"])
            if existing is not None and report_correction_refusal(user=request.user, report=existing) is None:
                # The month has its report: offer to correct it with what was typed, instead of failing.
                return _render_correction(request, project, existing, form=_correction_from(request, existing))
            add_service_errors(form, exc)
        if report is not None:
            pending.done()
            messages.success(
                request,
                _("The report for %(month)s is filed.") % {"month": date_format(report.month, "YEAR_MONTH_FORMAT")},
            )
            return redirect(reverse("projects:detail", args=[project.pk]) + "#reports")
    pending.keep(request.FILES.getlist("photos"))
    form.pending = pending.context()
    return _render_detail(request, project, report_form=form, status=400)


def _existing_report(exc, project, month):
    if exc.code != "duplicate" or month is None:
        return None
    return progress_reports_for(project=project).filter(month=month.replace(day=1)).first()


def _correction_from(request, report):
    """The correction form filled with what the user typed for a new report of the same month;
    its photos cannot be carried over (a browser never refills a file input)."""
    form = ReportCorrectionForm(request.POST, report=report)
    form.is_valid()
    if request.FILES.getlist("photos"):
        form.add_error("photos", _("Nothing was saved: choose the photos again."))
    form.offered_instead = True
    return form


def _render_correction(request, project, report, *, form=None, refusal=None, status=200):
    history = report_corrections(report=report)
    return render(
        request,
        "projects/report_correct.html",
        {
            "project": project,
            "report": report,
            "form": None if refusal else (form or ReportCorrectionForm(report=report)),
            "refusal": refusal,
            "history": history,
            "offered_instead": getattr(form, "offered_instead", False),
        },
        status=status,
    )


@login_required
def progress_report_correct_view(request, pk, report_pk):
    """Correct a monthly report (current or previous month; projects.services decides)."""
    project = project_get_visible(user=request.user, pk=pk)
    report = progress_reports_for(project=project).filter(pk=report_pk).first()
    if report is None:
        raise Http404
    if not can_edit_project(request.user, project):
        raise PermissionDenied
    refusal = report_correction_refusal(user=request.user, report=report)
    if refusal:
        return _render_correction(
            request, project, report, refusal=refusal, status=400 if request.method == "POST" else 200
        )
    if request.method != "POST":
        return _render_correction(request, project, report)
    form = ReportCorrectionForm(request.POST, request.FILES, report=report)
    if form.is_valid():
        done = _call_service(form, progress_report_update, report=report, by=request.user, **form.service_data())
        if done is not None:
            messages.success(
                request,
                _("The report for %(month)s is corrected.") % {"month": date_format(done.month, "YEAR_MONTH_FORMAT")},
            )
            return redirect(reverse("projects:detail", args=[project.pk]) + f"#report-{done.month:%Y-%m}")
    if request.FILES.getlist("photos") and not form.has_error("photos"):
        form.add_error("photos", _("Nothing was saved: choose the photos again."))
    return _render_correction(request, project, report, form=form, status=400)


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
    # The evidence photo chosen before a validation error is kept (core.pending).
    pending = PendingFiles(request, f"evidence_file-{milestone.pk}", input_name="evidence_file")
    if form.is_valid():
        data = dict(form.cleaned_data)
        if not data.get("evidence_file") and pending.kept:
            data["evidence_file"] = pending.files()[-1]
        done = _call_service(form, milestone_complete, milestone=milestone, by=request.user, **data)
        if done is not None:
            pending.done()
            messages.success(request, _("Milestone “%(title)s” marked done.") % {"title": done.title})
            return redirect(reverse("projects:detail", args=[project.pk]) + "#milestones")
    chosen = request.FILES.get("evidence_file")
    if chosen:
        pending.done()  # a newly chosen photo replaces the kept one
        pending.keep([chosen])
    form.pending = pending.context()
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
    for report in reports:
        report.project = project  # the permission reads the project: no query per report
        report.correctable = can_edit and report_correction_refusal(user=user, report=report, today=today) is None
    this_month = today.replace(day=1)
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
        "report_form": (report_form or ProgressReportForm()) if can_edit else None,
        # This month's report is filed: the page offers its correction rather than a second one.
        "this_month_report": next((r for r in reports if r.month == this_month and r.correctable), None),
        "year": today.year,
        "today": today,
        "sections": sections_for(request, project, can_edit=can_edit, bound=sections_bound),
    }
    return render(request, "projects/detail.html", context, status=status)


# --- Files -------------------------------------------------------------------------------------


@require_GET
@file_view
def report_photo_view(request, pk):
    """A progress report's photo, for users who may see the project (its page's selector), else 404."""
    photo = ProgressPhoto.objects.filter(pk=pk, report__project__in=projects_visible_to(request.user)).first()
    if photo is None:
        raise Http404
    return file_response(request, photo.image, download_name=photo.original_name or photo.caption)


@require_GET
@file_view
def milestone_evidence_view(request, pk):
    """A milestone's evidence photo, for users who may see the project, else 404."""
    milestone = Milestone.objects.filter(pk=pk, project__in=projects_visible_to(request.user)).first()
    if milestone is None or not milestone.evidence_file:
        raise Http404
    return file_response(request, milestone.evidence_file, download_name=milestone.evidence_file_name)
