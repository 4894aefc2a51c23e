"""The wall screen (大屏) in a real Chromium: at 1920×1080 it fits one screen without scrolling,
dark; it refreshes its figures itself from the JSON; at 1440 and 390 px it still reads (the
phone scrolls down, never sideways). Screenshots in test-results/screenshots/."""

import pytest
from playwright.sync_api import expect

from core.models import Role
from projects.models import Stage
from tests.factories import ProjectFactory, user_with_role

from .conftest import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1920, 1080), (1440, 900), (390, 844)])
def test_wall_fits_and_refreshes(page, live_server, site, screenshots, width, height):
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, user_with_role(Role.LEADER, name="市长"))
    page.goto(f"{live_server.url}/dashboard/")
    page.locator("#wall-link").click()
    page.wait_for_url(f"{live_server.url}/dashboard/wall/")
    projects = page.locator('[data-wall="projects"]')
    expect(projects).to_have_text("5")
    page.screenshot(path=str(screenshots / f"wall-{width}.png"), full_page=True)
    assert no_horizontal_scroll(page)
    if width >= 1440:
        fits = page.evaluate(
            "document.documentElement.scrollHeight <= document.documentElement.clientHeight"
            " && [...document.querySelectorAll('.wall-panel')].every(p => p.scrollHeight <= p.clientHeight + 1)"
        )
        assert fits, "the wall scrolls or a panel is cut"
    # A new project appears on the next refresh, without reloading the page.
    ProjectFactory(name="新开工项目", park=site["project"].park, stage=Stage.UNDER_CONSTRUCTION)
    page.evaluate("window.wallRefresh()")
    expect(projects).to_have_text("6")
    expect(page.locator("#wall-status")).to_be_hidden()
