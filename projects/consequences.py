"""What a stage move affects, shown on the confirmation step before a project is stopped, moved
back or revived: its open milestones and the campaigns they count in, the start/production
figures it leaves or enters, the monthly reports it owes, and — from the apps above projects,
which register a provider in their AppConfig.ready() — e.g. its open issues.

projects imports none of those apps. A provider is `provider(*, project, to_stage) ->
Consequence | None`; each runs a constant number of queries whatever the project's size.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects.models import Milestone, Stage

SHOWN_ITEMS = 5


@dataclass(frozen=True)
class Consequence:
    key: str
    text: str  # one sentence: what is affected and how
    items: list[str] = field(default_factory=list)  # up to SHOWN_ITEMS names
    more: int = 0  # how many more than the items shown
    url: str = ""  # where to read them all, when the user may open it


_providers: list[Callable[..., Consequence | None]] = []


def register(provider: Callable[..., Consequence | None]) -> None:
    """Add a provider (once; registering it again changes nothing)."""
    if provider not in _providers:
        _providers.append(provider)


def stage_move_consequences(*, project, to_stage: str) -> list[Consequence]:
    """Everything the move of `project` to `to_stage` affects, projects' own first."""
    found = []
    for provider in [_figures, _milestones, *_providers]:
        consequence = provider(project=project, to_stage=to_stage)
        if consequence is not None:
            found.append(consequence)
    return found


def _figures(*, project, to_stage: str) -> Consequence | None:
    started, producing = Stage.started_values(), Stage.production_values()
    sentences = []
    if project.stage in started and to_stage not in started:
        sentences.append(_("It leaves the projects counted as started (开工) and stops owing monthly reports."))
    elif project.stage not in started and to_stage in started:
        sentences.append(_("It counts as started (开工) and owes a monthly report from now on."))
    if project.stage in producing and to_stage not in producing:
        sentences.append(_("It leaves the projects counted as in production (投产)."))
    if not sentences:
        return None
    return Consequence(key="figures", text=" ".join(sentences))


def _milestones(*, project, to_stage: str) -> Consequence | None:
    open_ = Milestone.objects.filter(project=project, completed_on__isnull=True)
    totals = open_.aggregate(
        n=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate())),
        campaigns=Count("campaign", distinct=True),
    )
    if not totals["n"]:
        return None
    names = list(
        open_.filter(campaign__isnull=False)
        .order_by()
        .values_list("campaign__name", flat=True)
        .distinct()[:SHOWN_ITEMS]
    )
    text = ngettext(
        "%(n)d open milestone (%(overdue)d overdue) is not changed by the move: complete or reschedule it yourself.",
        "%(n)d open milestones (%(overdue)d overdue) are not changed by the move: complete or reschedule them yourself.",
        totals["n"],
    ) % {"n": totals["n"], "overdue": totals["overdue"]}
    if totals["campaigns"]:
        text += " " + ngettext(
            "It counts in %(n)d campaign:", "They count in %(n)d campaigns:", totals["campaigns"]
        ) % {"n": totals["campaigns"]}
    return Consequence(
        key="milestones",
        text=text,
        items=names,
        more=max(totals["campaigns"] - len(names), 0),
    )
