"""Each role's daily journey in a real Chromium, at 1440 px and on a 390-px phone, with a
screenshot of each step for a person to look at (test-results/screenshots/):

- handler: lands on the issue queue; the menu offers no 驾驶舱/项目; the issue page shows the
  project context without a link that would answer 404;
- official: corrects this month's report (filing it again offers the correction), stops a
  project through the confirmation step and revives it with a reason;
- leader and supervisor: land on the cockpit with the full menu; the weekly briefing reads right;
- staff: lands on the issue queue;
- every role: the menu shows whole labels, the current one in view, nothing overflows.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from core.models import Role
from issues.models import Status
from projects.models import ProgressReport, Project, Stage
from tests.factories import DepartmentFactory, IssueFactory, ProgressReportFactory, user_with_role

from .conftest import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desk": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page_at(browser, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def shot(page, screenshots, name, viewport):
    page.screenshot(path=str(screenshots / f"journey-{name}-{viewport}.png"), full_page=True)


def menu_is_whole_and_in_view(page) -> bool:
    """Every menu entry fits inside the viewport width (no label cut at the edge)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.site-nav a')].every(a => {
            const r = a.getBoundingClientRect();
            return r.left >= 0 && r.right <= document.documentElement.clientWidth + 0.5;
        })"""
    )


@pytest.fixture
def handler_issue(site):
    land = DepartmentFactory(name="自然资源和规划局")
    handler = user_with_role(Role.HANDLER, department=land, name="自然资源局办理人")
    project = site["project"]
    issue = IssueFactory(
        project=project,
        enterprise=project.enterprise,
        title="二期用地指标未落实",
        status=Status.ASSIGNED,
        lead_department=land,
    )
    return handler, issue


def test_handler_works_from_the_queue_and_reads_the_project_context(
    page_at, live_server, site, handler_issue, screenshots, viewport
):
    page = page_at
    handler, issue = handler_issue
    log_in(page, live_server, handler)
    assert page.url.startswith(f"{live_server.url}/issues/")
    nav = page.locator(".site-nav")
    expect(nav.locator("a")).not_to_have_count(0)
    expect(nav.get_by_role("link", name="驾驶舱")).to_have_count(0)
    expect(nav.get_by_role("link", name="项目", exact=True)).to_have_count(0)
    expect(nav.get_by_role("link", name="问题诉求")).to_have_attribute("aria-current", "page")
    shot(page, screenshots, "handler-queue", viewport)

    page.goto(f"{live_server.url}/issues/{issue.pk}/")
    context = page.locator("#project-context")
    expect(context).to_contain_text(site["project"].name)
    expect(context).to_contain_text("经开区管委会")
    expect(context).to_contain_text("中新钢铁")
    expect(page.locator(f'a[href^="/projects/{site["project"].pk}/"]')).to_have_count(0)
    assert no_horizontal_scroll(page)
    assert menu_is_whole_and_in_view(page)
    shot(page, screenshots, "handler-issue", viewport)


def test_official_corrects_this_months_report(page_at, live_server, site, screenshots, viewport):
    page = page_at
    project, today = site["project"], site["today"]
    report = ProgressReportFactory(
        project=project, month=today.replace(day=1), investment="1000", physical_progress="主厂房基础施工"
    )
    log_in(page, live_server, site["official"])
    page.goto(f"{live_server.url}/projects/{project.pk}/")
    expect(page.get_by_test_id("this-month-filed")).to_be_visible()

    # Filing this month again offers the correction, keeping what was typed.
    page.get_by_text("填报月度进度").click()
    form = page.locator("#report-form")
    form.locator("input[name=investment]").fill("1200")
    form.locator("textarea[name=physical_progress]").fill("主厂房钢结构吊装完成")
    form.get_by_role("button", name="提交月报").click()
    expect(page.get_by_test_id("report-exists")).to_be_visible()
    correction = page.locator("#correction-form")
    expect(correction.locator("input[name=investment]")).to_have_value(re.compile(r"^1200"))
    shot(page, screenshots, "official-correction", viewport)
    correction.get_by_role("button", name="保存更正").click()
    expect(page.locator("#messages")).to_contain_text("月报已更正")
    report.refresh_from_db()
    assert (report.investment, report.physical_progress) == (1200, "主厂房钢结构吊装完成")
    assert ProgressReport.objects.filter(project=project).count() == 2  # last month's and this one
    assert no_horizontal_scroll(page)

    # The correction page lists the change, before → after.
    page.goto(f"{live_server.url}/projects/{project.pk}/reports/{report.pk}/correct/")
    expect(page.locator("#corrections")).to_contain_text("主厂房基础施工")
    expect(page.locator("#corrections")).to_contain_text("主厂房钢结构吊装完成")
    shot(page, screenshots, "official-correction-history", viewport)


def test_official_stops_a_project_after_confirming_and_revives_it_with_a_reason(
    page_at, live_server, site, screenshots, viewport
):
    page = page_at
    project = site["project"]
    Project.objects.filter(pk=project.pk).update(stage_changed_on=site["today"] - datetime.timedelta(days=30))
    log_in(page, live_server, site["official"])
    page.goto(f"{live_server.url}/projects/{project.pk}/#stage")
    page.locator("#stage summary").click()
    form = page.locator("#stage-form")
    form.locator("select[name=to_stage]").select_option(Stage.STOPPED)
    form.get_by_role("button", name="变更阶段").click()
    expect(page.locator("#id_reason_errors")).to_contain_text("终止项目需要说明原因")
    page.locator("#stage-form textarea[name=reason]").fill("投资方战略调整")
    page.locator("#stage-form").get_by_role("button", name="变更阶段").click()

    confirm = page.get_by_test_id("stage-confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text("投资方战略调整")
    expect(confirm.get_by_test_id("consequences")).to_contain_text("节点")
    assert no_horizontal_scroll(page)
    shot(page, screenshots, "official-stop-confirm", viewport)
    assert Project.objects.get(pk=project.pk).stage == Stage.UNDER_CONSTRUCTION
    confirm.get_by_role("button", name="确认变更").click()
    expect(page.locator("#messages")).to_contain_text("终止")
    assert Project.objects.get(pk=project.pk).stage == Stage.STOPPED

    # Reviving needs a reason too.
    page.locator("#stage summary").click()
    page.locator("#stage-form select[name=to_stage]").select_option(Stage.UNDER_CONSTRUCTION)
    page.locator("#stage-form").get_by_role("button", name="变更阶段").click()
    expect(page.locator("#id_reason_errors")).to_contain_text("恢复已终止的项目需要说明原因")
    page.locator("#stage-form textarea[name=reason]").fill("新投资方接手")
    page.locator("#stage-form").get_by_role("button", name="变更阶段").click()
    page.get_by_test_id("stage-confirm").get_by_role("button", name="确认变更").click()
    expect(page.locator("#messages")).to_contain_text("在建")
    assert Project.objects.get(pk=project.pk).stage == Stage.UNDER_CONSTRUCTION


@pytest.mark.parametrize(
    ("role", "lands_on", "current"),
    [
        (Role.LEADER, "/dashboard/", "驾驶舱"),
        (Role.SUPERVISOR, "/dashboard/", "驾驶舱"),
        (Role.STAFF, "/issues/", "问题诉求"),
        (Role.OFFICIAL, "/projects/", "项目"),
    ],
)
def test_each_role_lands_on_its_first_screen_with_a_whole_menu(
    page_at, live_server, site, screenshots, viewport, role, lands_on, current
):
    page = page_at
    user = {Role.STAFF: site["staff"], Role.OFFICIAL: site["official"]}.get(role) or user_with_role(role)
    log_in(page, live_server, user)
    assert page.url.startswith(f"{live_server.url}{lands_on}")
    expect(page.locator(".site-nav [aria-current=page]")).to_have_text(current)
    assert menu_is_whole_and_in_view(page)
    assert no_horizontal_scroll(page)
    # Every menu entry opens.
    for href in page.locator(".site-nav a").evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        response = page.request.get(f"{live_server.url}{href}")
        assert response.status < 400, href
    shot(page, screenshots, f"first-screen-{role}", viewport)


def test_the_weekly_briefing_reads_right(page_at, live_server, site, screenshots, viewport):
    page = page_at
    log_in(page, live_server, user_with_role(Role.LEADER))
    page.goto(f"{live_server.url}/dashboard/briefing/")
    statement = page.get_by_test_id("reports-statement")
    expect(statement).to_be_visible()
    text = statement.inner_text().strip()
    assert not text.endswith(("：", ":"))
    assert "月报" in text
    shot(page, screenshots, "leader-briefing", viewport)
