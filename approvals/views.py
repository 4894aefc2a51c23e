"""Browser pages of approvals: the list of items (filters, export), the per-department figures
(审批提速), a project's checklist, an item's page (usable on a phone: steps, details, documents,
history). Thin: forms parse, services decide and write, selectors read."""

import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from approvals import workflow
from approvals.filters import ApprovalItemFilter
from approvals.forms import ChecklistForm, DocumentForm, ItemUpdateForm, StepForm
from approvals.permissions import (
    can_change_department,
    can_fire,
    can_generate_checklist,
    can_update_item,
    can_view_department_figures,
)
from approvals.selectors import (
    checklist_of,
    checklist_summary,
    department_figures,
    documents_visible_to,
    item_get_visible,
    item_list,
    item_timeline,
    items_visible_to,
    project_items,
)
from approvals.services import checklist_generate, document_add, document_delete, item_transition, item_update
from core import errors
from core.filters import page_of
from core.forms import add_service_errors
from core.roles import role_of
from projects.selectors import project_get_visible, projects_visible_to

PAGE_SIZE = 50


def _call(form, service, **kwargs):
    try:
        return service(**kwargs) or True
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.ApplicationError as exc:
        add_service_errors(form, exc)
        return None


# --- Lists -------------------------------------------------------------------------------------


@login_required
def item_list_view(request):
    """Every approval item the user may see, filtered; counts by status over the filtered rows."""
    if role_of(request.user) is None:
        raise PermissionDenied
    filters = ApprovalItemFilter(request.GET, queryset=item_list(user=request.user), request=request)
    rows = filters.qs
    page = page_of(request, rows, PAGE_SIZE, filters)
    # A project's checklist page is linked only for those who may open the project (a handler
    # sees the items of their department, not always their projects): one query per page.
    project_ids = {item.project_id for item in page.object_list}
    openable = set(projects_visible_to(request.user).filter(pk__in=project_ids).values_list("pk", flat=True))
    return render(
        request,
        "approvals/list.html",
        {
            "filters": filters,
            "form": filters.form,
            "summary": checklist_summary(rows),
            "page": page,
            "today": timezone.localdate(),
            "openable_projects": openable,
            "can_view_departments": can_view_department_figures(request.user),
        },
    )


