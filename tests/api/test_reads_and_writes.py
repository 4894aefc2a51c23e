"""What the endpoints return: scope, derived figures, filters, ordering, and the write paths."""

import datetime
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from core.models import Role
from projects.models import Milestone, ProgressReport, Project, Stage
from tests.api.conftest import media_files, png_upload
from tests.factories import (
    AnnualTargetFactory,
    CampaignFactory,
    ChainSegmentFactory,
    DepartmentFactory,
    EnterpriseFactory,
    IndustryChainFactory,
    MilestoneFactory,
    ParkFactory,
    ProgressReportFactory,
    ProjectFactory,
    UserFactory,
    make_credit_code,
)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# --- Scope: list and detail --------------------------------------------------------------------


@pytest.fixture
def elsewhere(world):
    """A project of another unit, with a report, a target and a milestone."""
    project = ProjectFactory(name="米尔化工项目", responsible_unit=DepartmentFactory(name="别的单位"))
    return {
        "project": project,
        "report": ProgressReportFactory(project=project),
        "target": AnnualTargetFactory(project=project),
        "milestone": MilestoneFactory(project=project),
    }


@pytest.mark.parametrize(
    ("role", "sees_elsewhere", "sees_own"),
    [
        ("leader", True, True),
        ("supervisor", True, True),
        ("official", False, True),
        ("other_official", False, False),
        ("staff", False, True),
        ("handler", False, False),
    ],
)
def test_lists_and_details_are_scoped(world, elsewhere, role, sees_elsewhere, sees_own):
    client = world.client(role)
    own = {"project": world.project, "report": world.report, "target": world.target, "milestone": world.milestone}
    for kind, url in [
        ("project", "/api/v1/projects/"),
        ("report", "/api/v1/progress-reports/"),
        ("target", "/api/v1/annual-targets/"),
        ("milestone", "/api/v1/milestones/"),
    ]:
        listed = set(ids(client.get(url)))
        assert (own[kind].pk in listed) is sees_own, (kind, url)
        assert (elsewhere[kind].pk in listed) is sees_elsewhere, (kind, url)
        detail = client.get(f"{url}{elsewhere[kind].pk}/")
        assert detail.status_code == (200 if sees_elsewhere else 404)
        if detail.status_code == 404:
            assert detail.json() == {"detail": "未找到。", "code": "not_found"}


def test_a_user_without_a_role_sees_nothing(world):
    client = APIClient()
    client.force_authenticate(UserFactory())
    for url in ["/api/v1/projects/", "/api/v1/enterprises/", "/api/v1/parks/", "/api/v1/officials/"]:
        assert ids(client.get(url)) == [], url


# --- Projects ----------------------------------------------------------------------------------


def test_project_detail_carries_the_derived_figures(world):
    ProgressReportFactory(project=world.project, month=datetime.date(2025, 12, 1), investment=Decimal("1000.00"))
    ProgressReportFactory(project=world.project, month=datetime.date(2026, 9, 1), investment=Decimal("250.50"))
    MilestoneFactory(project=world.project, due_date=datetime.date(2026, 11, 20))  # overdue

    body = world.client("official").get(f"/api/v1/projects/{world.project.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()

    assert body["cumulative_investment"] == "1750.50"
    assert body["year_investment"] == "750.50"
    assert body["year_plan"] == "6000.00"
    assert body["last_report_month"] == "2026-10"
    assert body["report_missing"] is False  # October's report (due by 5 November) is in
    assert body["overdue_milestones"] == 1
    assert body["stage"] == "under_construction"
    assert body["stage_label"] == "Under construction"
    assert body["enterprise"] == {"id": world.enterprise.pk, "name": world.enterprise.name}
    assert body["responsible_unit"] == {"id": world.unit.pk, "name": world.unit.name}
    assert body["service_team"] == {"id": world.team.pk, "name": world.team.name}


def test_a_missing_report_shows(world):
    world.report.delete()
    body = world.client("leader").get(f"/api/v1/projects/{world.project.pk}/").json()
    assert body["report_missing"] is True
    assert body["cumulative_investment"] == "0.00"


@pytest.fixture
def catalogue(world):
    chain = IndustryChainFactory(name="超纤材料")
    other_park = ParkFactory(name="高新区")
    projects = {
        "fiber": ProjectFactory(
            name="水性超纤项目",
            park=world.park,
            segment=ChainSegmentFactory(chain=chain),
            level="provincial_major",
            stage=Stage.SIGNED,
            is_key=True,
            total_investment=Decimal("1000000"),
        ),
        "chem": ProjectFactory(name="米尔化工项目", park=other_park, stage=Stage.PLANNED, is_key=False),
    }
    return {"chain": chain, "other_park": other_park, **projects}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=zxgt", ["steel"]),
        ("q=ZXGT", ["steel"]),
        ("q=超纤", ["fiber"]),
        ("q=中新钢铁集团", ["steel"]),  # the owner enterprise's name
        ("stage=signed", ["fiber"]),
        ("level=provincial_major", ["fiber"]),
        ("is_key=false", ["chem"]),
        ("is_key=true", ["steel", "fiber"]),
        ("chain={chain}", ["fiber"]),
        ("park={other_park}", ["chem"]),
        ("stage=", ["steel", "fiber", "chem"]),
    ],
)
def test_project_filters(world, catalogue, query, expected):
    names = {"steel": world.project, **catalogue}
    query = query.format(chain=catalogue["chain"].pk, other_park=catalogue["other_park"].pk)
    found = ids(world.client("supervisor").get(f"/api/v1/projects/?{query}"))
    assert sorted(found) == sorted(names[n].pk for n in expected)


