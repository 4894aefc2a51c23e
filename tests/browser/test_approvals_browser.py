"""Pre-construction approvals in a real Chromium on a 390-px phone: an official creates the
checklist from the project type, records that 环评 was applied for (the due date appears in
working days), uploads the application form; the approving department's handler records the
approval on their phone; a leader sees the figures per department. No horizontal scrolling."""

import pytest
from playwright.sync_api import expect

from approvals.models import ApprovalItem, Status
from approvals.services import item_types_fill_departments
from core.models import Role
from tests.factories import DepartmentFactory, user_with_role

from .conftest import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_approval_from_checklist_to_approved_on_a_phone(browser, live_server, site, tiny_png, screenshots):
    supervisor = user_with_role(Role.SUPERVISOR, name="督查专员")
    eco = DepartmentFactory(name="生态环境局", short_name="生态环境局")
    handler = user_with_role(Role.HANDLER, department=eco, name="环评科科长")
    leader = user_with_role(Role.LEADER, name="市委书记")
    item_types_fill_departments(by=supervisor, departments={"环评": eco})
    project = site["project"]
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    try:
        page = phone.new_page()
        log_in(page, live_server, site["official"])
        page.goto(f"{live_server.url}/projects/{project.pk}/")
        page.locator("#approvals").get_by_role("link", name="按项目类型生成").click()
        form = page.locator("#checklist-form")
        form.get_by_label("项目类型").select_option(label="新建工业项目")
        form.get_by_role("button", name="保存").click()
        expect(page.locator("#messages")).to_contain_text("新增 8 项")
        assert no_horizontal_scroll(page)
        page.screenshot(path=screenshots / "approvals-checklist-390.png", full_page=True)

        page.locator("#approval-items").get_by_role("link", name="环评").click()
        page.get_by_text("已申报（受理）", exact=True).first.click()
        step = page.locator("#step-start")
        step.get_by_label("申报日期").fill("2099-01-01")
        step.get_by_role("button", name="已申报（受理）").click()
        expect(page.locator("#step-start")).to_contain_text("该日期不能晚于今天。")
        page.locator("#step-start").get_by_label("申报日期").fill(
            ApprovalItem.objects.get(project=project, name="环评").created_at.date().isoformat()
        )
        page.locator("#step-start").get_by_role("button", name="已申报（受理）").click()
        expect(page.locator("[data-testid=item-status]")).to_contain_text("办理中")
        expect(page.locator("[data-testid=item-due]")).not_to_have_text("—")
        document = page.locator("#document-form")
        document.get_by_label("文件").set_input_files(str(tiny_png))
        document.get_by_label("标题").fill("环评申请受理回执")
        document.get_by_role("button", name="上传材料").click()
        expect(page.locator("#documents")).to_contain_text("环评申请受理回执")
        assert no_horizontal_scroll(page)
        page.screenshot(path=screenshots / "approvals-item-390.png", full_page=True)
        item = ApprovalItem.objects.get(project=project, name="环评")
        assert item.status == Status.IN_PROGRESS and item.due_date is not None

        page.context.clear_cookies()
        log_in(page, live_server, handler)
        page.goto(f"{live_server.url}/approvals/items/{item.pk}/")
        page.get_by_text("已批复（办结）", exact=True).first.click()
        step = page.locator("#step-approve")
        step.get_by_label("批复日期").fill(item.applied_on.isoformat())
        step.get_by_label("批复文号").fill("新环审〔2026〕12号")
        step.get_by_role("button", name="已批复（办结）").click()
        expect(page.locator("[data-testid=item-status]")).to_contain_text("已办结")
        assert no_horizontal_scroll(page)

        page.context.clear_cookies()
        log_in(page, live_server, leader)
        page.goto(f"{live_server.url}/approvals/departments/")
        expect(page.locator("#department-figures")).to_contain_text("生态环境局")
        assert page.locator("#step-start").count() == 0
        assert no_horizontal_scroll(page)
        page.screenshot(path=screenshots / "approvals-departments-390.png", full_page=True)
    finally:
        phone.close()
