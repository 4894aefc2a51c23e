"""Writes of the enterprise directory (enterprises, chains and segments, service teams): supervisors
only, validated, and the audit trail records what really changed."""

import pytest

from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry, Role
from enterprises.models import ChainSegment, IndustryChain, ServiceTeam
from enterprises.services import (
    chain_create,
    chain_segment_create,
    chain_segment_update,
    chain_update,
    enterprise_update,
    service_team_create,
    service_team_update,
)
from tests.factories import (
    ChainSegmentFactory,
    EnterpriseFactory,
    IndustryChainFactory,
    OfficialFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def audit_actions(enterprise) -> list[tuple[str, dict]]:
    return [(e.action, e.changes) for e in AuditEntry.objects.filter(object_id=str(enterprise.pk)).order_by("id")]


def test_unchanged_segments_write_no_audit_entry():
    supervisor = user_with_role(Role.SUPERVISOR)
    enterprise = EnterpriseFactory()
    first, second = ChainSegmentFactory(), ChainSegmentFactory()
    enterprise_update(enterprise=enterprise, by=supervisor, segments=[first])
    enterprise_update(enterprise=enterprise, by=supervisor, segments=[first])
    enterprise_update(enterprise=enterprise, by=supervisor, segments=[first, second])
    assert audit_actions(enterprise) == [
        ("enterprise.update", {"segments": [[], [first.pk]]}),
        ("enterprise.update", {"segments": [[first.pk], sorted([first.pk, second.pk])]}),
    ]
    assert set(enterprise.segments.all()) == {first, second}


# --- industry chains, segments and service teams ----------------------------------------------------


@pytest.mark.parametrize("role", [Role.LEADER, Role.OFFICIAL, Role.STAFF, Role.HANDLER])
def test_only_supervisors_change_chains_and_teams(role):
    user = user_with_role(role)
    chain = IndustryChainFactory()
    with pytest.raises(PermissionDenied):
        chain_create(by=user, name="新能源")
    with pytest.raises(PermissionDenied):
        chain_segment_create(chain=chain, by=user, name="电芯", position=ChainSegment.Position.MIDSTREAM)
    with pytest.raises(PermissionDenied):
        service_team_create(by=user, name="新专班")
    assert not IndustryChain.objects.filter(name="新能源").exists()
    assert not ServiceTeam.objects.exists()
    assert not AuditEntry.objects.exists()


def test_chain_and_segments_are_validated_and_audited():
    supervisor = user_with_role(Role.SUPERVISOR)
    chief = OfficialFactory(role=Role.LEADER)
    chain = chain_create(by=supervisor, name="新能源", chief=chief, sort_order=10)
    segment = chain_segment_create(chain=chain, by=supervisor, name="电芯", position=ChainSegment.Position.MIDSTREAM)
    with pytest.raises(ApplicationError) as excinfo:  # a segment's name is unique within its chain
        chain_segment_create(chain=chain, by=supervisor, name="电芯", position=ChainSegment.Position.UPSTREAM)
    assert excinfo.value.fields
    with pytest.raises(ApplicationError) as excinfo:
        chain_segment_create(chain=chain, by=supervisor, name="隔膜", position="sideways")
    assert "position" in excinfo.value.fields
    chain_update(chain=chain, by=supervisor, chief=chief, sort_order=10)  # nothing changes: nothing recorded
    chain_segment_update(segment=segment, by=supervisor, position=ChainSegment.Position.UPSTREAM)
    assert list(chain.segments.values_list("name", "position")) == [("电芯", ChainSegment.Position.UPSTREAM)]
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "chain.create",
        "chain_segment.create",
        "chain_segment.update",
    ]


def test_a_team_records_who_joined_and_whom_it_serves():
    supervisor = user_with_role(Role.SUPERVISOR)
    lead, member = OfficialFactory(), OfficialFactory()
    served = EnterpriseFactory()
    team = service_team_create(by=supervisor, name="水性超纤服务专班", lead=lead, members=[lead], stationed=True)
    assert (team.lead, list(team.members.all()), team.stationed) == (lead, [lead], True)
    service_team_update(team=team, by=supervisor, members=[lead], enterprises=[])  # the same: nothing recorded
    service_team_update(team=team, by=supervisor, members=[lead, member], enterprises=[served], notes="24小时驻企")
    entries = list(AuditEntry.objects.filter(object_id=str(team.pk)).order_by("id"))
    assert [e.action for e in entries] == ["service_team.create", "service_team.update"]
    assert entries[1].changes == {
        "notes": ["", "24小时驻企"],
        "members": [[lead.pk], sorted([lead.pk, member.pk])],
        "enterprises": [[], [served.pk]],
    }
    assert list(served.service_teams.all()) == [team]
