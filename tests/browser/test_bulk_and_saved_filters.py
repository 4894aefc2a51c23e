"""The supervision office's list work in a real Chromium, at 1440 and 390 px (issue 12 item 7):
tick issues on the queue and route them at once (handlers follow the chosen department), and
save the projects list's filters under a name to come back to them with one click."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from issues.models import Issue, Status
from projects.models import Stage
from tests.factories import DepartmentFactory, EnterpriseFactory, IssueFactory, user_with_role

from .conftest import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_supervisor_routes_ticked_issues_and_saves_a_filter(page, live_server, site, screenshots, width, height):
    page.set_viewport_size({"width": width, "height": height})
    land = DepartmentFactory(name="自然资源和规划局", short_name="资规局")
    handler = user_with_role(Role.HANDLER, department=land, name="资规局经办人")
    enterprise = EnterpriseFactory(name="米尔化工有限公司")
    first = IssueFactory(enterprise=enterprise, title="施工许可办理慢")
    second = IssueFactory(enterprise=enterprise, title="用地指标待落实")
    third = IssueFactory(enterprise=enterprise, title="暂不处理的问题")
    log_in(page, live_server, user_with_role(Role.SUPERVISOR, name="督查室主任"))

    page.goto(f"{live_server.url}/issues/queue/")
    page.locator("#bulk-actions > summary").click()
    for issue in (first, second):
        page.locator(f'input[name=issues][value="{issue.pk}"]').check()
    form = page.locator("#bulk-form")
    form.locator("select[name=lead_department]").select_option(str(land.pk))
    expect(form.locator("select[name=handler]")).to_contain_text("资规局经办人")
    form.locator("select[name=handler]").select_option(str(handler.official.pk))
    page.screenshot(path=str(screenshots / f"issues-bulk-{width}.png"), full_page=True)
    assert no_horizontal_scroll(page)
    form.locator("button[type=submit]").click()
    expect(page.locator("#messages")).to_contain_text("已交办 2 件问题")
    for issue in (first, second):
        issue.refresh_from_db()
        assert (issue.status, issue.handler) == (Status.ASSIGNED, handler.official)
    assert Issue.objects.get(pk=third.pk).status == Status.NEW

    # Saved filters on the projects list.
    page.goto(f"{live_server.url}/projects/?stage={Stage.SIGNED}")
    page.locator("#saved-filter-name").fill("签约未开工")
    page.locator(".saved-filters__save button").click()
    expect(page.locator("#messages")).to_contain_text("签约未开工")
    page.goto(f"{live_server.url}/projects/")
    page.locator("#saved-filters").get_by_role("link", name="签约未开工").click()
    page.wait_for_url(f"**/projects/?stage={Stage.SIGNED}")
    expect(page.locator("#results")).to_contain_text("水性超纤配套项目1")
    expect(page.locator("#results")).not_to_contain_text("中新钢铁二期超低排放及余热发电项目")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / f"saved-filters-{width}.png"), full_page=True)
