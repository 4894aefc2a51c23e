"""Reads of funding, scoped by role (the projects a user may see), with the sums computed in
the database.

"Funds in place" (资金到位) for a year = received ÷ planned over the lines of that year with a
plan; funding_summary is its one definition (the cockpit, the API and the funding list read it).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from funding.models import FundingLine, PolicyStatus, PolicySupport, Source
from projects.models import Project
from projects.selectors import visibility_q

ZERO = Decimal("0")


def funding_lines_visible_to(user) -> QuerySet[FundingLine]:
    qs = FundingLine.objects.select_related("project__park", "updated_by__official")
    q = visibility_q(user, prefix="project__")
    return qs if q is None else qs.filter(q)


def policy_supports_visible_to(user) -> QuerySet[PolicySupport]:
    qs = PolicySupport.objects.select_related("project__park", "updated_by__official")
    q = visibility_q(user, prefix="project__")
    return qs if q is None else qs.filter(q)


@dataclass(frozen=True)
class SourceTotal:
    source: str
    label: str
    planned: Decimal
    received: Decimal
    lines: int


@dataclass(frozen=True)
class FundingSummary:
    year: int
    sources: list[SourceTotal]
    planned: Decimal
    received: Decimal
    planned_with_plan: Decimal  # the denominator of the rate: lines with a plan
    received_with_plan: Decimal  # the numerator: what those lines received
    projects: int
    policies_sought: Decimal
    policies_granted: Decimal
    policies_by_status: dict


def funding_summary(projects: QuerySet[Project], year: int) -> FundingSummary:
    """Planned and received funds of `projects` in `year`, per source (every source listed, in
    the choices' order), and the policy funds sought for them. Two queries."""
    lines = FundingLine.objects.filter(project__in=projects.values("pk"), year=year)
    with_plan = Q(planned__gt=0)
    per_source = {
        row["source"]: row
        for row in lines.order_by()
        .values("source")
        .annotate(planned=Sum("planned"), received=Sum("received"), lines=Count("pk"))
    }
    totals = lines.aggregate(
        planned_with_plan=Sum("planned", filter=with_plan),
        received_with_plan=Sum("received", filter=with_plan),
        projects=Count("project", distinct=True),
    )
    policies = PolicySupport.objects.filter(project__in=projects.values("pk"))
    status_counts = dict(policies.order_by().values_list("status").annotate(n=Count("pk")))
    sought = policies.exclude(status=PolicyStatus.REJECTED).aggregate(
        sought=Sum("amount_sought"),
        granted=Sum("amount_granted", filter=Q(status__in=[PolicyStatus.APPROVED, PolicyStatus.DISBURSED])),
    )
    sources = [
        SourceTotal(
            source=s.value,
            label=str(s.label),
            planned=(per_source.get(s.value) or {}).get("planned") or ZERO,
            received=(per_source.get(s.value) or {}).get("received") or ZERO,
            lines=(per_source.get(s.value) or {}).get("lines") or 0,
        )
        for s in Source
    ]
    return FundingSummary(
        year=year,
        sources=sources,
        planned=sum((s.planned for s in sources), ZERO),
        received=sum((s.received for s in sources), ZERO),
        planned_with_plan=totals["planned_with_plan"] or ZERO,
        received_with_plan=totals["received_with_plan"] or ZERO,
        projects=totals["projects"],
        policies_sought=sought["sought"] or ZERO,
        policies_granted=sought["granted"] or ZERO,
        policies_by_status={s.value: status_counts.get(s.value, 0) for s in PolicyStatus},
    )


def funding_rows(*, user, year: int, projects: QuerySet[Project] | None = None, source: str = "") -> QuerySet:
    """The lines behind the figures: of the visible (and filtered) projects, for a year,
    optionally one source; largest plan first."""
    qs = funding_lines_visible_to(user).filter(year=year)
    if projects is not None:
        qs = qs.filter(project__in=projects.values("pk"))
    if source:
        qs = qs.filter(source=source)
    return qs.select_related("project__enterprise").order_by("-planned", "project__code", "source")


@dataclass
class YearFunding:
    year: int
    lines: list
    planned: Decimal
    received: Decimal


def project_funding(*, project: Project) -> list[YearFunding]:
    """A project's funding lines grouped by year, newest first, with each year's totals."""
    years: dict[int, YearFunding] = {}
    for line in (
        FundingLine.objects.filter(project=project).select_related("updated_by__official").order_by("-year", "source")
    ):
        year = years.setdefault(line.year, YearFunding(line.year, [], ZERO, ZERO))
        year.lines.append(line)
        year.planned += line.planned
        year.received += line.received
    return list(years.values())


def project_policies(*, project: Project) -> QuerySet[PolicySupport]:
    return (
        PolicySupport.objects.filter(project=project)
        .select_related("updated_by__official")
        .order_by("-created_at", "-pk")
    )


def with_year_funding(qs: QuerySet[Project], year: int) -> QuerySet[Project]:
    """Annotate each project with its funds planned and received in `year` (for exports)."""
    lines = FundingLine.objects.filter(project=OuterRef("pk"), year=year).order_by().values("project")
    money = DecimalField(max_digits=16, decimal_places=2)
    return qs.annotate(
        funding_planned=Coalesce(
            Subquery(lines.annotate(t=Sum("planned")).values("t"), output_field=money), ZERO, output_field=money
        ),
        funding_received=Coalesce(
            Subquery(lines.annotate(t=Sum("received")).values("t"), output_field=money), ZERO, output_field=money
        ),
    )