def test_mine_filter(world, catalogue):
    catalogue["chem"].responsible_official = world.users["leader"].official
    catalogue["chem"].save()
    assert ids(world.client("leader").get("/api/v1/projects/?mine=true")) == [catalogue["chem"].pk]
    assert len(ids(world.client("leader").get("/api/v1/projects/?mine=false"))) == 3


def test_project_ordering(world, catalogue):
    client = world.client("supervisor")
    by_investment = ids(client.get("/api/v1/projects/?ordering=-total_investment"))
    assert by_investment[0] == catalogue["fiber"].pk
    by_cumulative = ids(client.get("/api/v1/projects/?ordering=-cumulative_investment"))
    assert by_cumulative[0] == world.project.pk
    default = ids(client.get("/api/v1/projects/"))
    assert default[-1] == catalogue["chem"].pk  # key projects first


def test_create_and_update_a_project(world):
    client = world.client("supervisor")
    # A parent takes no reports of its own (they go on its sub-items): one that has none yet.
    parent = ProjectFactory(enterprise=world.enterprise, park=world.park, responsible_unit=world.unit)
    response = client.post(
        "/api/v1/projects/",
        {
            "code": "XY-2026-9001",
            "name": "水性超纤研究院",
            "enterprise": world.enterprise.pk,
            "park": world.park.pk,
            "total_investment": "50000",
            "stage": "signed",
            "responsible_unit": world.unit.pk,
            "parent": parent.pk,
            "phase_label": "一期",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["stage"] == "signed"
    assert body["parent"] == {"id": parent.pk, "code": parent.code, "name": parent.name}
    assert body["cumulative_investment"] == "0.00"
    project = Project.objects.get(pk=body["id"])
    assert project.stage_changes.get().to_stage == "signed"

    response = world.client("official").patch(
        f"/api/v1/projects/{project.pk}/", {"key_label": "1号产业", "is_key": True}, format="json"
    )
    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert (project.key_label, project.is_key) == ("1号产业", True)


def test_stage_change_and_history(world):
    client = world.client("official")
    back = client.post(
        f"/api/v1/projects/{world.project.pk}/stage/",
        {"to_stage": "started", "changed_on": "2026-11-01", "reason": "停工整改"},
        format="json",
    )
    assert back.status_code == 201, back.content
    assert back.json()["is_backwards"] is True
    forward = client.post(f"/api/v1/projects/{world.project.pk}/stage/", {"to_stage": "completed"}, format="json")
    assert forward.status_code == 201, forward.content
    assert forward.json()["changed_on"] == "2026-11-27"
    assert forward.json()["changed_by"]["name"] == world.users["official"].official.name

    history = client.get(f"/api/v1/projects/{world.project.pk}/stage-history/")
    assert history.status_code == 200
    assert [(c["from_stage"], c["to_stage"], c["reason"]) for c in history.json()] == [
        ("under_construction", "started", "停工整改"),
        ("started", "completed", ""),
    ]
    world.project.refresh_from_db()
    assert world.project.stage == "completed"
    assert world.client("handler").get(f"/api/v1/projects/{world.project.pk}/stage-history/").status_code == 404


# --- Progress reports --------------------------------------------------------------------------


@pytest.mark.parametrize("month", ["2026-11", "2026-11-27", "2026-11-01"])
def test_submit_a_report_as_json_with_a_month_or_a_date(world, month):
    response = world.client("official").post(
        "/api/v1/progress-reports/",
        {"project": world.project.pk, "month": month, "investment": "800", "physical_progress": "设备安装"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["month"] == "2026-11"
    assert body["cumulative"] == "1300.00"
    assert body["photos"] == []
    assert body["submitted_by"]["id"] == world.users["official"].pk
    assert ProgressReport.objects.get(pk=body["id"]).month == datetime.date(2026, 11, 1)


def test_submit_a_report_with_photos_and_correct_it(world, _media_root):
    client = world.client("official")
    response = client.post(
        "/api/v1/progress-reports/",
        {
            "project": world.project.pk,
            "month": "2026-11",
            "investment": "800.00",
            "physical_progress": "设备安装",
            "percent_complete": "65",
            "photos": [png_upload("a.png"), png_upload("b.png")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert len(body["photos"]) == 2
    assert body["percent_complete"] == 65
    assert len(media_files(_media_root)) == 2

    patched = client.patch(
        f"/api/v1/progress-reports/{body['id']}/",
        {"investment": "900.00", "photos": [png_upload("c.png")]},
        format="multipart",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["investment"] == "900.00"
    assert patched.json()["cumulative"] == "1400.00"
    assert len(patched.json()["photos"]) == 3
    # The cumulative figure on the project follows the correction.
    project = client.get(f"/api/v1/projects/{world.project.pk}/").json()
    assert project["cumulative_investment"] == "1400.00"


def test_report_filters(world):
    for month in (datetime.date(2026, 6, 1), datetime.date(2026, 8, 1), datetime.date(2026, 9, 1)):
        ProgressReportFactory(project=world.project, month=month)
    other = ProgressReportFactory(month=datetime.date(2026, 8, 1))
    client = world.client("supervisor")
    months = [
        r["month"]
        for r in client.get("/api/v1/progress-reports/?month_from=2026-08&month_to=2026-09").json()["results"]
    ]
    assert months == ["2026-09", "2026-08", "2026-08"]
    only = client.get(f"/api/v1/progress-reports/?project={world.project.pk}&month_from=2026-08-15").json()["results"]
    assert [r["month"] for r in only] == ["2026-10", "2026-09", "2026-08"]
    assert other.pk not in [r["id"] for r in only]
    # The cumulative figure is the project's, whatever the filter leaves out.
    assert only[-1]["cumulative"] == "1000.00"


# --- Annual targets ----------------------------------------------------------------------------


def test_set_change_and_delete_an_annual_target(world):
    client = world.client("supervisor")
    created = client.post(
        "/api/v1/annual-targets/",
        {"project": world.project.pk, "year": 2027, "planned_investment": "8000", "first_half_investment": "3000"},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["second_half_investment"] == "5000.00"
    again = client.post(
        "/api/v1/annual-targets/",
        {"project": world.project.pk, "year": 2027, "planned_investment": "9000"},
        format="json",
    )
    assert again.status_code == 200
    assert again.json()["id"] == created.json()["id"]
    changed = client.patch(
        f"/api/v1/annual-targets/{created.json()['id']}/", {"target_start": "2027-03-01"}, format="json"
    )
    assert changed.json()["target_start"] == "2027-03-01"
    assert changed.json()["planned_investment"] == "9000.00"
    assert client.get(f"/api/v1/annual-targets/?year=2027&project={world.project.pk}").json()["count"] == 1
    assert client.delete(f"/api/v1/annual-targets/{created.json()['id']}/").status_code == 204
    assert client.get("/api/v1/annual-targets/?year=2027").json()["count"] == 0


# --- Milestones --------------------------------------------------------------------------------


def test_milestone_filters(world):
    campaign = CampaignFactory(name="招商引资和项目建设百日攻坚行动")
    overdue = MilestoneFactory(project=world.project, due_date=datetime.date(2026, 11, 20), campaign=campaign)
    client = world.client("official")

    def listed(query):
        return ids(client.get(f"/api/v1/milestones/?{query}"))

    assert listed("overdue=true") == [overdue.pk]
    assert sorted(listed("overdue=false")) == sorted([world.milestone.pk, world.done_milestone.pk])
    assert listed("done=true") == [world.done_milestone.pk]
    assert listed("done=false") == [overdue.pk, world.milestone.pk]  # by due date
    assert listed(f"campaign={campaign.pk}") == [overdue.pk]
    assert listed(f"project={world.project.pk}&ordering=-due_date")[0] == world.milestone.pk

    row = client.get(f"/api/v1/milestones/{overdue.pk}/").json()
    assert (row["overdue"], row["done"], row["days_left"]) == (True, False, -7)
    assert row["campaign"] == {"id": campaign.pk, "name": campaign.name}
    # The state of projects.milestones, as the pages show it.
    states = {m["id"]: m["state"] for m in client.get("/api/v1/milestones/").json()["results"]}
    assert states == {overdue.pk: "overdue", world.milestone.pk: "due", world.done_milestone.pk: "met"}


def test_plan_complete_with_a_photo_and_reopen_a_milestone(world, _media_root):
    client = world.client("official")
    created = client.post(
        "/api/v1/milestones/",
        {
            "project": world.project.pk,
            "title": "设备进场",
            "due_date": "2026-12-10",
            "responsible": world.users["official"].official.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["days_left"] == 13

    done = client.post(
        f"/api/v1/milestones/{pk}/complete/",
        {"evidence": "设备已进场", "completed_on": "2026-11-26", "evidence_file": png_upload("proof.png")},
        format="multipart",
    )
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["done"], body["completed_on"], body["days_left"], body["state"]) == (True, "2026-11-26", None, "met")
    assert body["evidence_file"] == f"http://testserver/projects/milestones/{pk}/evidence/"
    assert body["evidence_file_name"] == "proof.png"
    assert body["completed_by"]["id"] == world.users["official"].pk
    assert len(media_files(_media_root)) == 1

    reopened = client.post(f"/api/v1/milestones/{pk}/reopen/", {"reason": "验收未通过"}, format="json")
    assert reopened.status_code == 200
    assert reopened.json()["done"] is False
    assert Milestone.objects.get(pk=pk).completed_on is None


def test_completing_with_a_note_only_as_json(world):
    response = world.client("supervisor").post(
        f"/api/v1/milestones/{world.milestone.pk}/complete/", {"evidence": "已封顶"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["completed_on"] == "2026-11-27"
    assert response.json()["evidence_file"] is None


# --- Directory ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [("q=zxgt", True), ("q=中新", True), ("q={code}", True), ("q={code_lower}", True), ("q=mehg", False)],
)
def test_enterprise_search(world, query, expected):
    EnterpriseFactory(name="米尔化工有限公司")
    code = world.enterprise.credit_code
    query = query.format(code=code[:10], code_lower=code[:10].lower())
    found = ids(world.client("staff").get(f"/api/v1/enterprises/?{query}"))
    assert (world.enterprise.pk in found) is expected


def test_enterprise_filters_and_writes(world):
    segment = ChainSegmentFactory(chain=IndustryChainFactory(name="钢铁"), name="特钢")
    client = world.client("supervisor")
    updated = client.patch(
        f"/api/v1/enterprises/{world.enterprise.pk}/", {"segments": [segment.pk], "is_key": True}, format="json"
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["segments"][0]["chain"]["name"] == "钢铁"
    EnterpriseFactory(name="另一家企业")
    assert ids(client.get(f"/api/v1/enterprises/?chain={segment.chain_id}")) == [world.enterprise.pk]
    assert ids(client.get(f"/api/v1/enterprises/?segment={segment.pk}")) == [world.enterprise.pk]
    assert ids(client.get("/api/v1/enterprises/?is_key=true")) == [world.enterprise.pk]

    code = make_credit_code(555)
    created = client.post(
        "/api/v1/enterprises/",
        {"name": "江苏米尔化工有限公司", "short_name": "米尔化工", "credit_code": f" {code.lower()} "},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["credit_code"] == code
    assert ids(client.get("/api/v1/enterprises/?q=mehg")) == [created.json()["id"]]


def test_chains_list_their_segments(world):
    chain = IndustryChainFactory(name="超纤材料", chief=world.users["leader"].official)
    ChainSegmentFactory(chain=chain, name="基布", position="upstream")
    ChainSegmentFactory(chain=chain, name="超纤革", position="downstream")
    body = world.client("handler").get(f"/api/v1/chains/{chain.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert body["chief"]["id"] == world.users["leader"].official.pk
    assert [(s["name"], s["position"], s["position_label"]) for s in body["segments"]] == [
        ("基布", "upstream", "Upstream"),
        ("超纤革", "downstream", "Downstream"),
    ]


def test_directory_endpoints(world):
    client = world.client("staff")
    parks = client.get("/api/v1/parks/?q=新沂").json()["results"]
    assert parks == [
        {
            "id": world.park.pk,
            "name": world.park.name,
            "short_name": "",
            "level": "",
            "committee": {"id": world.unit.pk, "name": world.unit.name},
        }
    ]
    assert world.unit.pk in ids(client.get("/api/v1/departments/?kind=government"))
    officials = client.get(f"/api/v1/officials/?department={world.unit.pk}").json()["results"]
    assert [o["id"] for o in officials] == [world.users["official"].official.pk]
    assert "phone" not in officials[0]
    assert ids(client.get(f"/api/v1/officials/?role={Role.LEADER}")) == [world.users["leader"].official.pk]
    teams = client.get("/api/v1/service-teams/").json()["results"]
    assert teams[0]["members"] == [{"id": world.users["staff"].official.pk, "name": world.users["staff"].official.name}]
