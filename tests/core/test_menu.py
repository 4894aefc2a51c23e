"""Menus and links by role: nobody is offered a link that answers 403/404 or an empty page by
design; a handler reads the project context on the issue page without the project page."""

import re

import pytest
from django.contrib.auth import get_user_model

from core.menu import MAIN_MENU
from core.models import Role
from issues.models import Issue, Status
from tests.factories import (
    PASSWORD,
    DepartmentFactory,
    IssueFactory,
    MilestoneFactory,
    ProjectFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db


def menu_of(client, user) -> dict[str, str]:
    client.login(username=user.username, password=PASSWORD)
    body = client.get("/issues/all/").content.decode()
    nav = re.search(r'<nav class="site-nav".*?</nav>', body, re.S)
    if nav is None:
        return {}
    return {key: url for url, key in re.findall(r'href="([^"]+)" data-menu="([^"]+)"', nav.group(0))}


@pytest.fixture
def handler_world():
    land = DepartmentFactory(name="自然资源和规划局")
    handler = user_with_role(Role.HANDLER, department=land, name="办理人")
    committee = DepartmentFactory(name="经开区管委会")
    project = ProjectFactory(name="水性超纤产业园", responsible_unit=committee, total_investment=1000000)
    issue = IssueFactory(
        enterprise=project.enterprise,
        project=project,
        title="用地指标",
        status=Status.ASSIGNED,
        lead_department=land,
    )
    return {"handler": handler, "project": project, "issue": issue, "land": land}


def test_a_handler_whose_department_answers_for_no_project_gets_no_cockpit_or_project_entries(client, handler_world):
    entries = menu_of(client, handler_world["handler"])
    assert "issues" in entries and "enterprises" in entries
    assert not {"cockpit", "projects", "funding", "map"} & set(entries)
    # Every entry shown answers 200 for this user.
    for url in entries.values():
        assert client.get(url, follow=True).status_code == 200, url


def test_a_handler_whose_department_is_responsible_for_a_project_gets_them(client, handler_world):
    ProjectFactory(responsible_unit=handler_world["land"])
    entries = menu_of(client, handler_world["handler"])
    assert {"cockpit", "projects", "issues"} <= set(entries)


def menu_queries(user) -> tuple[set, int]:
    """The entries shown to `user` and the queries the menu cost."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    request = type("R", (), {"user": get_user_model().objects.select_related("official").get(pk=user.pk)})()
    with CaptureQueriesContext(connection) as queries:
        shown = MAIN_MENU.entries_for(request)
    return {e.key for e in shown}, len(queries)


@pytest.mark.parametrize("role", [Role.LEADER, Role.SUPERVISOR])
def test_leaders_and_supervisors_see_every_entry(client, role):
    user = user_with_role(role)
    entries = menu_of(client, user)
    assert {"cockpit", "projects", "enterprises", "issues", "visits", "campaigns", "intake", "funding", "map"} <= set(
        entries
    )
    # The project rule costs them nothing: they read every project.
    _, before = menu_queries(user)
    ProjectFactory.create_batch(3)
    _, after = menu_queries(user)
    assert after == before


def test_the_menu_costs_the_same_few_queries_whatever_the_data(client):
    user = user_with_role(Role.OFFICIAL)
    shown, before = menu_queries(user)
    assert "intake" in shown
    assert "projects" not in shown  # no project of theirs yet
    ProjectFactory.create_batch(5, responsible_unit=user.official.department)
    shown, after = menu_queries(user)
    assert "projects" in shown
    assert after == before <= len(MAIN_MENU.registered())


def test_the_current_entry_is_marked(client):
    user = user_with_role(Role.SUPERVISOR)
    client.login(username=user.username, password=PASSWORD)
    body = client.get("/dashboard/map/").content.decode()
    assert re.search(r'data-menu="map" aria-current="page"', body)
    assert not re.search(r'data-menu="cockpit" aria-current="page"', body)


def test_a_user_without_a_role_is_told_why_instead_of_an_empty_list(client):
    get_user_model().objects.create_user("nobody", password=PASSWORD)
    client.login(username="nobody", password=PASSWORD)
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="no-role"' in body
    assert 'class="site-nav"' not in body


def test_the_issue_page_gives_a_handler_the_project_context_without_a_dead_link(client, handler_world):
    issue, project = handler_world["issue"], handler_world["project"]
    milestone = MilestoneFactory(project=project, title="土地摘牌")
    Issue.objects.filter(pk=issue.pk).update(blocks_milestone=milestone)
    client.login(username=handler_world["handler"].username, password=PASSWORD)
    assert client.get(f"/projects/{project.pk}/").status_code == 404
    body = client.get(f"/issues/{issue.pk}/").content.decode()
    assert f"/projects/{project.pk}/" not in body
    context = re.search(r'id="project-context".*?</section>', body, re.S).group(0)
    assert project.name in context and project.code in context
    assert "经开区管委会" in context  # responsible unit
    assert project.enterprise.name in context
    assert "土地摘牌" in context
    assert project.get_stage_display() in context


def test_the_issue_page_links_the_project_for_those_who_may_open_it(client, handler_world):
    issue, project = handler_world["issue"], handler_world["project"]
    leader = user_with_role(Role.LEADER)
    client.login(username=leader.username, password=PASSWORD)
    body = client.get(f"/issues/{issue.pk}/").content.decode()
    assert f'href="/projects/{project.pk}/"' in body
    assert client.get(f"/projects/{project.pk}/").status_code == 200


def test_a_visit_page_does_not_link_projects_the_user_cannot_open(client, handler_world):
    from tests.factories import VisitFactory

    visit = VisitFactory()
    visit.projects.add(handler_world["project"])
    Issue.objects.filter(pk=handler_world["issue"].pk).update(visit=visit)
    client.login(username=handler_world["handler"].username, password=PASSWORD)
    response = client.get(f"/visits/{visit.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert handler_world["project"].name in body
    assert f"/projects/{handler_world['project'].pk}/" not in body