@login_required
def departments_view(request):
    """审批提速: per approving department, items in progress, overdue, approved this year (late)
    and the average working days to approve; each figure links to the items behind it."""
    if not can_view_department_figures(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    items = items_visible_to(request.user)
    return render(
        request,
        "approvals/departments.html",
        {
            "figures": department_figures(items, today=today, year=today.year),
            "summary": checklist_summary(items, today=today),
            "year": today.year,
        },
    )


# --- A project's checklist ---------------------------------------------------------------------


def _project_page(request, project, *, checklist_form=None, status=200):
    checklist = checklist_of(project)
    items = list(project_items(project=project))
    can_generate = can_generate_checklist(request.user, project)
    if checklist_form is None and can_generate:
        checklist_form = ChecklistForm(
            initial={"project_type": checklist.project_type_id if checklist else None}, auto_id="id_cl_%s"
        )
    return render(
        request,
        "approvals/project.html",
        {
            "project": project,
            "checklist": checklist,
            "items": items,
            "summary": checklist_summary(project.approval_items.all()),
            "checklist_form": checklist_form if can_generate else None,
        },
        status=status,
    )


@login_required
def project_approvals_view(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    return _project_page(request, project)


@login_required
@require_POST
def checklist_generate_view(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    if not can_generate_checklist(request.user, project):
        raise PermissionDenied
    form = ChecklistForm(request.POST, auto_id="id_cl_%s")
    if form.is_valid():
        result = _call(form, checklist_generate, project=project, by=request.user, **form.cleaned_data)
        if result:
            _checklist, added = result
            messages.success(
                request,
                _("The checklist is up to date: %(n)d item(s) added.") % {"n": len(added)},
            )
            return redirect(reverse("approvals:project", args=[project.pk]))
    return _project_page(request, project, checklist_form=form, status=400)


# --- An item -----------------------------------------------------------------------------------


def _item_page(request, item, *, step_forms=None, update_form=None, document_form=None, status=200):
    user = request.user
    step_forms = step_forms or {}
    steps = [
        (step, step_forms.get(step.action) or StepForm(step=step, auto_id=f"id_{step.action}_%s"))
        for step in workflow.steps_from(item.status)
        if can_fire(user, item, step.actors)
    ]
    editable = can_update_item(user, item)
    change_department = can_change_department(user, item)
    if editable and update_form is None:
        update_form = ItemUpdateForm(
            initial=ItemUpdateForm.initial_for(item),
            item=item,
            can_change_department=change_department,
            auto_id="id_upd_%s",
        )
    return render(
        request,
        "approvals/item.html",
        {
            "item": item,
            "project": item.project,
            # A handler reads their department's items, not always the project's checklist page.
            "can_open_project": projects_visible_to(user).filter(pk=item.project_id).exists(),
            "steps": steps,
            "update_form": update_form if editable else None,
            "document_form": (document_form or DocumentForm(auto_id="id_doc_%s")) if editable else None,
            "documents": list(item.documents.select_related("uploaded_by__official").order_by("uploaded_at", "pk")),
            "events": [(e, workflow.event_label(e.action)) for e in item_timeline(item=item)],
            "can_edit": editable,
        },
        status=status,
    )


@login_required
def item_view(request, pk):
    return _item_page(request, item_get_visible(user=request.user, pk=pk))


@login_required
@require_POST
def item_step_view(request, pk, action):
    item = item_get_visible(user=request.user, pk=pk)
    step = workflow.step_for(action)
    if step is None:
        raise Http404
    if not can_fire(request.user, item, step.actors):
        raise PermissionDenied
    form = StepForm(request.POST, step=step, auto_id=f"id_{action}_%s")
    if form.is_valid() and _call(form, item_transition, item=item, action=action, by=request.user, **form.cleaned_data):
        messages.success(request, _("%(item)s: %(step)s.") % {"item": item.name, "step": step.label})
        return redirect(reverse("approvals:item", args=[item.pk]))
    return _item_page(request, item, step_forms={action: form}, status=400)


@login_required
@require_POST
def item_update_view(request, pk):
    item = item_get_visible(user=request.user, pk=pk)
    if not can_update_item(request.user, item):
        raise PermissionDenied
    form = ItemUpdateForm(
        request.POST, item=item, can_change_department=can_change_department(request.user, item), auto_id="id_upd_%s"
    )
    if form.is_valid() and _call(form, item_update, item=item, by=request.user, **form.cleaned_data):
        messages.success(request, _("The approval item is saved."))
        return redirect(reverse("approvals:item", args=[item.pk]))
    return _item_page(request, item, update_form=form, status=400)


@login_required
@require_POST
def document_add_view(request, pk):
    item = item_get_visible(user=request.user, pk=pk)
    if not can_update_item(request.user, item):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES, auto_id="id_doc_%s")
    if form.is_valid() and _call(
        form,
        document_add,
        item=item,
        by=request.user,
        upload=form.cleaned_data["file"],
        title=form.cleaned_data["title"],
    ):
        messages.success(request, _("The document is added."))
        return redirect(reverse("approvals:item", args=[item.pk]) + "#documents")
    return _item_page(request, item, document_form=form, status=400)


@login_required
def document_view(request, doc_pk):
    """The file, to those who may see its item (it lives under media's private/ folder)."""
    document = get_object_or_404(documents_visible_to(request.user), pk=doc_pk)
    try:
        handle = document.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    content_type = (
        document.content_type or mimetypes.guess_type(document.original_name)[0] or "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type, as_attachment=content_type == "application/pdf")
    if content_type != "application/pdf":
        response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_delete_view(request, doc_pk):
    document = get_object_or_404(documents_visible_to(request.user), pk=doc_pk)
    item = document.item
    if not can_update_item(request.user, item):
        raise PermissionDenied
    document_delete(document=document, by=request.user)
    messages.success(request, _("The document is removed."))
    return redirect(reverse("approvals:item", args=[item.pk]) + "#documents")
