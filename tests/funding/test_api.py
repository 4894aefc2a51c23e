"""The funding API: lines set and changed, policy funds, scoping, bad input; and the cockpit's
funds in place with the URL of the rows behind it."""

from decimal import Decimal

from funding.models import FundingLine, Source
from funding.services import funding_line_set


def test_lines_and_policies_through_the_api(world):
    official = world.client("official")
    body = {"project": world.project.pk, "year": 2026, "source": "bank_loan", "planned": "3000", "received": "1200"}
    created = official.post("/api/v1/funding-lines/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["source_label"] == "银行贷款"
    changed = official.post("/api/v1/funding-lines/", {**body, "received": "1500"}, format="json")
    assert changed.status_code == 200 and changed.json()["received"] == "1500.00"
    line = created.json()["id"]
    assert (
        official.patch(f"/api/v1/funding-lines/{line}/", {"note": "首笔放款"}, format="json").json()["received"]
        == "1500.00"
    )
    assert world.client("leader").get("/api/v1/funding-lines/", {"year": 2026}).json()["count"] == 1
    assert (
        world.client("leader").patch(f"/api/v1/funding-lines/{line}/", {"planned": "1"}, format="json").status_code
        == 403
    )
    assert world.client("other_official").get(f"/api/v1/funding-lines/{line}/").status_code == 404

    bad = official.post("/api/v1/funding-lines/", {**body, "planned": "-1"}, format="json")
    assert bad.status_code == 400 and "planned" in bad.json()

    policy = official.post(
        "/api/v1/policy-supports/",
        {
            "project": world.project.pk,
            "name": "中央预算内投资",
            "level": "national",
            "amount_sought": "20000",
            "status": "applying",
        },
        format="json",
    )
    assert policy.status_code == 400 and "applied_on" in policy.json()
    policy = official.post(
        "/api/v1/policy-supports/",
        {
            "project": world.project.pk,
            "name": "中央预算内投资",
            "level": "national",
            "amount_sought": "20000",
            "status": "applying",
            "applied_on": "2026-10-08",
        },
        format="json",
    )
    assert policy.status_code == 201 and policy.json()["status_label"] == "申报中"
    assert official.delete(f"/api/v1/funding-lines/{line}/").status_code == 204
    assert not FundingLine.objects.exists()


def test_the_cockpit_shows_funds_in_place_against_the_plan(world):
    supervisor = world.users["supervisor"]
    funding_line_set(
        project=world.project,
        year=2026,
        source=Source.SELF_RAISED,
        by=supervisor,
        planned=Decimal("1000"),
        received=Decimal("600"),
    )
    funding_line_set(
        project=world.other_project,
        year=2026,
        source=Source.BANK_LOAN,
        by=supervisor,
        planned=Decimal("1000"),
        received=Decimal("200"),
    )
    data = world.client("leader").get("/api/v1/dashboard/summary/", {"year": 2026}).json()["funding"]
    assert data["rate"]["percent"] == 40.0
    assert {s["source"]: s["rate"]["percent"] for s in data["sources"]} == {"self_raised": 60.0, "bank_loan": 20.0}
    assert "/funding/?" in data["url"] and "year=2026" in data["url"]
    mine = world.client("leader").get("/api/v1/dashboard/summary/", {"year": 2026, "park": world.park.pk}).json()
    assert mine["funding"]["rate"]["percent"] == 60.0
