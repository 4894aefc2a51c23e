"""Stage moves that stop a project, move it back or revive it: a reason (browser and API, one
rule in projects.services), then a confirmation step that shows what the move affects."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.models import AuditEntry
from issues.models import Status
from projects.models import Project, Stage, StageChange
from projects.services import StageMove, stage_move_kind
from tests.factories import CampaignFactory, IssueFactory, MilestoneFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 11, 27, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.mark.parametrize(
    ("from_stage", "to_stage", "kind"),
    [
        (Stage.STARTED, Stage.UNDER_CONSTRUCTION, None),
        (Stage.PLANNED, Stage.AT_CAPACITY, None),
        (Stage.UNDER_CONSTRUCTION, Stage.SIGNED, StageMove.BACKWARDS),
        (Stage.PLANNED, Stage.STOPPED, StageMove.HALT),
        (Stage.AT_CAPACITY, Stage.STOPPED, StageMove.HALT),
        (Stage.STOPPED, Stage.PLANNED, StageMove.REVIVE),
        (Stage.STOPPED, Stage.AT_CAPACITY, StageMove.REVIVE),
        ("", Stage.SIGNED, None),
    ],
)
def test_the_moves_that_need_a_reason(from_stage, to_stage, kind):
    assert stage_move_kind(from_stage, to_stage) == kind


def post(client, project, **data):
    return client.post(reverse("projects:change_stage", args=[project.pk]), data)


def test_stopping_shows_its_consequences_before_anything_changes(client, world):
    project = world["project"]
    campaign = CampaignFactory(name="百日攻坚")
    MilestoneFactory(project=project, title="主体封顶", campaign=campaign, due_date=datetime.date(2026, 11, 1))
    MilestoneFactory(project=project, title="设备进场", due_date=datetime.date(2026, 12, 20))
    milestone = MilestoneFactory(project=project, title="竣工验收", completed_on=datetime.date(2026, 10, 1))
    IssueFactory(project=project, enterprise=project.enterprise, title="施工许可卡住", status=Status.NEW)
    IssueFactory(
        project=project, enterprise=project.enterprise, title="用地指标", status=Status.NEW, blocks_milestone=milestone
    )
    IssueFactory(title="已办结")  # another project's issue
    client.force_login(world["official"])
    response = post(client, project, to_stage=Stage.STOPPED, reason="企业资金链断裂")
    assert response.status_code == 200
    body = response.text
    assert 'data-kind="halt"' in body
    assert "企业资金链断裂" in body
    assert "百日攻坚" in body  # the campaign its open milestone counts in
    assert "2" in body and "施工许可卡住" in body and "用地指标" in body and "已办结" not in body
    assert body.index("用地指标") < body.index("施工许可卡住")  # blocking issues first
    assert 'data-consequence="figures"' in body  # leaves the started count, owes no more reports
    assert Project.objects.get(pk=project.pk).stage == Stage.UNDER_CONSTRUCTION
    assert not StageChange.objects.exists()

    response = post(client, project, to_stage=Stage.STOPPED, reason="企业资金链断裂", confirmed="on")
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.stage, project.stopped_reason) == (Stage.STOPPED, "企业资金链断裂")
    entry = AuditEntry.objects.get(action="project.stage")
    assert entry.changes["reason"] == "企业资金链断裂" and entry.changes["kind"] == "halt"


def test_reviving_needs_a_reason_and_a_confirmation(client, world):
    project = world["project"]
    Project.objects.filter(pk=project.pk).update(stage=Stage.STOPPED, stage_changed_on=datetime.date(2026, 6, 1))
    client.force_login(world["official"])
    response = post(client, project, to_stage=Stage.UNDER_CONSTRUCTION, reason="")
    assert response.status_code == 400
    assert "恢复已终止的项目需要说明原因" in response.text
    response = post(client, project, to_stage=Stage.UNDER_CONSTRUCTION, reason="新投资方接手")
    assert response.status_code == 200 and 'data-kind="revive"' in response.text
    assert Project.objects.get(pk=project.pk).stage == Stage.STOPPED
    response = post(client, project, to_stage=Stage.UNDER_CONSTRUCTION, reason="新投资方接手", confirmed="on")
    assert response.status_code == 302
    assert Project.objects.get(pk=project.pk).stage == Stage.UNDER_CONSTRUCTION


def test_a_step_forward_needs_no_confirmation(client, world):
    client.force_login(world["official"])
    response = post(client, world["project"], to_stage=Stage.COMPLETED)
    assert response.status_code == 302
    assert Project.objects.get(pk=world["project"].pk).stage == Stage.COMPLETED


def test_a_confirmed_move_still_passes_the_service_rules(client, world):
    client.force_login(world["official"])
    response = post(
        client, world["project"], to_stage=Stage.STOPPED, reason="x", changed_on="2026-12-30", confirmed="on"
    )
    assert response.status_code == 400
    assert Project.objects.get(pk=world["project"].pk).stage == Stage.UNDER_CONSTRUCTION


@pytest.mark.parametrize("role", ["leader", "staff", "handler", "other_official"])
def test_no_confirmation_page_for_those_who_may_not_move_the_project(client, world, role):
    client.force_login(world[role])
    response = post(client, world["project"], to_stage=Stage.STOPPED, reason="x")
    assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    ("start", "to_stage", "message"),
    [
        (Stage.UNDER_CONSTRUCTION, Stage.STOPPED, "终止项目需要说明原因"),
        (Stage.UNDER_CONSTRUCTION, Stage.SIGNED, "需要说明原因"),
        (Stage.STOPPED, Stage.SIGNED, "恢复已终止的项目需要说明原因"),
    ],
)
def test_the_api_refuses_a_move_without_a_reason_field_level(client, world, start, to_stage, message):
    project = world["project"]
    Project.objects.filter(pk=project.pk).update(stage=start, stage_changed_on=datetime.date(2026, 6, 1))
    client.force_login(world["official"])
    url = f"/api/v1/projects/{project.pk}/stage/"
    response = client.post(url, {"to_stage": to_stage}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400, response.content
    assert message in " ".join(response.json()["reason"])
    assert Project.objects.get(pk=project.pk).stage == start
    response = client.post(
        url, {"to_stage": to_stage, "reason": "说明"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code in (200, 201), response.content
    assert Project.objects.get(pk=project.pk).stage == to_stage


def test_the_confirmation_keeps_a_multi_line_reason_whole(client, world):
    client.force_login(world["official"])
    reason = "投资方战略调整\n董事会决议已送达"
    body = post(client, world["project"], to_stage=Stage.STOPPED, reason=reason).text
    assert '<textarea name="reason" hidden>投资方战略调整\n董事会决议已送达</textarea>' in body
