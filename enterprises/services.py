"""Writes of the enterprise directory: enterprises, industry chains and their segments, service
teams. Supervisors only; every write that changes something is audited, a call that changes
nothing writes nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.services import audit_record, full_clean, model_update
from enterprises.models import ChainSegment, Enterprise, IndustryChain, ServiceTeam
from enterprises.permissions import can_manage_directory

ENTERPRISE_FIELDS = [
    "name",
    "short_name",
    "credit_code",
    "park",
    "industry",
    "is_key",
    "contact_name",
    "contact_phone",
    "address",
]


CHAIN_FIELDS = ["name", "chief", "description", "sort_order"]
SEGMENT_FIELDS = ["name", "position", "sort_order"]
TEAM_FIELDS = ["name", "lead", "stationed", "notes"]


def _require_manager(user) -> None:
    if not can_manage_directory(user):
        raise PermissionDenied(_("Only the supervision office may change the enterprise directory."))


def _set_related(manager, objects, *, name: str, changes: dict) -> None:
    """Replace a many-to-many set when it differs, noting [before, after] ids in `changes`."""
    before = set(manager.values_list("pk", flat=True))
    after = {obj.pk for obj in objects}
    if before != after:
        manager.set(objects)
        changes[name] = [sorted(before), sorted(after)]


def _create(model, *, fields: list[str], data: dict, **fixed):
    instance = model(**{k: v for k, v in data.items() if k in fields}, **fixed)
    full_clean(instance)
    instance.save()
    return instance


@transaction.atomic
def enterprise_create(*, by, segments=None, **data) -> Enterprise:
    _require_manager(by)
    enterprise = Enterprise(**{k: v for k, v in data.items() if k in ENTERPRISE_FIELDS})
    enterprise.credit_code = (enterprise.credit_code or "").strip().upper()
    full_clean(enterprise)
    enterprise.save()
    if segments is not None:
        enterprise.segments.set(segments)
    audit_record(actor=by, action="enterprise.create", obj=enterprise, changes={"name": enterprise.name})
    return enterprise


@transaction.atomic
def enterprise_update(*, enterprise: Enterprise, by, segments=None, **data) -> Enterprise:
    _require_manager(by)
    if "credit_code" in data:
        data["credit_code"] = (data["credit_code"] or "").strip().upper()
    enterprise, changes = model_update(instance=enterprise, data=data, fields=ENTERPRISE_FIELDS)
    if segments is not None:
        _set_related(enterprise.segments, segments, name="segments", changes=changes)
    if changes:
        audit_record(actor=by, action="enterprise.update", obj=enterprise, changes=changes)
    return enterprise


# --- Industry chains and their segments ------------------------------------------------------------


@transaction.atomic
def chain_create(*, by, **data) -> IndustryChain:
    """Add an industry chain (产业链) with its chief leader (链长)."""
    _require_manager(by)
    chain = _create(IndustryChain, fields=CHAIN_FIELDS, data=data)
    audit_record(actor=by, action="chain.create", obj=chain, changes={"name": chain.name})
    return chain


@transaction.atomic
def chain_update(*, chain: IndustryChain, by, **data) -> IndustryChain:
    _require_manager(by)
    chain, changes = model_update(instance=chain, data=data, fields=CHAIN_FIELDS)
    if changes:
        audit_record(actor=by, action="chain.update", obj=chain, changes=changes)
    return chain


@transaction.atomic
def chain_segment_create(*, chain: IndustryChain, by, **data) -> ChainSegment:
    """Add a segment (upstream, midstream …) to a chain; its name is unique within the chain."""
    _require_manager(by)
    segment = _create(ChainSegment, fields=SEGMENT_FIELDS, data=data, chain=chain)
    audit_record(actor=by, action="chain_segment.create", obj=segment, changes={"name": segment.name})
    return segment


@transaction.atomic
def chain_segment_update(*, segment: ChainSegment, by, **data) -> ChainSegment:
    _require_manager(by)
    segment, changes = model_update(instance=segment, data=data, fields=SEGMENT_FIELDS)
    if changes:
        audit_record(actor=by, action="chain_segment.update", obj=segment, changes=changes)
    return segment


# --- Service teams ---------------------------------------------------------------------------------


@transaction.atomic
def service_team_create(*, by, members=None, enterprises=None, **data) -> ServiceTeam:
    """Set up a service team (服务专班): its lead, members and the enterprises it serves."""
    _require_manager(by)
    team = _create(ServiceTeam, fields=TEAM_FIELDS, data=data)
    if members:
        team.members.set(members)
    if enterprises:
        team.enterprises.set(enterprises)
    audit_record(
        actor=by,
        action="service_team.create",
        obj=team,
        changes={
            "name": team.name,
            "members": sorted(m.pk for m in members or []),
            "enterprises": sorted(e.pk for e in enterprises or []),
        },
    )
    return team


@transaction.atomic
def service_team_update(*, team: ServiceTeam, by, members=None, enterprises=None, **data) -> ServiceTeam:
    """Change a team's fields and (when given) its members and enterprises."""
    _require_manager(by)
    team, changes = model_update(instance=team, data=data, fields=TEAM_FIELDS)
    if members is not None:
        _set_related(team.members, members, name="members", changes=changes)
    if enterprises is not None:
        _set_related(team.enterprises, enterprises, name="enterprises", changes=changes)
    if changes:
        audit_record(actor=by, action="service_team.update", obj=team, changes=changes)
    return team
