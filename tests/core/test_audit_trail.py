"""The audit trail is append-only for everyone: the model, the queryset and the database itself
refuse to change a row or to delete one younger than six months; each entry keeps its actor and
the name they had; users who acted are deactivated, never deleted."""

import datetime

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken
from core.errors import ApplicationError, PermissionDenied
from core.models import AUDIT_MIN_RETENTION_DAYS, AuditEntry, Role
from core.services import audit_record
from issues.models import IssueEvent
from issues.services import issue_transition
from tests.factories import IssueFactory, user_with_role


@pytest.fixture
def entry(db):
    supervisor = user_with_role(Role.SUPERVISOR, name="王督查", title="督查室主任")
    return audit_record(actor=supervisor, action="project.update", obj=supervisor, changes={"a": [1, 2]})


def _sql(statement: str, params=()) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_an_entry_keeps_the_actors_name(entry):
    assert entry.actor_name == "王督查（督查室主任）"
    official = entry.actor.official
    official.name = "改名"
    official.save()
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "王督查（督查室主任）"


def test_the_model_and_queryset_refuse_changes(entry):
    entry.action = "forged"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="forged")
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "project.update"


def test_the_database_refuses_update_and_delete(entry):
    """Even SQL sent by the app's own database user (a shell, a bug, an intruder with its password)."""
    with pytest.raises(DatabaseError):
        _sql("UPDATE core_auditentry SET action = 'forged' WHERE id = %s", [entry.pk])
    if connection.vendor == "postgresql":  # SQLite test databases drop it (tests/conftest.py)
        with pytest.raises(DatabaseError):
            _sql("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    with pytest.raises(DatabaseError):
        _sql("UPDATE core_auditentry SET actor_id = NULL")
    assert AuditEntry.objects.get(pk=entry.pk).action == "project.update"


def test_entries_past_retention_can_be_purged_but_never_younger_ones(db):
    supervisor = user_with_role(Role.SUPERVISOR)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=400)):
        old = audit_record(actor=supervisor, action="old", obj=supervisor)
    young = audit_record(actor=supervisor, action="young", obj=supervisor)
    with pytest.raises(ValueError):
        AuditEntry.objects.purge_before(timezone.now() - datetime.timedelta(days=30))
    assert AuditEntry.objects.purge_before(timezone.now() - datetime.timedelta(days=365)) == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=young.pk).exists()
    assert AUDIT_MIN_RETENTION_DAYS >= 183


def test_a_user_who_acted_cannot_be_deleted(entry):
    with pytest.raises(ProtectedError):
        entry.actor.delete()


def test_events_keep_actor_and_name(db):
    supervisor = user_with_role(Role.SUPERVISOR, name="李督查", title="")
    handler = user_with_role(Role.HANDLER)
    issue = IssueFactory()
    issue_transition(
        issue=issue, action="assign", by=supervisor, lead_department=handler.official.department, handler=None
    )
    event = IssueEvent.objects.get(issue=issue, action="assign")
    assert event.actor == supervisor
    assert event.actor_name == "李督查"
    with pytest.raises(ProtectedError):
        supervisor.delete()


# --- Deactivation ----------------------------------------------------------------------------------


def test_deactivation_ends_sign_in_and_keeps_history(entry, client):
    supervisor = user_with_role(Role.SUPERVISOR)
    leaver = entry.actor
    client.force_login(leaver)
    ApiToken.objects.issue(user=leaver, ttl=datetime.timedelta(hours=1))
    services.user_deactivate(user=leaver, by=supervisor, reason="调离")
    leaver.refresh_from_db()
    assert not leaver.is_active
    assert not ApiToken.objects.filter(user=leaver).exists()
    assert client.get("/projects/").status_code == 302  # the session is gone
    record = AuditEntry.objects.get(action="user.deactivate")
    assert record.actor == supervisor
    assert record.changes["reason"] == "调离"
    assert record.changes["sessions_ended"] == 1
    assert AuditEntry.objects.get(pk=entry.pk).actor_name == "王督查（督查室主任）"


def test_only_supervisors_deactivate_and_not_themselves(db):
    supervisor = user_with_role(Role.SUPERVISOR)
    leader = user_with_role(Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.user_deactivate(user=supervisor, by=leader)
    with pytest.raises(ApplicationError):
        services.user_deactivate(user=supervisor, by=supervisor)
    assert supervisor.is_active


def test_the_admin_offers_deactivation_not_deletion(entry):
    supervisor = user_with_role(Role.SUPERVISOR)
    supervisor.is_staff = True
    request = RequestFactory().post("/admin/auth/user/")
    request.user = supervisor
    user_admin = site._registry[type(entry.actor)]
    assert not user_admin.has_delete_permission(request, entry.actor)
    assert "delete_selected" not in user_admin.get_actions(request)
    assert {"deactivate", "reactivate"} <= set(user_admin.get_actions(request))


def test_the_api_deactivates_for_supervisors_only(entry):
    leaver = entry.actor
    for role, status in [(Role.LEADER, 403), (Role.HANDLER, 403), (Role.SUPERVISOR, 200)]:
        client = APIClient()
        client.force_authenticate(user_with_role(role))
        response = client.post(f"/api/v1/users/{leaver.pk}/deactivate/", {"reason": "退休"}, format="json")
        assert response.status_code == status, response.content
    leaver.refresh_from_db()
    assert not leaver.is_active
