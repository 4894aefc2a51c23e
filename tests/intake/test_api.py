"""The intake API: a candidate from submission to the library and the dispatch list; one error
shape for bad input (400), refusals (403), wrong states (409); invisible is 404."""

import pytest

from intake.models import Candidate, Status
from projects.models import Project


def _create(world, role="official", **extra):
    body = {
        "name": "米尔化工二期扩建项目",
        "enterprise": world.enterprise.pk,
        "park": world.park.pk,
        "content": "年产15万吨水性聚氨酯树脂",
        "total_investment": "90000",
        "land_area": "150",
        "energy_tce": "18000",
        "submit": True,
        **extra,
    }
    return world.client(role).post("/api/v1/candidates/", body, format="json")


def test_from_submission_to_the_dispatch_list(world):
    response = _create(world)
    assert response.status_code == 201, response.json()
    candidate = response.json()
    assert candidate["status"] == "submitted" and candidate["unit"]["id"] == world.committee.pk
    url = f"/api/v1/candidates/{candidate['id']}/"
    supervisor = world.client("supervisor")

    returned = supervisor.post(f"{url}step/", {"action": "return"}, format="json")
    assert returned.status_code == 400 and "note" in returned.json()
    returned = supervisor.post(f"{url}step/", {"action": "return", "note": "补充用地预审意见"}, format="json")
    assert returned.json()["status"] == "returned"

    official = world.client("official")
    assert official.patch(url, {"land_area": "140"}, format="json").json()["land_area"] == "140.00"
    assert official.post(f"{url}step/", {"action": "submit"}, format="json").json()["status"] == "submitted"
    approved = supervisor.post(
        f"{url}step/", {"action": "approve", "level": "city_major", "code": "XY-JK-020"}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["project"]["code"] == "XY-JK-020"
    events = official.get(f"{url}events/").json()
    assert [e["action"] for e in events] == ["create", "submit", "return", "edit", "submit", "approve"]
    assert events[2]["label"] == "退回修改" and events[2]["note"] == "补充用地预审意见"

    project = Project.objects.get(code="XY-JK-020")
    added = supervisor.post("/api/v1/dispatch-entries/", {"project": project.pk, "year": 2026}, format="json")
    assert added.status_code == 201
    again = supervisor.post("/api/v1/dispatch-entries/", {"project": project.pk, "year": 2026}, format="json")
    assert again.status_code == 409
    listed = official.get("/api/v1/dispatch-entries/", {"year": 2026}).json()["results"]
    assert [e["project"]["code"] for e in listed] == ["XY-JK-020"]
    entry = added.json()["id"]
    assert (
        supervisor.post(f"/api/v1/dispatch-entries/{entry}/remove/", {"reason": ""}, format="json").status_code == 400
    )
    assert (
        supervisor.post(f"/api/v1/dispatch-entries/{entry}/remove/", {"reason": "暂缓"}, format="json").status_code
        == 204
    )


def test_refusals_and_scoping(world):
    candidate_id = _create(world).json()["id"]
    url = f"/api/v1/candidates/{candidate_id}/"
    assert (
        world.client("official")
        .post(f"{url}step/", {"action": "approve", "level": "city_key"}, format="json")
        .status_code
        == 403
    )
    assert world.client("other_official").get(url).status_code == 404
    assert world.client("staff").get("/api/v1/candidates/").json()["results"] == []
    assert _create(world, role="staff").status_code == 403
    assert (
        world.client("official")
        .post("/api/v1/dispatch-entries/", {"project": world.project.pk, "year": 2026}, format="json")
        .status_code
        == 403
    )
    assert world.client(None).get("/api/v1/candidates/").status_code == 401
    wrong_state = world.client("official").post(f"{url}step/", {"action": "submit"}, format="json")
    assert wrong_state.status_code == 409 and wrong_state.json()["code"] == "conflict"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"total_investment": "-5"}, "total_investment"),
        ({"total_investment": "abc"}, "total_investment"),
        ({"park": 999999}, "park"),
        ({"enterprise": None, "enterprise_name": "新企业", "credit_code": "123"}, "credit_code"),
    ],
)
def test_bad_input_is_a_400_on_the_field(world, body, field):
    response = _create(world, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Candidate.objects.exists()


def test_unknown_step_is_a_400(world):
    candidate_id = _create(world).json()["id"]
    response = world.client("supervisor").post(
        f"/api/v1/candidates/{candidate_id}/step/", {"action": "bless"}, format="json"
    )
    assert response.status_code == 400 and "action" in response.json()
    assert Candidate.objects.get().status == Status.SUBMITTED
