"""The closed loop of an issue in a real Chromium on a 390-px phone: a service-team member logs it
with a photo, the supervision office assigns it, the department handler acknowledges and resolves
it, the raiser confirms it unsatisfied and it reopens; the timeline shows every step. Also a
leader's site visit with its instructions and the printable assignment sheet; every page fits the
screen at 390 px and 1440 px (screenshots in test-results/screenshots/)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.models import Role
from issues.models import Issue, Satisfaction, Status, Visit
from tests.factories import (
    DepartmentFactory,
    EnterpriseFactory,
    MilestoneFactory,
    ParkFactory,
    ProjectFactory,
    ServiceTeamFactory,
    user_with_role,
)

from .conftest import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def loop(transactional_db):
    """中新钢铁 and its service team, a department that handles land and permits, the supervision office."""
    committee = DepartmentFactory(name="经开区管委会")
    bureau = DepartmentFactory(name="自然资源和规划局", short_name="资规局")
    DepartmentFactory(name="生态环境局")
    park = ParkFactory(name="新沂经济开发区", short_name="经开区", committee=committee)
    steel = EnterpriseFactory(name="中新钢铁集团有限公司", short_name="中新钢铁", park=park)
    EnterpriseFactory(name="米尔化工有限公司", short_name="米尔化工", park=park)
    project = ProjectFactory(
        code="JK-2026-017",
        name="中新钢铁二期超低排放及余热发电项目",
        enterprise=steel,
        park=park,
        responsible_unit=committee,
        total_investment=Decimal("520000"),
    )
    MilestoneFactory(
        project=project, title="取得施工许可证", due_date=timezone.localdate() + datetime.timedelta(days=20)
    )
    staff = user_with_role(Role.STAFF, department=committee, name="驻企专班队员", title="专班队员")
    team = ServiceTeamFactory(name="中新钢铁服务专班")
    team.members.add(staff.official)
    team.enterprises.add(steel)
    return {
        "enterprise": steel,
        "project": project,
        "bureau": bureau,
        "staff": staff,
        "handler": user_with_role(Role.HANDLER, department=bureau, name="资规局办理员", title="科员"),
        "supervisor": user_with_role(
            Role.SUPERVISOR, department=DepartmentFactory(name="督查室"), name="督查室主任", title="主任"
        ),
        "leader": user_with_role(Role.LEADER, department=DepartmentFactory(name="市委"), name="市委书记", title="书记"),
    }


def log_out(page):
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url("**/login/")


def fits(page, screenshots, name):
    """No horizontal scrolling; a full-page screenshot for a person to look at."""
    assert no_horizontal_scroll(page), name
    page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)


def open_issue_from_queue(page, issue):
    page.get_by_role("link", name="问题诉求", exact=True).click()
    page.locator(f"#issue-row-{issue.pk} .rtable__title a").click()
    page.wait_for_url(f"**/issues/{issue.pk}/")


def test_issue_closed_loop_on_a_phone(page, live_server, loop, tiny_png, screenshots):
    page.set_viewport_size(PHONE)

    # 1. The service-team member logs the issue on site, enterprise found by pinyin initials.
    log_in(page, live_server, loop["staff"])
    page.get_by_role("link", name="问题诉求", exact=True).click()
    page.get_by_role("link", name="＋ 登记问题").click()
    page.wait_for_url("**/issues/new/")
    page.fill("#enterprise-search", "zxgt")
    suggestion = page.locator("[data-pick-enterprise]")
    expect(suggestion).to_have_count(1)
    expect(suggestion).to_contain_text("中新钢铁集团有限公司")
    suggestion.click()
    expect(page.locator("#id_enterprise")).to_have_value(str(loop["enterprise"].pk))
    page.select_option("#id_category", "approval")
    page.select_option("#id_project", str(loop["project"].pk))
    page.select_option("#id_blocks_milestone", label="中新钢铁二期超低排放及余热发电项目 · 取得施工许可证")
    page.get_by_text("紧急", exact=True).click()
    page.fill("#id_description", "二期项目施工许可证办理缓慢，影响主厂房开工节点")
    page.set_input_files("#id_photos", str(tiny_png))
    fits(page, screenshots, "issue-new-390")
    page.get_by_role("button", name="登记问题").click()

    issue = Issue.objects.get()
    page.wait_for_url(f"**/issues/{issue.pk}/")
    expect(page.locator("#messages")).to_contain_text(f"问题 #{issue.pk} 已登记")
    expect(page.locator("#issue-status")).to_have_text("待交办")
    photo = page.locator(".photos img")
    expect(photo).to_have_count(1)
    photo.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth === 64", arg=photo.element_handle())
    assert issue.raised_by == loop["staff"]
    assert issue.photos.count() == 1
    fits(page, screenshots, "issue-logged-390")
    log_out(page)

    # 2. The supervision office routes it to the bureau.
    log_in(page, live_server, loop["supervisor"])
    open_issue_from_queue(page, issue)
    page.locator("#action-assign summary").click()
    page.select_option("#id_assign-lead_department", str(loop["bureau"].pk))
    page.fill("#id_assign-note", "请资规局三个工作日内回音")
    fits(page, screenshots, "issue-assign-390")
    page.locator("#action-assign").get_by_role("button", name="交办").click()
    expect(page.locator("#issue-status")).to_have_text("已交办")
    expect(page.locator("#lead-department")).to_have_text("自然资源和规划局")
    log_out(page)

    # 3. The department handler acknowledges it from the queue, then resolves it.
    log_in(page, live_server, loop["handler"])
    page.get_by_role("link", name="问题诉求", exact=True).click()
    page.wait_for_url("**/issues/queue/")
    row = page.locator(f"#issue-row-{issue.pk}")
    expect(row).to_contain_text("二期项目施工许可证办理缓慢")
    fits(page, screenshots, "issue-queue-390")
    row.get_by_role("button", name="签收回音").click()
    page.wait_for_url(re.compile(rf"/issues/{issue.pk}/#timeline$"))
    expect(page.locator("#issue-status")).to_have_text("办理中")
    page.locator("#action-resolve summary").click()
    page.locator("#action-resolve").get_by_text("已解决", exact=True).click()
    page.fill("#id_resolve-note", "已开辟绿色通道，施工许可证于本周核发")
    page.locator("#action-resolve").get_by_role("button", name="办结").click()
    expect(page.locator("#issue-status")).to_have_text("已办结")
    log_out(page)

    # 4. The raiser confirms with the enterprise: unsatisfied, so it reopens.
    log_in(page, live_server, loop["staff"])
    open_issue_from_queue(page, issue)
    page.locator("#action-confirm summary").click()
    page.locator("#action-confirm").get_by_text("不满意", exact=True).click()
    page.fill("#id_confirm-note", "企业反映许可证仍未拿到")
    fits(page, screenshots, "issue-confirm-390")
    page.locator("#action-confirm").get_by_role("button", name="保存评价").click()
    expect(page.locator("#issue-status")).to_have_text("办理中")

    timeline = page.locator("#timeline .issue-event")
    expect(timeline).to_have_count(5)
    assert [timeline.nth(i).get_attribute("data-action") for i in range(5)] == [
        "raise",
        "assign",
        "acknowledge",
        "resolve",
        "reopen",
    ]
    expect(timeline.nth(4)).to_contain_text("企业反映许可证仍未拿到")
    expect(timeline.nth(4)).to_contain_text("驻企专班队员")
    issue.refresh_from_db()
    assert (issue.status, issue.satisfaction, issue.reopened_count) == (
        Status.IN_PROGRESS,
        Satisfaction.UNSATISFIED,
        1,
    )
    fits(page, screenshots, "issue-reopened-390")

    page.set_viewport_size(DESKTOP)
    page.reload()
    fits(page, screenshots, "issue-reopened-1440")

    # The permit holds up the project's milestone: the project page says so, above and in place.
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/projects/{loop['project'].pk}/")
    blocking = page.locator("#blocking-issues")
    expect(blocking).to_contain_text("二期项目施工许可证办理缓慢")
    expect(blocking).to_contain_text("取得施工许可证")
    expect(page.locator(".milestone__blocked")).to_contain_text(f"#{issue.pk}")
    fits(page, screenshots, "project-blocked-390")


def test_a_stale_page_is_told_to_reload(browser, live_server, loop):
    """Two handlers have the issue open; the first resolves it, the second is told to reload."""
    from issues import services

    issue = services.issue_create(
        by=loop["supervisor"],
        enterprise=loop["enterprise"],
        category="land",
        description="用地指标不足",
        lead_department=loop["bureau"],
    )
    services.issue_transition(issue=issue, action="acknowledge", by=loop["handler"])
    colleague = user_with_role(Role.HANDLER, department=loop["bureau"], name="资规局科长")
    pages = []
    for user in (loop["handler"], colleague):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        log_in(page, live_server, user)
        page.goto(f"{live_server.url}/issues/{issue.pk}/")
        page.locator("#action-resolve summary").click()
        page.locator("#action-resolve").get_by_text("已解决", exact=True).click()
        page.fill("#id_resolve-note", f"{user.official.name}办结")
        pages.append(page)
    try:
        pages[0].locator("#action-resolve").get_by_role("button", name="办结").click()
        expect(pages[0].locator("#issue-status")).to_have_text("已办结")
        pages[1].locator("#action-resolve").get_by_role("button", name="办结").click()
        expect(pages[1].locator("#action-error")).to_contain_text("重新加载")
        assert Issue.objects.get().events.filter(action="resolve").count() == 1
    finally:
        for page in pages:
            page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1440"])
def test_leader_records_a_visit_and_prints_the_assignment_sheet(page, live_server, loop, screenshots, viewport):
    width = viewport["width"]
    page.set_viewport_size(viewport)
    log_in(page, live_server, loop["leader"])
    page.get_by_role("link", name="现场办公").click()
    page.get_by_role("link", name="＋ 记录现场办公").click()
    page.wait_for_url("**/visits/new/")
    page.fill("#id_location", "中新钢铁二期项目现场")
    page.locator("#id_leaders").get_by_text("市委书记").click()
    page.fill("#id_attendees", "经开区管委会、自然资源和规划局、生态环境局")
    page.fill("#id_summary", "加快二期项目建设进度，围绕产业链招引上下游企业。")

    first = page.locator("[data-formset-row]").nth(0)
    first.locator("textarea").fill("加快二期项目施工许可办理")
    first.locator("select[name$='-enterprise']").select_option(str(loop["enterprise"].pk))
    first.locator("select[name$='-category']").select_option("approval")
    first.locator("select[name$='-lead_department']").select_option(str(loop["bureau"].pk))
    page.get_by_role("button", name="＋ 增加一条交办事项").click()
    second = page.locator("[data-formset-row]").nth(1)
    expect(second).to_contain_text("交办事项 2")
    second.locator("textarea").fill("落实24小时驻企服务专班")
    second.locator("select[name$='-enterprise']").select_option(str(loop["enterprise"].pk))
    second.locator("select[name$='-category']").select_option("other")
    second.locator("select[name$='-lead_department']").select_option(label="经开区管委会")
    deadline = timezone.localdate() + datetime.timedelta(days=10)
    second.locator("input[type=date]").fill(deadline.isoformat())
    fits(page, screenshots, f"visit-new-{width}")
    page.get_by_role("button", name="保存现场办公").click()

    visit = Visit.objects.get()
    page.wait_for_url(f"**/visits/{visit.pk}/")
    expect(page.locator("#messages")).to_contain_text("2")
    expect(page.locator("#closed-off-count")).to_contain_text("0 / 2")
    expect(page.locator(".instructions-table tbody tr")).to_have_count(2)
    fits(page, screenshots, f"visit-detail-{width}")

    page.get_by_role("link", name="纪要和交办单（打印）").click()
    page.wait_for_url(f"**/visits/{visit.pk}/sheet/")
    expect(page.locator(".sheet")).to_contain_text("自然资源和规划局")
    expect(page.locator(".sheet")).to_contain_text(f"{deadline.year}年{deadline.month}月{deadline.day}日")
    fits(page, screenshots, f"visit-sheet-{width}")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.screenshot(path=str(screenshots / f"visit-sheet-print-{width}.png"), full_page=True)
    page.emulate_media(media="screen")

    # The list of issues with its filters fits too.
    page.goto(f"{live_server.url}/issues/all/?source=site_visit")
    expect(page.locator(".issue-table tbody tr")).to_have_count(2)
    fits(page, screenshots, f"issue-list-{width}")

    # A leader's logging form has the instruction fields folded away.
    page.goto(f"{live_server.url}/issues/new/")
    page.locator(".instruction-fields summary").click()
    expect(page.locator("#id_lead_department")).to_be_visible()
    fits(page, screenshots, f"issue-new-leader-{width}")
