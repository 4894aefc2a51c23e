"""The issues section of the project page (projects.sections): the project's open issues that the
user may read, those blocking a milestone first, then the overdue ones; and the recent site visits
that concerned the project (visited it, or gave an instruction about it)."""

from django.db.models import BooleanField, Case, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from issues.models import Status
from issues.selectors import BLOCKING_Q, issues_visible_to, visits_visible_to, with_list_data
from projects import sections

ISSUES_SHOWN = 10
VISITS_SHOWN = 5


def project_issues(*, user, project):
    """Open issues of `project` visible to `user`, blocking ones first, then overdue, newest."""
    return (
        with_list_data(issues_visible_to(user).filter(project=project, status__in=Status.open_values()))
        .annotate(
            blocking=Case(
                When(BLOCKING_Q & Q(blocks_milestone__isnull=False), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-blocking", "-is_overdue", "-raised_at", "-pk")
    )


def project_visits(*, user, project):
    """Site visits visible to `user` that visited `project` or gave an instruction about it."""
    return (
        visits_visible_to(user)
        .filter(Q(projects=project) | Q(instructions__project=project))
        .distinct()
        .prefetch_related("leaders")
        .order_by("-date", "-pk")
    )


def issues_context(request, project, *, can_edit: bool, bound: dict) -> dict:
    issues = project_issues(user=request.user, project=project)
    shown = list(issues[: ISSUES_SHOWN + 1])
    return {
        "project": project,
        "issues": shown[:ISSUES_SHOWN],
        "more": len(shown) > ISSUES_SHOWN,
        "all_url": reverse("issues:list") + f"?project={project.pk}&open=true",
        "visits": list(project_visits(user=request.user, project=project)[:VISITS_SHOWN]),
    }


def register() -> None:
    sections.register(
        sections.Section(
            key="issues",
            label=_("Issues and visits"),
            template="issues/_project_issues.html",
            context=issues_context,
            column=sections.MAIN,
            order=5,
        )
    )
