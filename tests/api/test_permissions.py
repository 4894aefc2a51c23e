"""Every write endpoint against every role: who is allowed, who is refused, and how.

Refused means: 403 when the user can see the object but may not change it, 404 when the
object is outside their scope (its existence is not disclosed), 403 for a new record when
their role may not add such records at all (before the body is read), 400 on the `project`
field when a role that may add them names a project they cannot see. A refused call changes nothing at all (every
table an API write touches is compared before and after); an allowed call leaves its audit entry.
"""

import pytest

from core.models import AuditEntry
from tests.api.conftest import ROLES, snapshot
from tests.factories import make_credit_code

# name: (method, url(world), payload(world), audit action when allowed,
#        expected status per role in ROLES order: leader, official, other_official, staff, handler, supervisor)
WRITE_ENDPOINTS = {
    "enterprise-create": (
        "post",
        lambda w: "/api/v1/enterprises/",
        lambda w: {"name": "米尔化工有限公司", "credit_code": make_credit_code(987654), "park": w.park.pk},
        "enterprise.create",
        (403, 403, 403, 403, 403, 201),
    ),
    "enterprise-update": (
        "patch",
        lambda w: f"/api/v1/enterprises/{w.enterprise.pk}/",
        lambda w: {"industry": "钢铁"},
        "enterprise.update",
        (403, 403, 403, 403, 403, 200),
    ),
    "project-create": (
        "post",
        lambda w: "/api/v1/projects/",
        lambda w: {
            "code": "XY-NEW-1",
            "name": "水性超纤项目",
            "enterprise": w.enterprise.pk,
            "park": w.park.pk,
            "total_investment": "1000000.00",
            "planned_start": "2026-12-01",
            "planned_completion": "2028-06-30",
        },
        "project.create",
        (403, 403, 403, 403, 403, 201),
    ),
    "project-update": (
        "patch",
        lambda w: f"/api/v1/projects/{w.project.pk}/",
        lambda w: {"total_investment": "12000.00", "construction_content": "特钢、余热发电、超低排放"},
        "project.update",
        (403, 200, 404, 403, 404, 200),
    ),
    "project-stage": (
        "post",
        lambda w: f"/api/v1/projects/{w.project.pk}/stage/",
        lambda w: {"to_stage": "completed", "changed_on": "2026-11-20"},
        "project.stage",
        (403, 201, 404, 403, 404, 201),
    ),
    "report-create": (
        "post",
        lambda w: "/api/v1/progress-reports/",
        lambda w: {
            "project": w.project.pk,
            "month": "2026-11",
            "investment": "800.00",
            "physical_progress": "设备安装",
        },
        "progress_report.submit",
        (403, 201, 400, 403, 403, 201),
    ),
    "report-update": (
        "patch",
        lambda w: f"/api/v1/progress-reports/{w.report.pk}/",
        lambda w: {"investment": "550.00"},
        "progress_report.update",
        (403, 200, 404, 403, 404, 200),
    ),
    "target-create": (
        "post",
        lambda w: "/api/v1/annual-targets/",
        lambda w: {"project": w.project.pk, "year": 2027, "planned_investment": "8000.00"},
        "annual_target.create",
        (403, 403, 403, 403, 403, 201),
    ),
    "target-update": (
        "patch",
        lambda w: f"/api/v1/annual-targets/{w.target.pk}/",
        lambda w: {"planned_investment": "7000.00"},
        "annual_target.update",
        (403, 403, 404, 403, 404, 200),
    ),
    "target-delete": (
        "delete",
        lambda w: f"/api/v1/annual-targets/{w.target.pk}/",
        lambda w: None,
        "annual_target.delete",
        (403, 403, 404, 403, 404, 204),
    ),
    "milestone-create": (
        "post",
        lambda w: "/api/v1/milestones/",
        lambda w: {"project": w.project.pk, "title": "竣工验收", "due_date": "2027-06-30"},
        "milestone.create",
        (403, 201, 400, 403, 403, 201),
    ),
    "milestone-update": (
        "patch",
        lambda w: f"/api/v1/milestones/{w.milestone.pk}/",
        lambda w: {"due_date": "2026-12-20"},
        "milestone.update",
        (403, 200, 404, 403, 404, 200),
    ),
    "milestone-complete": (
        "post",
        lambda w: f"/api/v1/milestones/{w.milestone.pk}/complete/",
        lambda w: {"evidence": "主体结构验收记录"},
        "milestone.complete",
        (403, 200, 404, 403, 404, 200),
    ),
    "milestone-reopen": (
        "post",
        lambda w: f"/api/v1/milestones/{w.done_milestone.pk}/reopen/",
        lambda w: {"reason": "误标为完成"},
        "milestone.reopen",
        (403, 200, 404, 403, 404, 200),
    ),
}

CASES = [
    pytest.param(name, role, spec[4][i], id=f"{name}-{role}")
    for name, spec in WRITE_ENDPOINTS.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("endpoint", "role", "expected"), CASES)
def test_write_endpoint_per_role(world, endpoint, role, expected):
    method, url, payload, audit_action, _statuses = WRITE_ENDPOINTS[endpoint]
    before = snapshot()

    response = getattr(world.client(role), method)(url(world), payload(world), format="json")

    assert response.status_code == expected, response.content
    if expected < 300:
        assert AuditEntry.objects.filter(action=audit_action, actor=world.users[role]).count() == 1
        assert snapshot() != before
        return
    assert snapshot() == before
    body = response.json()
    assert body["detail"] and body["code"]
    if expected == 400:
        # The project is outside the user's scope: named as if it did not exist.
        assert list(body) == ["project", "detail", "code"]
