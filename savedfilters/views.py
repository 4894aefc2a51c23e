"""Save the current filters of a list under a name, or delete a saved one; back to the list."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import errors
from savedfilters.models import ListPage, SavedFilter
from savedfilters.services import saved_filter_delete, saved_filter_save


class SaveForm(forms.Form):
    page = forms.ChoiceField(choices=ListPage.choices)
    name = forms.CharField(max_length=200, required=False)
    query = forms.CharField(max_length=4000, required=False)


def _back(page: str, query: str = ""):
    url = reverse(page if page in ListPage.values else "projects:list")
    return redirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def save_view(request):
    form = SaveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Filters of this list cannot be saved."))
        return _back(request.POST.get("page", ""))
    data = form.cleaned_data
    try:
        saved = saved_filter_save(by=request.user, page=data["page"], name=data["name"], query=data["query"])
    except errors.PermissionDenied as exc:
        raise PermissionDenied(exc.message) from exc
    except errors.ApplicationError as exc:
        messages.error(request, exc.message)
        return _back(data["page"], data["query"])
    messages.success(request, _("Filter saved as “%(name)s”.") % {"name": saved.name})
    return _back(saved.page, saved.query)


@login_required
@require_POST
def delete_view(request, pk):
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    saved_filter_delete(by=request.user, saved_filter=saved)
    messages.success(request, _("Saved filter “%(name)s” deleted.") % {"name": saved.name})
    return _back(saved.page)
