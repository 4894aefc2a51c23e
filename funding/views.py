"""Browser pages of funding: the list behind the cockpit's figure (funds in place by source),
a project's funding page with its forms. Thin: forms parse, services decide and write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import errors
from core.filters import page_of
from core.forms import add_service_errors
from core.roles import role_of
from funding.filters import FundingFilter
from funding.forms import FundingLineForm, PolicySupportForm
from funding.permissions import can_edit_funding
from funding.selectors import (
    funding_lines_visible_to,
    funding_rows,
    funding_summary,
    policy_supports_visible_to,
    project_funding,
    project_policies,
)
from funding.services import (
    funding_line_delete,
    funding_line_set,
    policy_support_create,
    policy_support_delete,
    policy_support_update,
)
from projects.selectors import project_get_visible, project_list

PAGE_SIZE = 50
POLICY_FIELDS = [
    "name",
    "level",
    "amount_sought",
    "status",
    "amount_granted",
    "applied_on",
    "approved_on",
    "disbursed_on",
    "note",
]


@login_required
def funding_list_view(request):
    """Funds planned and in place for a year, by source, over the project list's filters; the
    rows behind each figure."""
    if role_of(request.user) is None:
        raise PermissionDenied
    filters = FundingFilter(request.GET, queryset=project_list(user=request.user), request=request)
    year, source = filters.figure_year, filters.figure_source
    projects = filters.qs
    summary = funding_summary(projects, year)
    page = page_of(
        request, funding_rows(user=request.user, year=year, projects=projects, source=source), PAGE_SIZE, filters
    )
    return render(
        request,
        "funding/list.html",
        {"form": filters.form, "filters": filters, "year": year, "source": source, "summary": summary, "page": page},
    )


def _project_page(request, project, *, line_form=None, policy_form=None, edit=None, status=200):
    can_edit = can_edit_funding(request.user, project)
    policies = list(project_policies(project=project))
    bound_pk, bound_form = edit or (None, None)
    for policy in policies:
        policy.form = None
        if can_edit:
            policy.form = (
                bound_form
                if policy.pk == bound_pk
                else PolicySupportForm(
                    initial={f: getattr(policy, f) for f in POLICY_FIELDS}, auto_id=f"id_p{policy.pk}_%s"
                )
            )
    return render(
        request,
        "funding/project.html",
        {
            "project": project,
            "years": project_funding(project=project),
            "policies": policies,
            "can_edit": can_edit,
            "line_form": (line_form or FundingLineForm(auto_id="id_line_%s")) if can_edit else None,
            "policy_form": (policy_form or PolicySupportForm(auto_id="id_policy_%s")) if can_edit else None,
        },
        status=status,
    )


@login_required
def project_funding_view(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    return _project_page(request, project)


def _back(project) -> str:
    return reverse("funding:project", args=[project.pk])


def _editable(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    if not can_edit_funding(request.user, project):
        raise PermissionDenied
    return project


def _call(form, service, **kwargs) -> bool:
    try:
        service(**kwargs)
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.ApplicationError as exc:
        add_service_errors(form, exc)
        return False
    return True


@login_required
@require_POST
def funding_line_set_view(request, pk):
    project = _editable(request, pk)
    form = FundingLineForm(request.POST, auto_id="id_line_%s")
    if form.is_valid() and _call(form, funding_line_set, project=project, by=request.user, **form.cleaned_data):
        messages.success(request, _("The funding line is saved."))
        return redirect(_back(project) + "#lines")
    return _project_page(request, project, line_form=form, status=400)


@login_required
@require_POST
def funding_line_delete_view(request, line_pk):
    line = get_object_or_404(funding_lines_visible_to(request.user), pk=line_pk)
    _editable(request, line.project_id)
    funding_line_delete(line=line, by=request.user)
    messages.success(request, _("The funding line is deleted."))
    return redirect(_back(line.project) + "#lines")


@login_required
@require_POST
def policy_create_view(request, pk):
    project = _editable(request, pk)
    form = PolicySupportForm(request.POST, auto_id="id_policy_%s")
    if form.is_valid() and _call(form, policy_support_create, project=project, by=request.user, **form.cleaned_data):
        messages.success(request, _("The policy fund is recorded."))
        return redirect(_back(project) + "#policies")
    return _project_page(request, project, policy_form=form, status=400)


@login_required
@require_POST
def policy_update_view(request, policy_pk):
    policy = get_object_or_404(policy_supports_visible_to(request.user), pk=policy_pk)
    project = _editable(request, policy.project_id)
    form = PolicySupportForm(request.POST, auto_id=f"id_p{policy.pk}_%s")
    if form.is_valid() and _call(form, policy_support_update, policy=policy, by=request.user, **form.cleaned_data):
        messages.success(request, _("The policy fund is updated."))
        return redirect(_back(project) + "#policies")
    return _project_page(request, project, edit=(policy.pk, form), status=400)


@login_required
@require_POST
def policy_delete_view(request, policy_pk):
    policy = get_object_or_404(policy_supports_visible_to(request.user), pk=policy_pk)
    project = _editable(request, policy.project_id)
    policy_support_delete(policy=policy, by=request.user)
    messages.success(request, _("The policy fund is deleted."))
    return redirect(_back(project) + "#policies")
