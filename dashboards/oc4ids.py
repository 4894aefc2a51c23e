"""Projects shaped as OC4IDS (Open Contracting for Infrastructure Data Standard, schema 0.9),
for exchange with higher-level platforms.

Mapping:
- id: settings.OC4IDS_ID_PREFIX + "-" + the project code; title; description (construction content);
- status (projectStatus codelist): planned / negotiating → identification, signed → preparation,
  started / under construction → implementation, completed → completion, in production / at
  design capacity → completed, stopped → cancelled;
- period: planned start and completion; budget.amount: total investment in CNY (万元 × 10 000);
- parties: the owner enterprise (funder, identified by its unified social credit code in the
  org-id scheme CN-SAMR), the responsible unit and the park committee (publicAuthority);
- milestones: id, title, type "delivery", dueDate, dateMet, status met / notMet / scheduled;
- budget.budgetBreakdown (when the project has funding lines, funding app): one entry per source
  and year with the planned amount, the year as its period and the source as sourceParty (the
  owner enterprise for its own funds);
- milestones of type "approval" (approvals app): one per pre-construction approval item the
  project needs (not 不涉及), id "approval-<id>", its due date, dateMet = the approval date,
  status met / notMet (overdue) / scheduled; its documents in `documents` (documentType
  "approval", the item named in the description), linked by the item's page URL;
- locations: the project's point (and site outline) as GeoJSON geometry in WGS-84 (geo app),
  with the address; the park's name as the description of where it is.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from approvals.models import ApprovalDocument, ApprovalItem
from approvals.models import Status as ApprovalStatus
from funding.models import FundingLine, Source
from geo.models import ProjectLocation
from projects.milestones import State as MilestoneState
from projects.milestones import state_of
from projects.models import Milestone, Project, Stage

VERSION = "0.9"
CURRENCY = "CNY"
YUAN_PER_10K = Decimal("10000")
CREDIT_CODE_SCHEME = "CN-SAMR"

STATUS = {
    Stage.PLANNED: "identification",
    Stage.NEGOTIATING: "identification",
    Stage.SIGNED: "preparation",
    Stage.STARTED: "implementation",
    Stage.UNDER_CONSTRUCTION: "implementation",
    Stage.COMPLETED: "completion",
    Stage.IN_PRODUCTION: "completed",
    Stage.AT_CAPACITY: "completed",
    Stage.STOPPED: "cancelled",
}


def id_prefix() -> str:
    return settings.OC4IDS_ID_PREFIX


def oc4ids_queryset(qs: QuerySet[Project]) -> QuerySet[Project]:
    """What the mapping reads, in a constant number of queries."""
    return qs.select_related("enterprise", "park__committee", "responsible_unit", "location").prefetch_related(
        Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "sort_order", "pk")),
        Prefetch("funding_lines", queryset=FundingLine.objects.order_by("year", "source", "pk")),
        Prefetch(
            "approval_items",
            queryset=ApprovalItem.objects.exclude(status=ApprovalStatus.NOT_APPLICABLE)
            .select_related("department")
            .prefetch_related(Prefetch("documents", queryset=ApprovalDocument.objects.order_by("uploaded_at", "pk")))
            .order_by("sort_order", "pk"),
        ),
    )


def _date_time(day: datetime.date | None) -> str | None:
    """A date as the OCDS date-time: the start of that day in Asia/Shanghai."""
    if day is None:
        return None
    moment = datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())
    return moment.isoformat()


def _money(amount: Decimal) -> dict:
    yuan = (Decimal(amount) * YUAN_PER_10K).quantize(Decimal("1"))
    return {"amount": int(yuan), "currency": CURRENCY}


def _party(prefix: str, obj, roles: list[str], identifier: dict | None = None) -> dict:
    party = {"id": f"{prefix}-{obj.pk}", "name": obj.name, "roles": roles}
    if identifier:
        party["identifier"] = identifier
    return party


# A milestone's state (projects.milestones) in OC4IDS's milestoneStatus codelist.
OC4IDS_STATUS = {MilestoneState.MET: "met", MilestoneState.OVERDUE: "notMet", MilestoneState.DUE: "scheduled"}


def _milestone(m: Milestone, today: datetime.date) -> dict:
    status = OC4IDS_STATUS[state_of(m, today)]
    item = {"id": str(m.pk), "title": m.title, "type": "delivery", "dueDate": _date_time(m.due_date), "status": status}
    if status == "met":
        item["dateMet"] = _date_time(m.completed_on)
    return item


def _approval(item: ApprovalItem, today: datetime.date) -> dict:
    """An approval item as an OC4IDS milestone of type "approval"."""
    if item.status == ApprovalStatus.DONE:
        status = "met"
    elif item.status == ApprovalStatus.IN_PROGRESS and item.due_date and item.due_date < today:
        status = "notMet"
    else:
        status = "scheduled"
    milestone = {"id": f"approval-{item.pk}", "title": item.name, "type": "approval", "status": status}
    if item.due_date:
        milestone["dueDate"] = _date_time(item.due_date)
    if item.approved_on:
        milestone["dateMet"] = _date_time(item.approved_on)
    if item.department_id:
        milestone["description"] = item.department.name
    return milestone


def _approval_documents(project: Project) -> list[dict]:
    site = settings.SITE_URL
    return [
        {
            "id": f"approval-document-{d.pk}",
            "documentType": "approval",
            "title": d.title or d.original_name,
            "description": item.name,
            "url": f"{site}{reverse('approvals:document', args=[d.pk])}",
            "datePublished": timezone.localtime(d.uploaded_at).isoformat(),
            "format": d.content_type,
        }
        for item in project.approval_items.all()
        for d in item.documents.all()
    ]


def _budget(project: Project, enterprise_party: dict) -> dict:
    budget = {"amount": _money(project.total_investment)}
    breakdown = []
    for line in project.funding_lines.all():
        if line.source == Source.SELF_RAISED:
            source = {"id": enterprise_party["id"], "name": enterprise_party["name"]}
        else:
            source = {"name": str(Source(line.source).label)}
        breakdown.append(
            {
                "id": f"{line.year}-{line.source}",
                "description": f"{line.year} {Source(line.source).label}",
                "amount": _money(line.planned),
                "period": {
                    "startDate": _date_time(datetime.date(line.year, 1, 1)),
                    "endDate": _date_time(datetime.date(line.year, 12, 31)),
                },
                "sourceParty": source,
            }
        )
    if breakdown:
        budget["budgetBreakdown"] = breakdown
    return budget


def _locations(project: Project) -> list[dict]:
    try:
        location = project.location
    except ProjectLocation.DoesNotExist:
        return [{"description": project.park.name}]
    point = {
        "id": "point",
        "description": project.park.name,
        "geometry": {"type": "Point", "coordinates": [float(location.longitude), float(location.latitude)]},
    }
    if location.address:
        point["address"] = {"streetAddress": location.address}
    result = [point]
    if location.site:
        result.append({"id": "site", "description": project.name, "geometry": location.site})
    return result


def project_oc4ids(project: Project, *, today: datetime.date | None = None) -> dict:
    """One project as an OC4IDS project object (from a row loaded by `oc4ids_queryset`)."""
    today = today or timezone.localdate()
    parties = [
        _party(
            "enterprise",
            project.enterprise,
            ["funder"],
            {"scheme": CREDIT_CODE_SCHEME, "id": project.enterprise.credit_code, "legalName": project.enterprise.name},
        )
    ]
    authorities = [d for d in (project.responsible_unit, project.park.committee) if d is not None]
    seen = set()
    for department in authorities:
        if department.pk not in seen:
            seen.add(department.pk)
            parties.append(_party("department", department, ["publicAuthority"]))
    data = {
        "id": f"{id_prefix()}-{project.code}",
        "updated": timezone.localtime(project.updated_at).isoformat(),
        "title": project.name,
        "description": project.construction_content,
        "status": STATUS.get(project.stage, "identification"),
        "type": "construction",
        "period": {
            k: v
            for k, v in (
                ("startDate", _date_time(project.planned_start)),
                ("endDate", _date_time(project.planned_completion)),
            )
            if v
        },
        "budget": _budget(project, parties[0]),
        "locations": _locations(project),
        "parties": parties,
        "milestones": [
            *(_milestone(m, today) for m in project.milestones.all()),
            *(_approval(i, today) for i in project.approval_items.all()),
        ],
    }
    documents = _approval_documents(project)
    if documents:
        data["documents"] = documents
    if len(parties) > 1:
        data["publicAuthority"] = {"id": parties[1]["id"], "name": parties[1]["name"]}
    return data


def oc4ids_package(projects, *, uri: str, publisher: str) -> dict:
    """An OC4IDS project package around the projects."""
    today = timezone.localdate()
    return {
        "uri": uri,
        "publishedDate": timezone.localtime().isoformat(),
        "version": VERSION,
        "publisher": {"name": publisher},
        "projects": [project_oc4ids(p, today=today) for p in projects],
    }
