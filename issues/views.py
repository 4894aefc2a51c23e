"""Browser pages for enterprise issues and site visits.

Views are thin: selectors read (scoped by role, 404 for what the user may not see), services
write and check the permission and the rules themselves. A refused or failed write re-shows the
page with the service's message: 400 for bad input or an action out of order, 403 for an action
the user may not fire, 409 for a stale page ("changed by someone else — reload"). Success
redirects with a message.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from core import errors
from core.calendar import local_date
from core.files import file_response, file_view
from core.filters import page_of
from core.models import Role
from core.pending import PendingFiles
from core.roles import role_of
from core.templatetags.ui import zh_date
from enterprises.selectors import enterprise_search
from issues import workflow
from issues.deadlines import deadline_rows
from issues.filters import IssueFilter
from issues.forms import (
    DepartmentParamForm,
    InstructionFormSet,
    IssueActionForm,
    IssueBulkForm,
    IssueForm,
    VisitForm,
    add_service_errors,
    handler_label,
)
from issues.models import IssuePhoto, Status
from issues.permissions import can_act_in_bulk, can_pick_handlers, can_record_visit, issue_available_actions
from issues.selectors import (
    enterprises_for_raising,
    handlers_of_department,
    issue_get_visible,
    issue_list,
    issue_queue,
    issue_timeline,
    issues_visible_to,
    visit_instructions,
    visits_visible_to,
    with_visit_data,
)
from issues.services import issue_create, issue_transition, issues_bulk_transition, visit_create

PAGE_SIZE = 50
SUGGESTIONS = 8
# Roles with a queue of their own ("待我处理"); the others start at the full list.
QUEUE_ROLES = {Role.HANDLER, Role.SUPERVISOR, Role.STAFF}
# Roles that may log issues in the browser (the service decides per enterprise).
RAISING_ROLES = {Role.STAFF, Role.OFFICIAL, Role.LEADER, Role.SUPERVISOR}


# --- Issues: lists -------------------------------------------------------------------------------


@login_required
def issue_home_view(request):
    """The 问题 menu: the user's queue when their role has one, else the list."""
    return redirect("issues:queue" if role_of(request.user) in QUEUE_ROLES else "issues:list")


@login_required
def issue_list_view(request):
    filters = IssueFilter(request.GET, queryset=issue_list(user=request.user), request=request)
    page = page_of(request, filters.qs, PAGE_SIZE, filters)
    return render(
        request,
        "issues/list.html",
        {
            "form": filters.form,
            "filters": filters,
            "page": page,
            "issues": page.object_list,
            "can_raise": _can_raise(request.user),
            "bulk_form": _bulk_form(request),
        },
    )


def _bulk_form(request):
    """The bulk-action form above a list of issues, for supervisors only."""
    if not can_act_in_bulk(request.user):
        return None
    return IssueBulkForm(user=request.user)


