"""Reads of intake and the dispatch list, scoped by role (intake.permissions)."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from core.models import Role
from core.roles import official_of, role_of
from intake.models import Candidate, CandidateEvent, CandidateImport, DispatchEntry, DispatchEvent
from projects.models import Project
from projects.selectors import projects_visible_to


def candidates_visible_to(user) -> QuerySet[Candidate]:
    """Leaders and supervisors: every candidate; officials: their unit's (and those they
    created); other roles: none."""
    qs = Candidate.objects.select_related(
        "enterprise", "park", "segment__chain", "unit", "project", "created_by__official"
    )
    role = role_of(user)
    if role in {Role.LEADER, Role.SUPERVISOR}:
        return qs
    official = official_of(user)
    if role != Role.OFFICIAL or official is None:
        return qs.none()
    q = Q(created_by=user)
    if official.department_id is not None:
        q |= Q(unit_id=official.department_id)
    return qs.filter(q)


def candidate_get_visible(*, user, pk) -> Candidate:
    try:
        return candidates_visible_to(user).get(pk=pk)
    except (Candidate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def candidate_list(*, user) -> QuerySet[Candidate]:
    """The candidates the user may see, newest submission first (intake.filters.CandidateFilter
    narrows them for the list page and the API)."""
    return candidates_visible_to(user).order_by("-submitted_at", "-created_at", "-pk")


def candidate_events(*, candidate: Candidate) -> QuerySet[CandidateEvent]:
    return candidate.events.select_related("actor__official").order_by("at", "pk")


def dispatch_list(*, user, year: int) -> QuerySet[DispatchEntry]:
    """The year's dispatch list: the entries of the projects the user may see."""
    return (
        DispatchEntry.objects.filter(year=year, project__in=projects_visible_to(user).values("pk"))
        .select_related("project__park", "project__enterprise", "added_by__official")
        .order_by("-project__is_key", "project__code")
    )


def projects_off_the_list(*, user, year: int) -> QuerySet[Project]:
    """Projects of the library (visible, not stopped) not on the year's dispatch list."""
    on_list = DispatchEntry.objects.filter(project=OuterRef("pk"), year=year)
    return projects_visible_to(user).exclude(Exists(on_list)).exclude(stage="stopped").order_by("code")


def dispatch_years(*, project: Project) -> list[int]:
    return list(project.dispatch_entries.order_by("-year").values_list("year", flat=True))


def dispatch_history(*, project: Project) -> QuerySet[DispatchEvent]:
    return project.dispatch_events.select_related("actor__official").order_by("-at", "-pk")


def candidate_of(project: Project) -> Candidate | None:
    return Candidate.objects.filter(project=project).select_related("unit").first()


def recent_imports(*, user) -> QuerySet[CandidateImport]:
    qs = CandidateImport.objects.select_related("uploaded_by__official")
    if role_of(user) == Role.SUPERVISOR:
        return qs
    return qs.filter(uploaded_by=user)
