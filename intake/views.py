"""Browser pages of intake: the candidate list, a candidate with its steps, the form to submit
or edit one, the yearly dispatch list, and the import of a candidate list.

Thin views: forms parse, selectors read (scoped by role), services decide and write; a service's
field errors go back onto the form (status 400), a refusal is a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import errors, sheets
from core.filters import page_of
from core.forms import add_service_errors
from intake import imports, workflow
from intake.filters import CandidateFilter
from intake.forms import (
    CandidateForm,
    CandidateImportForm,
    DispatchAddForm,
    DispatchRemoveForm,
    StepForm,
    year_choices,
)
from intake.models import CandidateImport, Status
from intake.permissions import (
    can_fire,
    can_import_candidates,
    can_manage_dispatch,
    can_submit,
    can_take_steps,
    can_view_intake,
    is_reviewer,
    is_submitter,
)
from intake.selectors import (
    candidate_events,
    candidate_get_visible,
    candidate_list,
    dispatch_list,
    projects_off_the_list,
    recent_imports,
)
from intake.services import (
    candidate_create,
    candidate_import_check,
    candidate_import_commit,
    candidate_transition,
    candidate_update,
    dispatch_add,
    dispatch_remove,
)
from projects.selectors import project_get_visible

PAGE_SIZE = 50


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _call(form, service, **kwargs):
    try:
        return service(**kwargs)
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.ApplicationError as exc:
        add_service_errors(form, exc)
        return None


@login_required
def candidate_list_view(request):
    _require(can_view_intake(request.user))
    filters = CandidateFilter(request.GET, queryset=candidate_list(user=request.user), request=request)
    page = page_of(request, filters.qs, PAGE_SIZE, filters)
    waiting = candidate_list(user=request.user).filter(status=Status.SUBMITTED).count()
    return render(
        request,
        "intake/list.html",
        {
            "form": filters.form,
            "filters": filters,
            "page": page,
            "waiting": waiting,
            "can_submit": can_submit(request.user),
            "can_review": is_reviewer(request.user),
            "can_import": can_import_candidates(request.user),
        },
    )


def _form_kwargs(request) -> dict:
    return {"choose_unit": is_reviewer(request.user)}


@login_required
def candidate_create_view(request):
    _require(can_submit(request.user))
    form = CandidateForm(request.POST or None, **_form_kwargs(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = dict(form.cleaned_data)
            candidate = _call(form, candidate_create, by=request.user, submit="submit" in request.POST, **data)
            if candidate is not None:
                messages.success(
                    request,
                    _("The project is submitted for review.")
                    if candidate.status == Status.SUBMITTED
                    else _("The draft is saved."),
                )
                return redirect("intake:detail", pk=candidate.pk)
        status = 400
    return render(request, "intake/form.html", {"form": form, "candidate": None}, status=status)


@login_required
def candidate_edit_view(request, pk):
    candidate = candidate_get_visible(user=request.user, pk=pk)
    _require(is_submitter(request.user, candidate) and candidate.status in (Status.DRAFT, Status.RETURNED))
    fields = [f for f in CandidateForm.base_fields if f != "unit"]
    initial = {f: getattr(candidate, f) for f in fields}
    form = CandidateForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            updated = _call(form, candidate_update, candidate=candidate, by=request.user, **form.cleaned_data)
            if updated is not None and "submit" in request.POST:
                updated = _call(form, candidate_transition, candidate=updated, action="submit", by=request.user)
            if updated is not None:
                messages.success(request, _("The candidate is saved."))
                return redirect("intake:detail", pk=candidate.pk)
        status = 400
    return render(request, "intake/form.html", {"form": form, "candidate": candidate}, status=status)


def _detail(request, candidate, *, bound: StepForm | None = None, status: int = 200):
    forms = []
    for step in workflow.steps_from(candidate.status):
        if can_fire(request.user, candidate, step.actors):
            forms.append(bound if bound is not None and bound.step.action == step.action else StepForm(step=step))
    events = list(candidate_events(candidate=candidate))
    for event in events:
        event.label = workflow.event_label(event.action)
    return render(
        request,
        "intake/detail.html",
        {
            "candidate": candidate,
            "events": events,
            "step_forms": forms,
            "can_edit": is_submitter(request.user, candidate) and candidate.status in (Status.DRAFT, Status.RETURNED),
        },
        status=status,
    )


@login_required
def candidate_detail_view(request, pk):
    return _detail(request, candidate_get_visible(user=request.user, pk=pk))


@login_required
@require_POST
def candidate_step_view(request, pk):
    candidate = candidate_get_visible(user=request.user, pk=pk)
    _require(can_take_steps(request.user, candidate))  # before reading the form
    step = workflow.step_for(request.POST.get("action", ""))
    if step is None:
        return _detail(request, candidate, status=400)
    _require(can_fire(request.user, candidate, step.actors))
    form = StepForm(request.POST, step=step)
    if form.is_valid():
        payload = form.payload()
        note = payload.pop("note", "")
        done = _call(
            form, candidate_transition, candidate=candidate, action=step.action, by=request.user, note=note, **payload
        )
        if done is not None:
            messages.success(
                request,
                _("Done: %(action)s. Now %(status)s.") % {"action": step.label, "status": done.get_status_display()},
            )
            return redirect("intake:detail", pk=candidate.pk)
    return _detail(request, candidate, bound=form, status=400)


# --- The dispatch list -------------------------------------------------------------------------


def _dispatch_year(request) -> int:
    value = request.GET.get("year") or request.POST.get("year") or ""
    years = {y for y, _label in year_choices()}
    return int(value) if value.isdigit() and int(value) in years else timezone.localdate().year


def _dispatch_page(request, year: int, *, add_form=None, remove=None, status: int = 200):
    entries = list(dispatch_list(user=request.user, year=year))
    manage = can_manage_dispatch(request.user)
    bound_pk, bound_form = remove or (None, None)
    for entry in entries:
        entry.remove_form = (
            (bound_form if entry.project_id == bound_pk else DispatchRemoveForm(auto_id=f"id_r{entry.pk}_%s"))
            if manage
            else None
        )
    if manage and add_form is None:
        add_form = DispatchAddForm(projects=projects_off_the_list(user=request.user, year=year))
    return render(
        request,
        "intake/dispatch.html",
        {"year": year, "years": year_choices(), "entries": entries, "add_form": add_form if manage else None},
        status=status,
    )


@login_required
def dispatch_view(request):
    _require(can_view_intake(request.user))
    return _dispatch_page(request, _dispatch_year(request))


def _after_dispatch(request, project, year: int):
    back = request.POST.get("next") or ""
    if back == "project":
        return redirect(reverse("projects:detail", args=[project.pk]) + "#library")
    return redirect(f"{reverse('intake:dispatch')}?year={year}")


@login_required
@require_POST
def dispatch_add_view(request):
    _require(can_manage_dispatch(request.user))
    year = _dispatch_year(request)
    form = DispatchAddForm(request.POST, projects=projects_off_the_list(user=request.user, year=year))
    if form.is_valid():
        project = form.cleaned_data["project"]
        entry = _call(form, dispatch_add, project=project, year=year, by=request.user, note=form.cleaned_data["note"])
        if entry is not None:
            messages.success(
                request, _("%(project)s is on the %(year)d dispatch list.") % {"project": project, "year": year}
            )
            return _after_dispatch(request, project, year)
    return _dispatch_page(request, year, add_form=form, status=400)


@login_required
@require_POST
def dispatch_remove_view(request, project_pk):
    _require(can_manage_dispatch(request.user))
    year = _dispatch_year(request)
    project = project_get_visible(user=request.user, pk=project_pk)
    form = DispatchRemoveForm(request.POST)
    if form.is_valid():
        try:
            dispatch_remove(project=project, year=year, by=request.user, reason=form.cleaned_data["reason"])
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(project)s is off the %(year)d dispatch list.") % {"project": project, "year": year}
            )
            return _after_dispatch(request, project, year)
    return _dispatch_page(request, year, remove=(project.pk, form), status=400)


# --- Importing a candidate list --------------------------------------------------------------------


@login_required
def import_view(request):
    _require(can_import_candidates(request.user))
    form = CandidateImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            batch = _call(form, candidate_import_check, upload=form.cleaned_data["file"], by=request.user)
            if batch is not None:
                return redirect("intake:import_detail", pk=batch.pk)
        status = 400
    return render(
        request, "intake/import.html", {"form": form, "recent": recent_imports(user=request.user)[:10]}, status=status
    )


def _batch(request, pk) -> CandidateImport:
    return get_object_or_404(recent_imports(user=request.user), pk=pk)


@login_required
def import_detail_view(request, pk):
    _require(can_import_candidates(request.user))
    batch = _batch(request, pk)
    return render(request, "intake/import_detail.html", {"batch": batch, "errors": batch.errors})


@login_required
@require_POST
def import_commit_view(request, pk):
    _require(can_import_candidates(request.user))
    batch = _batch(request, pk)
    try:
        batch = candidate_import_commit(batch=batch, by=request.user)
    except sheets.ImportFailed as exc:
        return render(
            request,
            "intake/import_detail.html",
            {"batch": batch, "errors": exc.errors, "failure": exc.message},
            status=400,
        )
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("intake:import_detail", pk=batch.pk)
    messages.success(request, _("Imported: %(n)d candidates submitted for review.") % {"n": batch.created_count})
    return redirect("intake:list")


@login_required
def import_template_view(request):
    _require(can_import_candidates(request.user))
    response = HttpResponse(imports.template(), content_type=sheets.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = "attachment; filename=candidates-template.xlsx"
    return response
