"""Browser pages for locations: a project's location (a section of the project page) and the
parks' boundaries. Thin: forms parse, geo.services decides and writes."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import errors
from core.forms import add_service_errors
from geo.forms import BoundaryForm, LocationForm
from geo.geometry import transform_geometry
from geo.permissions import can_set_location, can_set_park_boundary, can_view_map
from geo.selectors import boundary_of, parks_with_boundaries, tile_config
from geo.services import park_boundary_clear, park_boundary_set, project_location_clear, project_location_set
from projects.selectors import project_get_visible
from projects.views import render_project_page


def _location_url(project) -> str:
    return reverse("projects:detail", args=[project.pk]) + "#location"


@login_required
@require_POST
def project_location_view(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    if not can_set_location(request.user, project):
        raise PermissionDenied
    form = LocationForm(request.POST, auto_id="id_loc_%s")
    if form.is_valid():
        try:
            project_location_set(project=project, by=request.user, **form.cleaned_data)
        except errors.ApplicationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project's location is saved."))
            return redirect(_location_url(project))
    return render_project_page(request, project, bound={"location": {"form": form}}, status=400)


@login_required
@require_POST
def project_location_clear_view(request, pk):
    project = project_get_visible(user=request.user, pk=pk)
    if not can_set_location(request.user, project):
        raise PermissionDenied
    project_location_clear(project=project, by=request.user)
    messages.success(request, _("The project's location is removed."))
    return redirect(_location_url(project))


@login_required
def park_list_view(request):
    if not can_view_map(request.user):
        raise PermissionDenied
    parks = list(parks_with_boundaries(request.user))
    for park in parks:
        park.can_edit = can_set_park_boundary(request.user, park)
    return render(request, "geo/parks.html", {"parks": parks})


@login_required
def park_boundary_view(request, pk):
    park = get_object_or_404(parks_with_boundaries(request.user), pk=pk)
    if not can_set_park_boundary(request.user, park):
        raise PermissionDenied
    boundary = boundary_of(park)
    tiles = tile_config()
    status = 200
    if request.method == "POST":
        form = BoundaryForm(request.POST)
        if request.POST.get("clear"):
            park_boundary_clear(park=park, by=request.user)
            messages.success(request, _("The boundary of %(park)s is removed.") % {"park": park.name})
            return redirect("geo:parks")
        if form.is_valid():
            try:
                park_boundary_set(park=park, by=request.user, **form.cleaned_data)
            except errors.ApplicationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The boundary of %(park)s is saved.") % {"park": park.name})
                return redirect("geo:parks")
        status = 400
    else:
        geometry = transform_geometry(boundary.geometry, tiles.datum) if boundary else None
        form = BoundaryForm(
            initial={"datum": tiles.datum, "geometry": json.dumps(geometry, ensure_ascii=False) if geometry else ""}
        )
    return render(request, "geo/park_boundary.html", {"park": park, "boundary": boundary, "form": form}, status=status)
