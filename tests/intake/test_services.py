"""Intake: submitting, returning with reasons, resubmitting, rejecting, approving into the
library (one transaction that creates the project), the dispatch list; who may do each step;
every step an event and an audit entry."""

from decimal import Decimal

import pytest

from core.errors import ApplicationError, Conflict, PermissionDenied
from core.models import AuditEntry
from enterprises.models import Enterprise
from intake.filters import CandidateFilter
from intake.models import Candidate, CandidateEvent, DispatchEntry, DispatchEvent, Status
from intake.selectors import candidate_list, candidates_visible_to
from intake.services import (
    candidate_create,
    candidate_transition,
    candidate_update,
    dispatch_add,
    dispatch_remove,
)
from projects.models import Level, Project, Stage, StageChange
from tests.factories import make_credit_code

NEW_CODE = make_credit_code(880001)


def _candidate(world, by="official", submit=True, **data):
    defaults = {
        "name": "米尔化工二期扩建项目",
        "enterprise": world.enterprise,
        "park": world.park,
        "content": "年产15万吨水性聚氨酯树脂",
        "total_investment": Decimal("90000"),
        "land_area": Decimal("150"),
        "energy_tce": Decimal("18000"),
    }
    return candidate_create(by=world.users[by], submit=submit, **{**defaults, **data})


def _actions(candidate) -> list[str]:
    return list(
        CandidateEvent.objects.filter(candidate=candidate).order_by("at", "pk").values_list("action", flat=True)
    )


def test_an_official_submits_for_their_unit(world):
    candidate = _candidate(world)
    assert candidate.status == Status.SUBMITTED
    assert candidate.unit == world.committee
    assert candidate.submitted_at is not None
    assert _actions(candidate) == ["create", "submit"]


@pytest.mark.parametrize("role", ["staff", "handler", "leader"])
def test_other_roles_may_not_submit(world, role):
    with pytest.raises(PermissionDenied):
        _candidate(world, by=role)
    assert not Candidate.objects.exists()


def test_an_official_may_not_submit_for_another_unit_but_the_supervisors_may(world):
    with pytest.raises(PermissionDenied):
        _candidate(world, unit=world.other_committee)
    candidate = _candidate(world, by="supervisor", unit=world.other_committee, park=world.other_park)
    assert candidate.unit == world.other_committee


def test_the_return_loop_with_reasons_then_approval_creates_the_project(world):
    candidate = _candidate(world)
    official, supervisor = world.users["official"], world.users["supervisor"]

    with pytest.raises(ApplicationError) as exc:
        candidate_transition(candidate=candidate, action="return", by=supervisor)
    assert "note" in exc.value.fields
    candidate = candidate_transition(candidate=candidate, action="return", by=supervisor, note="补充能耗指标来源")
    assert candidate.status == Status.RETURNED

    candidate = candidate_update(candidate=candidate, by=official, energy_tce=Decimal("15000"))
    candidate = candidate_transition(candidate=candidate, action="submit", by=official, note="已补充")
    assert candidate.status == Status.SUBMITTED

    with pytest.raises(ApplicationError) as exc:
        candidate_transition(candidate=candidate, action="approve", by=supervisor, level="")
    assert "level" in exc.value.fields
    candidate = candidate_transition(
        candidate=candidate, action="approve", by=supervisor, level=Level.CITY_MAJOR, code="XY-JK-009"
    )
    assert candidate.status == Status.APPROVED
    project = Project.objects.get(code="XY-JK-009")
    assert candidate.project == project
    assert (project.level, project.enterprise, project.park) == (Level.CITY_MAJOR, world.enterprise, world.park)
    assert project.total_investment == Decimal("90000")
    assert project.responsible_unit == world.committee
    assert StageChange.objects.filter(project=project, to_stage=Stage.PLANNED).exists()
    assert _actions(candidate) == ["create", "submit", "return", "edit", "submit", "approve"]
    event = CandidateEvent.objects.get(candidate=candidate, action="return")
    assert (event.actor, event.note, event.from_status, event.to_status) == (
        supervisor,
        "补充能耗指标来源",
        Status.SUBMITTED,
        Status.RETURNED,
    )
    audited = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "candidate.create",
        "candidate.submit",
        "candidate.return",
        "candidate.update",
        "candidate.approve",
    } <= audited
    assert "project.create" in audited


def test_approval_of_a_new_enterprise_adds_it_to_the_directory_with_a_generated_code(world):
    candidate = _candidate(world, enterprise=None, enterprise_name="新沂新材料有限公司", credit_code=NEW_CODE)
    candidate = candidate_transition(
        candidate=candidate, action="approve", by=world.users["supervisor"], level=Level.CITY_KEY
    )
    enterprise = Enterprise.objects.get(credit_code=NEW_CODE)
    assert candidate.project.enterprise == enterprise
    assert candidate.project.code == f"RK-2026-{candidate.pk:04d}"


def test_a_failed_approval_saves_nothing(world):
    taken = Project.objects.get(code="XY-JK-001")
    candidate = _candidate(world, enterprise=None, enterprise_name="新沂新材料有限公司", credit_code=NEW_CODE)
    with pytest.raises(ApplicationError) as exc:
        candidate_transition(
            candidate=candidate, action="approve", by=world.users["supervisor"], level=Level.CITY_KEY, code=taken.code
        )
    assert "code" in exc.value.fields
    candidate.refresh_from_db()
    assert candidate.status == Status.SUBMITTED and candidate.project is None
    assert not Enterprise.objects.filter(credit_code=NEW_CODE).exists()


