"""Writes of the enterprise directory: the audit trail records what really changed."""

import pytest

from core.models import AuditEntry, Role
from enterprises.services import enterprise_update
from tests.factories import ChainSegmentFactory, EnterpriseFactory, user_with_role

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