@login_required
def issue_queue_view(request):
    """待我处理: overdue first. Handlers acknowledge assigned issues right from the list."""
    role = role_of(request.user)
    page = Paginator(issue_queue(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    for issue in page.object_list:
        # The queue is made of the issues waiting for this role's move, so the move follows the
        # state; the service checks it again when the button is pressed.
        issue.quick_action = "acknowledge" if role == Role.HANDLER and issue.status == Status.ASSIGNED else None
    return render(
        request,
        "issues/queue.html",
        {
            "page": page,
            "issues": page.object_list,
            "role": role,
            "can_raise": _can_raise(request.user),
            "bulk_form": _bulk_form(request),
        },
    )


# --- Issues: logging ------------------------------------------------------------------------------


def _can_raise(user) -> bool:
    return role_of(user) in RAISING_ROLES


@login_required
def issue_create_view(request):
    if not _can_raise(request.user):
        raise PermissionDenied
    form = IssueForm(request.POST or None, request.FILES or None, user=request.user)
    # Photos chosen before a validation error are kept (core.pending) and sent again with the form.
    pending = PendingFiles(request, "photos")
    if request.method == "POST":
        if form.is_valid():
            kwargs = form.service_kwargs()
            kwargs["photos"] = pending.files() + list(kwargs.get("photos") or [])
            try:
                issue = issue_create(by=request.user, **kwargs)
            except errors.PermissionDenied as exc:
                # Not this user's enterprise: a mistake in the form, not a forbidden page.
                form.add_error("enterprise", exc.message)
            except errors.ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                pending.done()
                messages.success(request, _("Issue #%(pk)s logged.") % {"pk": issue.pk})
                return redirect("issues:detail", pk=issue.pk)
        pending.keep(request.FILES.getlist("photos"))
        status = 400
    else:
        status = 200
    form.pending = pending.context()
    context = {
        "form": form,
        "preferred": list(form.preferred_enterprises),
        "selected_enterprise": form.selected_enterprise() if form.is_bound else None,
    }
    return render(request, "issues/form.html", context, status=status)


@login_required
@require_GET
def enterprise_suggest_view(request):
    """A small list of enterprises matching `q` (name, short name, code or pinyin initials),
    among those the user may log issues for; an htmx fragment for the logging form."""
    q = (request.GET.get("q") or request.GET.get("enterprise_q") or "").strip()
    enterprises = []
    if q:
        enterprises = list(
            enterprise_search(user=request.user, q=q)
            .filter(pk__in=enterprises_for_raising(request.user).values("pk"))
            .order_by("-is_key", "name")[:SUGGESTIONS]
        )
    return render(request, "issues/partials/enterprise_suggestions.html", {"enterprises": enterprises, "q": q})


# --- Issues: one issue and its workflow ----------------------------------------------------------


def _timeline(issue) -> list:
    """The events, oldest first, each with its label and the facts its data records (both
    declared per event in issues.workflow)."""
    events = list(issue_timeline(issue=issue))
    for event in events:
        event.label = workflow.event_label(event.action)
        event.details = _event_details(event)
    return events


def _day(value: str) -> datetime.date:
    """The local day of an ISO date or datetime recorded in an event's data."""
    if "T" in value:
        return local_date(datetime.datetime.fromisoformat(value))
    return datetime.date.fromisoformat(value)


def _choice_label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


# How each kind of timeline detail (issues.workflow.DETAIL_SHOWS) is shown.
DETAIL_FORMATS = {
    "name": lambda detail, v: " → ".join(str(x) for x in v if x) if isinstance(v, list) else str(v),
    "names": lambda detail, v: "、".join(str(x) for x in v),
    "day": lambda detail, v: zh_date(_day(v)),
    "choice": lambda detail, v: _choice_label(detail.choices, v),
    "count": lambda detail, v: int(v),
}


def _event_details(event) -> list[str]:
    declared = workflow.event_for(event.action)
    data = event.data or {}
    details = []
    for detail in declared.details if declared else ():
        value = data.get(detail.key)
        if value in (None, "", [], 0):
            continue
        shown = DETAIL_FORMATS[detail.show](detail, value)
        details.append(str(detail.text % {"value": shown}) if detail.text else shown)
    return details


def _render_issue(request, issue, *, bound=None, action_error=None, status=200):
    """The issue page; `bound` (an IssueActionForm with errors) replaces that action's blank form."""
    user = request.user
    now = timezone.now()
    available = issue_available_actions(user=user, issue=issue)
    forms = []
    for transition in available:
        action = workflow.form_action(transition.action)
        if any(f.action == action for f in forms):
            continue
        if bound is not None and bound.action == action:
            forms.append(bound)
        else:
            forms.append(IssueActionForm(action=action, issue=issue))
    context = {
        "issue": issue,
        "deadlines": deadline_rows(issue, now=now),
        "timeline": _timeline(issue),
        "action_forms": forms,
        "action_error": action_error,
        "action_error_reload": status == 409,
        "photos": list(issue.photos.all()),
        "co_departments": list(issue.co_departments.all()),
    }
    return render(request, "issues/detail.html", context, status=status)


@login_required
def issue_detail_view(request, pk):
    issue = issue_get_visible(user=request.user, pk=pk)
    return _render_issue(request, issue)


@login_required
@require_POST
def issue_action_view(request, pk, action):
    """Fire one workflow action. An action the page did not offer (stale page, wrong state,
    not this user's) is still sent to the service, with only the version and the note, so what
    the user reads is the service's refusal."""
    issue = issue_get_visible(user=request.user, pk=pk)
    if action not in workflow.TRANSITIONS or workflow.form_action(action) != action:
        raise Http404
    form = IssueActionForm(request.POST, action=action, issue=issue)
    offered = {workflow.form_action(t.action) for t in issue_available_actions(user=request.user, issue=issue)}
    try:
        if action in offered:
            if not form.is_valid():
                return _render_issue(request, issue, bound=form, status=400)
            action = form.workflow_action()
            issue_transition(issue=issue, action=action, by=request.user, **form.payload())
        else:
            version = request.POST.get(f"{action}-version", "")
            issue_transition(
                issue=issue,
                action=action,
                by=request.user,
                note=request.POST.get(f"{action}-note", ""),
                expected_version=int(version) if version.isdigit() else None,
            )
    except errors.ApplicationError as exc:
        if exc.fields:
            # On its field (or above the form): shown once, not again in the page's alert.
            add_service_errors(form, exc)
        issue = issue_get_visible(user=request.user, pk=pk)
        return _render_issue(
            request, issue, bound=form, action_error=None if exc.fields else exc.message, status=exc.status_code
        )
    messages.success(request, _("Done: %(action)s.") % {"action": workflow.TRANSITIONS[action].label})
    return redirect(reverse("issues:detail", args=[pk]) + "#timeline")


@login_required
@require_POST
def issue_bulk_view(request):
    """Several ticked issues, one action (supervisors): each through the issue service in its own
    transaction; what was done and what was refused (with why) is summarised on the list."""
    if not can_act_in_bulk(request.user):
        raise PermissionDenied
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("issues:queue")
    form = IssueBulkForm(request.POST, user=request.user)
    if not form.is_valid():
        for errors_of_field in form.errors.values():
            for error in errors_of_field:
                messages.error(request, error)
        return redirect(back)
    action = form.cleaned_data["action"]
    result = issues_bulk_transition(
        by=request.user,
        issues=list(form.cleaned_data["issues"]),
        action=action,
        versions=form.versions(),
        note=form.cleaned_data["note"],
        **form.payload(),
    )
    if result.done:
        text = (
            ngettext("%(n)d issue assigned.", "%(n)d issues assigned.", len(result.done))
            if action == "assign"
            else ngettext("%(n)d department reminded.", "%(n)d departments reminded.", len(result.done))
        )
        messages.success(request, text % {"n": len(result.done)})
    for issue, reason in result.failed:
        messages.error(
            request, _("#%(id)s %(title)s: %(reason)s") % {"id": issue.pk, "title": issue.title, "reason": reason}
        )
    return redirect(back)


@login_required
@require_GET
def handlers_view(request):
    """JSON: the handlers of one department (`?department=<id>`), for the assign form's handler
    list (static/js/forms.js). Only for those who route issues; the service still checks."""
    if not can_pick_handlers(request.user):
        raise PermissionDenied
    params = DepartmentParamForm(request.GET)
    if not params.is_valid():
        return JsonResponse({"errors": params.errors.get_json_data()}, status=400)
    handlers = handlers_of_department(params.cleaned_data["department"])
    return JsonResponse(
        {
            "department": params.cleaned_data["department"],
            "results": [{"id": h.pk, "label": handler_label(h)} for h in handlers],
        }
    )


# --- Site visits --------------------------------------------------------------------------------


@login_required
def visit_list_view(request):
    visits = with_visit_data(visits_visible_to(request.user)).order_by("-date", "-id")
    page = Paginator(visits, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "issues/visit_list.html",
        {"page": page, "visits": page.object_list, "can_record": can_record_visit(request.user)},
    )


def _visit_get_visible(user, pk):
    visit = with_visit_data(visits_visible_to(user)).filter(pk=pk).first()
    if visit is None:
        raise Http404
    return visit


def _visit_context(user, visit) -> dict:
    # Instructions the user may not read stay off the page (a handler sees their department's).
    instructions = list(visit_instructions(visit=visit).filter(pk__in=issues_visible_to(user).values("pk")))
    return {
        "visit": visit,
        "instructions": instructions,
        "closed_off": sum(1 for i in instructions if i.closed_off),
        "today": timezone.localdate(),
    }


@login_required
def visit_detail_view(request, pk):
    visit = _visit_get_visible(request.user, pk)
    return render(request, "issues/visit_detail.html", _visit_context(request.user, visit))


@login_required
def visit_sheet_view(request, pk):
    """The printable minutes (纪要) and assignment sheet (交办单)."""
    visit = _visit_get_visible(request.user, pk)
    return render(request, "issues/visit_sheet.html", _visit_context(request.user, visit))


@login_required
def visit_create_view(request):
    """Record a visit and its instructions on one page. "Add a row" without JavaScript posts
    the page back with one more blank row; nothing is saved until "Save"."""
    if not can_record_visit(request.user):
        raise PermissionDenied
    user = request.user
    if request.method != "POST":
        form = VisitForm(user=user, initial={"date": timezone.localdate()})
        formset = InstructionFormSet(user=user, prefix="instructions")
        return _render_visit_form(request, form, formset)
    form = VisitForm(request.POST, user=user)
    if "add_row" in request.POST:
        # Re-show what was typed, unjudged, with one more blank row.
        typed = InstructionFormSet(request.POST, user=user, prefix="instructions")
        formset = InstructionFormSet(initial=[_raw(f) for f in typed.forms], user=user, prefix="instructions")
        return _render_visit_form(request, VisitForm(initial=_raw(form), user=user), formset)
    formset = InstructionFormSet(request.POST, user=user, prefix="instructions")
    if form.is_valid() and formset.is_valid():
        try:
            visit = visit_create(by=user, instructions=formset.instructions(), **form.cleaned_data)
        except errors.PermissionDenied as exc:
            raise PermissionDenied(exc.message) from exc
        except errors.ApplicationError as exc:
            _add_visit_errors(form, formset, exc)
        else:
            messages.success(
                request,
                _("Site visit recorded with %(n)d instructions.") % {"n": visit.instructions.count()},
            )
            return redirect("visits:detail", pk=visit.pk)
    return _render_visit_form(request, form, formset, status=400)


def _raw(form) -> dict:
    return {name: form[name].value() for name in form.fields}


def _render_visit_form(request, form, formset, *, status=200):
    return render(request, "issues/visit_form.html", {"form": form, "formset": formset}, status=status)


def _add_visit_errors(form, formset, exc: errors.ApplicationError) -> None:
    """Put visit_create's errors where they belong: "instructions.<n>.<field>" on row n (1-based,
    counting the filled-in rows), "instructions" above the rows, the rest on the visit form."""
    rows = formset.changed_forms()
    placed = False
    for key, messages_ in exc.fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "instructions" and parts[1].isdigit():
            number = int(parts[1])
            if 1 <= number <= len(rows):
                row = rows[number - 1]
                for message in messages_:
                    row.add_error(parts[2] if parts[2] in row.fields else None, message)
                placed = True
        elif key in form.fields:
            for message in messages_:
                form.add_error(key, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


# --- Files -------------------------------------------------------------------------------------


@require_GET
@file_view
def issue_photo_view(request, pk):
    """An issue's photo, for users who may see the issue (its page's selector), else 404."""
    photo = IssuePhoto.objects.filter(pk=pk, issue__in=issues_visible_to(request.user)).first()
    if photo is None:
        raise Http404
    return file_response(request, photo.image, download_name=photo.original_name)