@pytest.mark.parametrize("role", ["official", "other_official", "leader", "staff"])
def test_only_the_supervision_office_reviews(world, role):
    candidate = _candidate(world)
    for action in ("return", "reject", "approve"):
        payload = {"level": Level.CITY_KEY, "code": ""} if action == "approve" else {}
        with pytest.raises(PermissionDenied):
            candidate_transition(candidate=candidate, action=action, by=world.users[role], note="x", **payload)
    candidate.refresh_from_db()
    assert candidate.status == Status.SUBMITTED


def test_wrong_state_is_a_conflict_and_rejection_is_final(world):
    candidate = _candidate(world, submit=False)
    assert candidate.status == Status.DRAFT
    with pytest.raises(Conflict):
        candidate_transition(candidate=candidate, action="approve", by=world.users["supervisor"], level=Level.CITY_KEY)
    candidate = candidate_transition(candidate=candidate, action="submit", by=world.users["official"])
    candidate = candidate_transition(
        candidate=candidate, action="reject", by=world.users["supervisor"], note="不符合产业政策"
    )
    with pytest.raises(Conflict):
        candidate_update(candidate=candidate, by=world.users["official"], name="改名")
    with pytest.raises(Conflict):
        candidate_transition(candidate=candidate, action="submit", by=world.users["official"])


def test_another_unit_may_not_edit_submit_or_withdraw(world):
    candidate = _candidate(world, submit=False)
    with pytest.raises(PermissionDenied):
        candidate_update(candidate=candidate, by=world.users["other_official"], name="改名")
    with pytest.raises(PermissionDenied):
        candidate_transition(candidate=candidate, action="submit", by=world.users["other_official"])
    candidate = candidate_transition(candidate=candidate, action="withdraw", by=world.users["official"])
    assert candidate.status == Status.WITHDRAWN


def test_payload_of_another_step_is_refused(world):
    candidate = _candidate(world)
    with pytest.raises(ApplicationError) as exc:
        candidate_transition(
            candidate=candidate, action="return", by=world.users["supervisor"], note="x", level="city_key"
        )
    assert "level" in exc.value.fields


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"content": " "}, "content"),
        ({"total_investment": Decimal("-1")}, "total_investment"),
        ({"land_area": Decimal("-3")}, "land_area"),
        ({"enterprise": None, "enterprise_name": "", "credit_code": ""}, "enterprise"),
        ({"enterprise": None, "enterprise_name": "新企业", "credit_code": ""}, "credit_code"),
        ({"enterprise": None, "enterprise_name": "新企业", "credit_code": "91320381000000000X"}, "credit_code"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, data, field):
    with pytest.raises(ApplicationError) as exc:
        _candidate(world, **data)
    assert field in exc.value.fields
    assert not Candidate.objects.exists()


def test_a_known_credit_code_picks_the_enterprise_and_duplicates_are_refused(world):
    candidate = _candidate(
        world, enterprise=None, enterprise_name="随便写的名字", credit_code=world.enterprise.credit_code
    )
    assert candidate.enterprise == world.enterprise and candidate.enterprise_name == ""
    with pytest.raises(ApplicationError) as exc:
        _candidate(world)
    assert exc.value.code == "duplicate"


def test_visibility_by_role(world):
    mine = _candidate(world)
    theirs = _candidate(world, by="supervisor", unit=world.other_committee, park=world.other_park, name="储能项目")
    assert set(candidates_visible_to(world.users["leader"])) == {mine, theirs}
    assert set(candidates_visible_to(world.users["official"])) == {mine}
    assert set(candidates_visible_to(world.users["other_official"])) == {theirs}
    assert not candidates_visible_to(world.users["staff"]).exists()
    assert not candidates_visible_to(world.users["handler"]).exists()
    listed = CandidateFilter({"status": "open", "q": "储能"}, queryset=candidate_list(user=world.users["supervisor"]))
    assert list(listed.qs) == [theirs]


def test_the_dispatch_list_and_back_with_who_when_why(world):
    supervisor = world.users["supervisor"]
    entry = dispatch_add(project=world.project, year=2026, by=supervisor, note="年度调度")
    assert entry.added_by == supervisor
    with pytest.raises(Conflict):
        dispatch_add(project=world.project, year=2026, by=supervisor)
    with pytest.raises(ApplicationError) as exc:
        dispatch_remove(project=world.project, year=2026, by=supervisor, reason=" ")
    assert "reason" in exc.value.fields
    dispatch_remove(project=world.project, year=2026, by=supervisor, reason="项目暂缓，移出调度库")
    assert not DispatchEntry.objects.exists()
    moves = list(DispatchEvent.objects.order_by("pk").values_list("action", "reason", "actor"))
    assert moves == [("add", "年度调度", supervisor.pk), ("remove", "项目暂缓，移出调度库", supervisor.pk)]
    assert AuditEntry.objects.filter(action__in=["dispatch.add", "dispatch.remove"]).count() == 2
    with pytest.raises(Conflict):
        dispatch_remove(project=world.project, year=2026, by=supervisor, reason="再移一次")


@pytest.mark.parametrize("role", ["official", "leader", "staff"])
def test_only_the_supervision_office_moves_the_dispatch_list(world, role):
    with pytest.raises(PermissionDenied):
        dispatch_add(project=world.project, year=2026, by=world.users[role])


def test_a_stopped_project_is_not_dispatched(world):
    Project.objects.filter(pk=world.project.pk).update(stage=Stage.STOPPED)
    world.project.refresh_from_db()
    with pytest.raises(ApplicationError):
        dispatch_add(project=world.project, year=2026, by=world.users["supervisor"])
