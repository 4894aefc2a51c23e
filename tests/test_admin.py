"""The admin (the supervision office's tool) over the demo data: every page opens, list pages run
a constant number of queries, stage moves go through the stage service, writes are audited."""

import datetime
import io
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry, Department, Official, Role
from projects import demo
from projects.models import Project, Stage
from tests.factories import ProjectFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
OUR_APPS = {"core", "accounts", "enterprises", "projects", "campaigns"}


@pytest.fixture
def world(settings):
    settings.DEBUG = True
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=io.StringIO())
        yield


@pytest.fixture
def supervisor_client(client, world):
    client.force_login(Official.objects.get(user__username="demo-supervisor").user)
    return client


def _our_model_admins():
    return [
        (model, admin.site.get_model_admin(model))
        for model in apps.get_models()
        if model._meta.app_label in OUR_APPS and admin.site.is_registered(model)
    ]


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


class _FormFields(HTMLParser):
    """The name → value pairs a browser would submit for the first <form> with method=post."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in {"submit", "file", "checkbox", "radio"}:
            self.data[name] = a.get("value") or ""
        elif tag == "input" and name and a.get("type") == "checkbox" and "checked" in a:
            self.data[name] = a.get("value") or "on"
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data.lstrip("\n") if not self.data[self._textarea] else data


def _form_data(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    parser = _FormFields()
    parser.feed(response.content.decode())
    return parser.data


def test_every_changelist_and_change_form_opens(supervisor_client):
    models = _our_model_admins()
    assert {m._meta.model_name for m, _ in models} >= {
        "department",
        "park",
        "official",
        "auditentry",
        "industrychain",
        "chainsegment",
        "enterprise",
        "serviceteam",
        "project",
        "progressreport",
        "annualtarget",
        "milestone",
        "campaign",
    }
    for model, _model_admin in models:
        assert supervisor_client.get(_url(model, "changelist")).status_code == 200, model
        obj = model.objects.first()
        if obj is not None:
            assert supervisor_client.get(_url(model, "change", obj.pk)).status_code == 200, model
    assert supervisor_client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_a_supervisor_by_role_with_staff_access_may_use_the_admin(client, world):
    user = user_with_role(Role.SUPERVISOR)
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(_url(Project, "changelist")).status_code == 200
    assert client.get(_url(AuditEntry, "changelist")).status_code == 200


def test_other_roles_have_no_admin(client, world):
    for username in ["demo-leader", "demo-official", "demo-staff", "demo-handler"]:
        client.force_login(Official.objects.get(user__username=username).user)
        response = client.get(_url(Project, "changelist"))
        assert response.status_code == 302  # to the admin login: not staff


def test_list_pages_run_a_constant_number_of_queries(supervisor_client):
    def queries(model):
        with CaptureQueriesContext(connection) as ctx:
            assert supervisor_client.get(_url(model, "changelist")).status_code == 200
        return len(ctx)

    before = {model: queries(model) for model, _ in _our_model_admins()}
    for _ in range(40):
        ProjectFactory()
    after = {model: queries(model) for model, _ in _our_model_admins()}
    assert after == before


def test_search_finds_enterprises_by_pinyin_initials_and_credit_code(supervisor_client):
    from enterprises.models import Enterprise

    steel = Enterprise.objects.get(short_name="中新钢铁")
    url = _url(Enterprise, "changelist")
    assert "中新钢铁集团有限公司" in supervisor_client.get(url, {"q": "zxgt"}).content.decode()
    assert "中新钢铁集团有限公司" in supervisor_client.get(url, {"q": steel.credit_code}).content.decode()


def test_stage_moves_go_through_the_stage_service(supervisor_client):
    project = Project.objects.get(code=demo.PROJECT_LITHIUM)  # negotiating
    url = _url(Project, "change", project.pk)
    changes = project.stage_changes.count()

    # Backwards without a reason: refused with a field error, nothing saved.
    data = _form_data(supervisor_client, url) | {"to_stage": Stage.PLANNED, "stage_reason": ""}
    with time_machine.travel(TODAY, tick=False):
        response = supervisor_client.post(url, data)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    project.refresh_from_db()
    assert project.stage == Stage.NEGOTIATING
    assert project.stage_changes.count() == changes

    # Forwards: recorded in the timeline and the audit trail.
    data = _form_data(supervisor_client, url) | {"to_stage": Stage.SIGNED, "stage_date": "2026-11-26"}
    with time_machine.travel(TODAY, tick=False):
        response = supervisor_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert project.stage_changed_on == datetime.date(2026, 11, 26)
    last = project.stage_changes.order_by("-id").first()
    assert (last.from_stage, last.to_stage) == (Stage.NEGOTIATING, Stage.SIGNED)
    assert AuditEntry.objects.filter(action="project.stage", object_id=str(project.pk)).exists()


def test_the_stage_is_not_a_plain_field(supervisor_client):
    project = Project.objects.get(code=demo.PROJECT_EQUIPMENT)  # planned
    url = _url(Project, "change", project.pk)
    data = _form_data(supervisor_client, url) | {"stage": Stage.IN_PRODUCTION}
    assert "stage" not in _form_data(supervisor_client, url)
    supervisor_client.post(url, data)
    project.refresh_from_db()
    assert project.stage == Stage.PLANNED


def test_a_new_project_starts_its_timeline(supervisor_client):
    template = Project.objects.get(code=demo.PROJECT_EQUIPMENT)
    data = _form_data(supervisor_client, _url(Project, "add")) | {
        "code": "XY-GX-099",
        "name": "新增测试项目",
        "enterprise": str(template.enterprise_id),
        "park": str(template.park_id),
        "level": template.level,
        "total_investment": "1000",
    }
    with time_machine.travel(TODAY, tick=False):
        response = supervisor_client.post(_url(Project, "add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(code="XY-GX-099")
    assert project.stage == Stage.PLANNED
    assert list(project.stage_changes.values_list("from_stage", "to_stage")) == [("", Stage.PLANNED)]
    # Created by projects.services.project_create: its audit entry, by the admin's user.
    entry = AuditEntry.objects.get(action="project.create", object_id=str(project.pk))
    assert entry.actor.username == "demo-supervisor"


def test_a_new_project_starts_at_the_chosen_stage_through_the_service(supervisor_client):
    template = Project.objects.get(code=demo.PROJECT_EQUIPMENT)
    data = _form_data(supervisor_client, _url(Project, "add")) | {
        "code": "XY-GX-098",
        "name": "新增签约项目",
        "enterprise": str(template.enterprise_id),
        "park": str(template.park_id),
        "level": template.level,
        "total_investment": "1000",
    }
    with time_machine.travel(TODAY, tick=False):
        stopped = supervisor_client.post(_url(Project, "add"), data | {"to_stage": Stage.STOPPED})
        future = supervisor_client.post(
            _url(Project, "add"), data | {"to_stage": Stage.SIGNED, "stage_date": "2026-12-01"}
        )
        signed = supervisor_client.post(
            _url(Project, "add"), data | {"to_stage": Stage.SIGNED, "stage_date": "2026-11-02"}
        )
    # Refused by the service's rules, shown on the stage fields; nothing saved.
    assert stopped.status_code == 200 and "errorlist" in stopped.content.decode()
    assert future.status_code == 200 and "errorlist" in future.content.decode()
    assert signed.status_code == 302, signed.content.decode()[:2000]
    project = Project.objects.get(code="XY-GX-098")
    assert (project.stage, project.stage_changed_on) == (Stage.SIGNED, datetime.date(2026, 11, 2))
    assert list(project.stage_changes.values_list("from_stage", "to_stage", "changed_on")) == [
        ("", Stage.SIGNED, datetime.date(2026, 11, 2))
    ]


def test_admin_writes_are_audited(supervisor_client):
    department = Department.objects.get(name="生态环境局")
    url = _url(Department, "change", department.pk)
    data = _form_data(supervisor_client, url) | {"phone": "0516-00000000"}
    assert supervisor_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action="admin.change", object_id=str(department.pk))
    assert entry.changes == {"phone": "0516-00000000"}
    assert entry.actor.username == "demo-supervisor"


def test_the_audit_trail_and_stage_history_are_read_only(supervisor_client):
    project = Project.objects.first()
    entry = AuditEntry.objects.create(
        action="test",
        content_type=ContentType.objects.get_for_model(Project),
        object_id=str(project.pk),
        object_repr="x",
    )
    assert supervisor_client.get(_url(AuditEntry, "add")).status_code == 403
    response = supervisor_client.post(_url(AuditEntry, "delete", entry.pk), {"post": "yes"})
    assert response.status_code == 403
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
