"""The funding section of the project page (projects.sections): this year's funds by source,
planned and in place, and the policy funds sought; a link to the project's funding page."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.permissions import can_edit_funding
from funding.selectors import project_funding, project_policies
from projects import sections


def funding_context(request, project, *, can_edit: bool, bound: dict) -> dict:
    year = timezone.localdate().year
    years = project_funding(project=project)
    current = next((y for y in years if y.year == year), None)
    return {
        "project": project,
        "year": year,
        "current": current,
        "other_years": [y for y in years if y.year != year],
        "policies": list(project_policies(project=project)),
        "can_edit": can_edit_funding(request.user, project),
    }


def register() -> None:
    sections.register(
        sections.Section(
            key="funding",
            label=_("Funding"),
            template="funding/_project_funding.html",
            context=funding_context,
            column=sections.MAIN,
            order=20,
        )
    )
