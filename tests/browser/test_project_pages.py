"""The project pages in a real Chromium: an official reports and closes a milestone, a service-team
member is refused, and the pages fit a 390-px phone."""

import pytest
from playwright.sync_api import expect

from projects.models import Milestone, ProgressReport

from .conftest import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_project(page, live_server, project):
    page.goto(f"{live_server.url}/projects/")
    page.get_by_role("link", name=project.name).click()
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")


def test_official_submits_this_months_report_with_a_photo_and_marks_a_milestone_done(page, live_server, site, tiny_png):
    project, today = site["project"], site["today"]
    log_in(page, live_server, site["official"])
    expect(page.locator(".account-menu__name")).to_have_text("经开区项目科长")
    open_project(page, live_server, project)
    expect(page.locator("#cumulative-investment")).to_contain_text("8,000")

    # The monthly report: month defaults to this month; a photo from the "camera".
    page.get_by_text("填报月度进度").click()
    form = page.locator("#report-form")
    expect(form.locator("input[name=month]")).to_have_value(today.strftime("%Y-%m"))
    form.locator("input[name=investment]").fill("1500")
    form.locator("input[name=percent_complete]").fill("42")
    form.locator("textarea[name=physical_progress]").fill("主厂房钢结构吊装完成，余热锅炉基础施工中")
    form.locator("input[name=photos]").set_input_files(str(tiny_png))
    form.get_by_role("button", name="提交月报").click()

    expect(page.locator("#messages")).to_contain_text(f"{today.year}年{today.month}月的月报已提交")
    expect(page.locator("#cumulative-investment")).to_contain_text("9,500")
    newest = page.locator(".report").first
    expect(newest).to_contain_text("主厂房钢结构吊装完成")
    expect(newest.locator(".report__cumulative")).to_contain_text("9,500")
    thumbnail = newest.locator(".photos img")
    expect(thumbnail).to_have_count(1)
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=thumbnail.element_handle())
    report = ProgressReport.objects.get(project=project, month=today.replace(day=1))
    assert report.photos.count() == 1
    assert report.submitted_by == site["official"]

    # A milestone done, with evidence.
    milestone = site["milestone"]
    item = page.locator(f"#milestone-{milestone.pk}")
    expect(item.locator(".badge")).to_have_text("即将到期")
    item.get_by_text("标记完成").click()
    item.locator("textarea[name=evidence]").fill("监理单位验收签字，照片已存档")
    item.get_by_role("button", name="确认完成").click()

    expect(page.locator("#messages")).to_contain_text("节点“主厂房封顶”已标记完成")
    item = page.locator(f"#milestone-{milestone.pk}")
    expect(item.locator(".badge")).to_have_text("已完成")
    expect(item).to_contain_text("监理单位验收签字")
    milestone.refresh_from_db()
    assert milestone.completed_on == today
    assert milestone.evidence == "监理单位验收签字，照片已存档"


def test_bad_report_input_shows_the_error_on_the_field_and_keeps_the_form_open(page, live_server, site, screenshots):
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, site["official"])
    open_project(page, live_server, site["project"])
    page.get_by_text("填报月度进度").click()
    form = page.locator("#report-form")
    form.locator("input[name=investment]").fill("-20")
    form.locator("textarea[name=physical_progress]").fill("场平")
    form.get_by_role("button", name="提交月报").click()

    expect(page.locator("#id_investment_errors")).to_have_text("金额不能为负数。")
    expect(page.locator("#report-form")).to_be_visible()
    expect(page.locator("#report-form textarea[name=physical_progress]")).to_have_value("场平")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / "report-errors-390.png"))
    assert not ProgressReport.objects.filter(project=site["project"], month=site["today"].replace(day=1)).exists()


def test_forms_work_without_javascript(browser, live_server, site):
    """The plain-form path: no htmx, the browser posts and follows the redirect itself."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server, site["official"])
        open_project(page, live_server, site["project"])
        page.locator("#stage summary").click()
        page.select_option("#id_to_stage", "signed")
        page.locator("#stage-form").get_by_role("button", name="变更阶段").click()
        expect(page.locator("#id_reason_errors")).to_contain_text("退回较早阶段需要说明原因")

        page.fill("#id_reason", "用地手续退回重报")
        page.locator("#stage-form").get_by_role("button", name="变更阶段").click()
        # A move back is confirmed on a page of its own, which lists what it affects.
        page.get_by_test_id("stage-confirm").get_by_role("button", name="确认变更").click()
        expect(page.locator("#messages")).to_contain_text("阶段已变更为签约")
        expect(page.locator(".timeline")).to_contain_text("用地手续退回重报")
    finally:
        context.close()


def test_service_team_member_sees_no_edit_forms_and_a_direct_post_is_refused(page, live_server, site):
    project, milestone = site["project"], site["milestone"]
    log_in(page, live_server, site["staff"])
    open_project(page, live_server, project)
    expect(page.locator("h1")).to_contain_text(project.name)
    expect(page.locator("#report-form")).to_have_count(0)
    expect(page.locator("#stage-form")).to_have_count(0)
    expect(page.locator(".milestone-form")).to_have_count(0)
    expect(page.get_by_text("填报月度进度")).to_have_count(0)

    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    headers = {"X-CSRFToken": csrf, "Referer": page.url}
    base = f"{live_server.url}/projects/{project.pk}"
    report = page.request.post(
        f"{base}/reports/",
        headers=headers,
        multipart={"month": site["today"].strftime("%Y-%m"), "investment": "100", "physical_progress": "x"},
    )
    assert report.status == 403
    stage = page.request.post(f"{base}/stage/", headers=headers, form={"to_stage": "completed"})
    assert stage.status == 403
    done = page.request.post(
        f"{base}/milestones/{milestone.pk}/complete/", headers=headers, form={"evidence": "已完成"}
    )
    assert done.status == 403
    assert not ProgressReport.objects.filter(project=project, month=site["today"].replace(day=1)).exists()
    assert Milestone.objects.get(pk=milestone.pk).completed_on is None


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1440, 900)])
def test_list_and_project_page_fit_the_screen(page, live_server, site, screenshots, width, height):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, site["official"])
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / f"projects-list-{width}.png"), full_page=True)

    open_project(page, live_server, site["project"])
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / f"project-page-{width}.png"), full_page=True)

    # With the forms open (the longest labels and the file input) it still fits.
    page.get_by_text("填报月度进度").click()
    page.locator(f"#milestone-{site['milestone'].pk}").get_by_text("标记完成").click()
    page.locator("#stage summary").click()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / f"project-forms-{width}.png"), full_page=True)

    page.goto(f"{live_server.url}/enterprises/")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / f"enterprises-{width}.png"), full_page=True)

    page.locator(".account-menu summary").click()
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / f"account-menu-{width}.png"))


def test_login_page_fits_a_phone(page, live_server, screenshots, transactional_db):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    expect(page.locator("h1")).to_have_text("登录")
    expect(page).to_have_title("登录 · 重大项目推进平台")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(screenshots / "login-390.png"), full_page=True)


def test_search_narrows_the_list_as_you_type(page, live_server, site):
    log_in(page, live_server, site["official"])
    rows = page.locator(".project-table tbody tr")
    expect(rows).to_have_count(5)
    page.fill("#id_q", "zxgt")
    expect(rows).to_have_count(2)  # 中新钢铁 and its phase II
    expect(page).to_have_url(f"{live_server.url}/projects/?q=zxgt")
    page.fill("#id_q", "sxcx")
    expect(rows).to_have_count(3)
    expect(page.locator(".results__count")).to_contain_text("共 3 个项目")
