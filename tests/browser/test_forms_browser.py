"""Forms that prevent errors, in a real Chromium (issue 12 item 6): the assign form's handler list
follows the lead department; a field shown in red clears once it is put right; a value the browser
can already tell is wrong is marked on leaving the field, in its one error list."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from tests.factories import DepartmentFactory, EnterpriseFactory, IssueFactory, user_with_role

from .conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_assign_lists_the_handlers_of_the_chosen_department(page, live_server, transactional_db, width, height):
    page.set_viewport_size({"width": width, "height": height})
    land = DepartmentFactory(name="自然资源和规划局", short_name="资规局")
    green = DepartmentFactory(name="生态环境局", short_name="环保局")
    land_handler = user_with_role(Role.HANDLER, department=land, name="资规局经办人")
    green_handler = user_with_role(Role.HANDLER, department=green, name="环保局经办人")
    issue = IssueFactory(enterprise=EnterpriseFactory(name="中新钢铁集团有限公司"), title="施工许可办理慢")
    log_in(page, live_server, user_with_role(Role.SUPERVISOR))
    page.goto(f"{live_server.url}/issues/{issue.pk}/")

    form = page.locator("#action-assign")
    form.locator("summary").click()
    handler = form.locator("select[name=assign-handler]")
    expect(handler.locator("option")).to_have_count(1)  # no department yet: no handler to choose
    form.locator("select[name=assign-lead_department]").select_option(str(land.pk))
    expect(handler.locator("option")).to_have_count(2)
    expect(handler).to_contain_text("资规局经办人")
    handler.select_option(str(land_handler.official.pk))
    form.locator("select[name=assign-lead_department]").select_option(str(green.pk))
    expect(handler).to_contain_text("环保局经办人")
    expect(handler).not_to_contain_text("资规局经办人")
    expect(handler).to_have_value("")  # the other department's handler is not kept
    handler.select_option(str(green_handler.official.pk))
    form.get_by_role("button", name="交办").click()
    expect(page.locator(".issue-event").first).to_contain_text("环保局经办人")
    issue.refresh_from_db()
    assert issue.handler == green_handler.official


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_red_clears_once_the_field_is_right(page, live_server, transactional_db, width, height):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, user_with_role(Role.SUPERVISOR))
    page.goto(f"{live_server.url}/campaigns/new/")
    page.locator("#id_start_date").fill("")
    page.locator("form.form button[type=submit]").click()

    name_field = page.locator(".field", has=page.locator("#id_name"))
    expect(name_field).to_have_class(lambda_has("field--invalid"))
    expect(page.locator("#content")).to_contain_text("此项为必填项")
    assert page.locator(".field--invalid").count() == 2  # name and start date, each once
    assert page.locator(".alert-error").count() == 0
    page.locator("#id_name").fill("冬季攻坚")
    expect(name_field).not_to_have_class(lambda_has("field--invalid"))
    expect(name_field.locator(".errorlist")).to_be_hidden()

    # A value out of range is said on leaving the field, in its one list; fixing it clears it.
    goal = page.locator("#id_goal_projects_to_start")
    goal_field = page.locator(".field", has=goal)
    goal.fill("-3")
    goal.blur()
    expect(goal_field).to_have_class(lambda_has("field--invalid"))
    expect(goal_field.locator(".errorlist li")).to_have_count(1)
    goal.fill("12")
    expect(goal_field).not_to_have_class(lambda_has("field--invalid"))


def lambda_has(name):
    import re

    return re.compile(rf"(^|\s){name}(\s|$)")
