"""Funding: lines by source and year (set, change, refuse bad input), policy funds sought with
their status rules, who may, and the one definition of funds in place."""

import datetime
from decimal import Decimal

import pytest

from core.errors import ApplicationError, PermissionDenied
from core.models import AuditEntry
from funding.models import FundingLine, PolicyStatus, PolicySupport, Source
from funding.selectors import funding_lines_visible_to, funding_summary, policy_supports_visible_to
from funding.services import (
    funding_line_delete,
    funding_line_set,
    policy_support_create,
    policy_support_update,
)
from projects.models import Project


def _line(world, source=Source.SELF_RAISED, planned="1000", received="400", by="official", **kw):
    return funding_line_set(
        project=kw.pop("project", world.project),
        year=kw.pop("year", 2026),
        source=source,
        by=world.users[by],
        planned=Decimal(planned),
        received=Decimal(received),
        **kw,
    )


def test_set_creates_then_changes_the_line_of_a_source_and_year(world):
    line = _line(world)
    again = _line(world, planned="1200", received="600")
    assert again.pk == line.pk
    assert FundingLine.objects.count() == 1
    actions = list(AuditEntry.objects.filter(action__startswith="funding.").values_list("action", flat=True))
    assert sorted(actions) == ["funding.create", "funding.update"]
    update = AuditEntry.objects.get(action="funding.update")
    assert update.changes["planned"] == ["1000.00", "1200"]
    _line(world, planned="1200", received="600")  # the same values: nothing recorded
    assert AuditEntry.objects.filter(action="funding.update").count() == 1


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("supervisor", True),
        ("official", True),
        ("other_official", False),
        ("staff", False),
        ("handler", False),
        ("leader", False),
    ],
)
def test_who_may_change_funding(world, role, allowed):
    if allowed:
        _line(world, by=role)
    else:
        with pytest.raises(PermissionDenied):
            _line(world, by=role)
        assert not FundingLine.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"planned": "-1"}, "planned"),
        ({"received": "-5"}, "received"),
        ({"planned": "1.234"}, "planned"),
        ({"year": 2027, "received": "10"}, "received"),
        ({"year": 1999}, "year"),
    ],
)
def test_bad_lines_are_refused(world, kwargs, field):
    with pytest.raises(ApplicationError) as exc:
        _line(world, **kwargs)
    assert field in exc.value.fields
    assert not FundingLine.objects.exists()


def test_unknown_source_is_refused(world):
    with pytest.raises(ApplicationError) as exc:
        _line(world, source="lottery")
    assert "source" in exc.value.fields


def test_planning_next_year_is_allowed_and_delete_is_audited(world):
    line = _line(world, year=2027, received="0")
    funding_line_delete(line=line, by=world.users["official"])
    assert not FundingLine.objects.exists()
    assert AuditEntry.objects.filter(action="funding.delete").exists()


def test_leaders_read_and_others_see_only_their_projects(world):
    _line(world)
    _line(world, project=world.other_project, by="supervisor")
    assert funding_lines_visible_to(world.users["leader"]).count() == 2
    assert [x.project for x in funding_lines_visible_to(world.users["official"])] == [world.project]
    assert funding_lines_visible_to(world.users["handler"]).count() == 0


def _policy(world, **data):
    defaults = {"name": "先进制造业集群专项", "level": "national", "amount_sought": Decimal("30000")}
    return policy_support_create(project=world.project, by=world.users["official"], **{**defaults, **data})


def test_policy_moves_from_planning_to_disbursed_with_its_dates(world):
    policy = _policy(world)
    assert policy.status == PolicyStatus.PLANNING
    policy = policy_support_update(
        policy=policy, by=world.users["official"], status=PolicyStatus.APPLYING, applied_on=datetime.date(2026, 9, 1)
    )
    policy = policy_support_update(
        policy=policy,
        by=world.users["official"],
        status=PolicyStatus.APPROVED,
        approved_on=datetime.date(2026, 11, 1),
        amount_granted=Decimal("20000"),
    )
    policy = policy_support_update(
        policy=policy,
        by=world.users["official"],
        status=PolicyStatus.DISBURSED,
        disbursed_on=datetime.date(2026, 11, 20),
    )
    assert policy.status == PolicyStatus.DISBURSED
    assert AuditEntry.objects.filter(action="policy_support.update").count() == 3


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": PolicyStatus.APPLYING}, "applied_on"),
        ({"status": PolicyStatus.APPROVED, "applied_on": datetime.date(2026, 9, 1)}, "approved_on"),
        (
            {
                "status": PolicyStatus.APPROVED,
                "applied_on": datetime.date(2026, 9, 1),
                "approved_on": datetime.date(2026, 10, 1),
            },
            "amount_granted",
        ),
        (
            {
                "status": PolicyStatus.APPROVED,
                "applied_on": datetime.date(2026, 9, 1),
                "approved_on": datetime.date(2026, 8, 1),
                "amount_granted": Decimal("1"),
            },
            "approved_on",
        ),
        ({"status": PolicyStatus.PLANNING, "amount_granted": Decimal("5")}, "amount_granted"),
        ({"status": PolicyStatus.APPLYING, "applied_on": datetime.date(2026, 12, 1)}, "applied_on"),
        ({"amount_sought": Decimal("-1")}, "amount_sought"),
        ({"name": "  "}, "name"),
        ({"status": "lost"}, "status"),
    ],
)
def test_policy_rules_name_the_field(world, data, field):
    with pytest.raises(ApplicationError) as exc:
        _policy(world, **data)
    assert field in exc.value.fields
    assert not PolicySupport.objects.exists()


def test_staff_may_not_record_policies_and_read_only_their_projects(world):
    with pytest.raises(PermissionDenied):
        policy_support_create(
            project=world.project, by=world.users["staff"], name="x", level="city", amount_sought=Decimal("1")
        )
    _policy(world)
    assert policy_supports_visible_to(world.users["staff"]).count() == 1
    assert policy_supports_visible_to(world.users["other_official"]).count() == 0


def test_funds_in_place_is_received_over_planned_of_the_lines_with_a_plan(world):
    _line(world, source=Source.SELF_RAISED, planned="1000", received="400")
    _line(world, source=Source.BANK_LOAN, planned="3000", received="1500")
    _line(world, source=Source.OTHER, planned="0", received="200")  # received without a plan
    _line(world, source=Source.BANK_LOAN, planned="500", received="500", project=world.other_project, by="supervisor")
    _line(world, source=Source.BANK_LOAN, year=2025, planned="999", received="999")
    _policy(world)
    summary = funding_summary(Project.objects.filter(pk=world.project.pk), 2026)
    assert (summary.planned, summary.received) == (Decimal("4000"), Decimal("2100"))
    assert (summary.received_with_plan, summary.planned_with_plan) == (Decimal("1900"), Decimal("4000"))
    by_source = {s.source: s for s in summary.sources}
    assert [s.source for s in summary.sources] == list(Source.values)
    assert by_source[Source.BANK_LOAN].received == Decimal("1500")
    assert by_source[Source.SPECIAL_BOND].lines == 0
    assert summary.projects == 1
    assert summary.policies_sought == Decimal("30000")
    assert summary.policies_by_status[PolicyStatus.PLANNING] == 1
