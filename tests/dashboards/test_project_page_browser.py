"""The project page in a real Chromium, as a city leader, at 1440 px and on a 390 px phone: the
health with its reasons at the top, the open issues and the timeline; no console error, nothing
wider than the phone. Screenshots go to test-results/screenshots/ for a person to look at."""

import pytest
from playwright.sync_api import expect

from .test_browser import city_live, log_in, shots, watch_console  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height", [(1440, 900), (390, 844)])
def test_the_leader_reads_a_red_project(page, live_server, city_live, shots, width, height):  # noqa: F811
    problems = watch_console(page)
    page.set_viewport_size({"width": width, "height": height})
    log_in(page, live_server, city_live.leader)
    page.goto(f"{live_server.url}/projects/{city_live.projects['P1'].pk}/")
    health = page.locator("#health")
    expect(health.locator(".health--red").first).to_be_visible()
    expect(health.locator(".health-reasons li")).to_have_count(2)
    expect(page.locator("#issues")).to_contain_text("I1")
    expect(page.locator(".gantt__row")).to_have_count(2)
    page.screenshot(path=str(shots / f"project-page-{width}.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert problems == []
