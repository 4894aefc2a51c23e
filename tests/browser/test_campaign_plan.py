"""A supervisor plans a new campaign in a real Chromium (issue 12 item 5), on a desktop and on a
phone: the empty campaign says what to do, projects are found by pinyin initials, a milestone is
added, rows pasted from Excel are previewed with their errors, fixed and saved."""

import datetime

import pytest
from playwright.sync_api import expect

from campaigns.models import Campaign
from core.models import Role
from projects.models import Milestone
from tests.factories import user_with_role

from .conftest import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_supervisor_plans_a_campaign(page, live_server, site, screenshots, width, height):
    page.set_viewport_size({"width": width, "height": height})
    today = site["today"]
    campaign = Campaign.objects.create(
        name="冬季攻坚行动", start_date=today, end_date=today + datetime.timedelta(days=99)
    )
    supervisor = user_with_role(Role.SUPERVISOR, name="督查室主任")
    log_in(page, live_server, supervisor)

    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    empty = page.locator("#plan-empty")
    expect(empty).to_be_visible()
    assert "没有您可查看" not in page.content()
    empty.get_by_role("link").click()
    page.wait_for_url(f"{live_server.url}/campaigns/{campaign.pk}/plan/")
    assert no_horizontal_scroll(page)

    # 1. Find the steel project by its pinyin initials and add it.
    page.locator("#id_q").fill("zxgt")
    page.locator(".plan-search button[type=submit]").click()
    candidates = page.locator("#candidates")
    expect(candidates).to_contain_text("中新钢铁二期超低排放及余热发电项目")
    expect(candidates).to_contain_text("中新钢铁特钢项目")  # zxgt finds the parent project too
    candidates.locator("label", has_text="中新钢铁二期超低排放及余热发电项目").locator("input").check()
    candidates.locator("button[type=submit]").click()
    expect(page.locator("#plan")).to_contain_text("中新钢铁二期超低排放及余热发电项目")

    # 2. A milestone, one by one.
    project = site["project"]
    form = page.locator("#add-milestone form").first
    form.locator("select[name=project]").select_option(str(project.pk))
    form.locator("input[name=title]").fill("主体封顶")
    form.locator("input[name=due_date]").fill((today + datetime.timedelta(days=30)).isoformat())
    form.locator("button[type=submit]").click()
    expect(page.locator(f"#project-{project.pk}")).to_contain_text("主体封顶")
    expect(page.locator(f"#project-{project.pk}")).to_contain_text("经开区项目科长")

    # Paste rows from Excel: one is wrong, the preview says which; fixed, then saved.
    due = (today + datetime.timedelta(days=60)).isoformat()
    paste = page.locator("#paste + form")
    paste.locator("textarea[name=rows]").fill(
        f"项目\t节点\t时限\n{project.code}\t设备调试\t{due}\n没有这个项目\t开工\t{due}"
    )
    paste.locator("button[name=preview]").click()
    expect(page.locator("#paste-preview .row--error")).to_have_count(1)
    page.screenshot(path=str(screenshots / f"campaign-plan-preview-{width}.png"), full_page=True)
    assert no_horizontal_scroll(page)
    paste = page.locator("#paste + form")
    paste.locator("textarea[name=rows]").fill(f"{project.code}\t设备调试\t{due}")
    paste.locator("button[name=preview]").click()
    expect(page.locator("#paste-preview .row--ok")).to_have_count(1)
    page.locator("#paste + form button[name=save]").click()
    expect(page.locator(f"#project-{project.pk}")).to_contain_text("设备调试")
    assert Milestone.objects.filter(campaign=campaign).count() == 2
    page.screenshot(path=str(screenshots / f"campaign-plan-{width}.png"), full_page=True)
    assert no_horizontal_scroll(page)

    # The campaign page now lists them.
    page.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect(page.locator("#milestones .milestone")).to_have_count(2)
