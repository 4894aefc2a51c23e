"""The "project library" section of the project page (projects.sections): where the project came
from (its candidate, if it was submitted through intake), the years it is on the dispatch list,
the history of its moves, and for the supervision office the buttons to move it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from intake.forms import DispatchRemoveForm
from intake.permissions import can_manage_dispatch
from intake.selectors import candidate_of, dispatch_history, dispatch_years
from projects import sections


def library_context(request, project, *, can_edit: bool, bound: dict) -> dict:
    year = timezone.localdate().year
    years = dispatch_years(project=project)
    manage = can_manage_dispatch(request.user)
    return {
        "project": project,
        "year": year,
        "candidate": candidate_of(project),
        "years": years,
        "on_list": year in years,
        "history": list(dispatch_history(project=project)[:10]),
        "can_manage": manage,
        "remove_form": (bound.get("remove_form") or DispatchRemoveForm(auto_id="id_lib_%s")) if manage else None,
    }


def register() -> None:
    sections.register(
        sections.Section(
            key="library",
            label=_("Project library"),
            template="intake/_project_library.html",
            context=library_context,
            column=sections.SIDE,
            order=10,
        )
    )
