"""The cockpit in a real Chromium, as a city leader: every chart renders without a console error,
a click on an overdue-issues bar opens the filtered issue list; screenshots at 1440×900 and
390×844 go to test-results/screenshots/ for a person to look at."""

from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from tests.factories import PASSWORD

from .conftest import NOW, build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHARTS = ["stages", "investment", "health", "campaign", "issues"]


@pytest.fixture
def shots(pytestconfig) -> Path:
    path = Path(pytestconfig.rootpath) / "test-results" / "screenshots"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def city_live(transactional_db):
    """The hand-counted city, with the clock at its date (ticking: the live server shares it)."""
    with time_machine.travel(NOW, tick=True):
        yield build_city()


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(f"{msg.text} {msg.location}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    return problems


def open_cockpit(page, live_server):
    page.goto(f"{live_server.url}/dashboard/?year={NOW.year}")
    for name in CHARTS:
        expect(page.locator(f'[data-chart="{name}"]')).to_have_attribute("data-ready", "true")
        expect(page.locator(f'[data-chart="{name}"] svg').first).to_be_visible()


def test_the_leader_reads_the_cockpit_and_drills_into_overdue_issues(page, live_server, city_live, shots):
    problems = watch_console(page)
    page.set_viewport_size({"width": 1440, "height": 900})
    log_in(page, live_server, city_live.leader)
    open_cockpit(page, live_server)
    expect(page.locator("h1")).to_have_text("领导驾驶舱")
    expect(page.locator(".dash-mine")).to_contain_text("项目P1")
    page.screenshot(path=str(shots / "cockpit-1440.png"), full_page=True)

    # Click the "overdue" bar of the first department: ECharts tells where it is drawn.
    chart = page.locator('[data-chart="issues"]')
    chart.scroll_into_view_if_needed()
    x, y = page.evaluate(
        """() => {
            const chart = window.dashboardCharts.issues;
            const bar = chart.getModel().getSeriesByIndex(1).getData().getItemLayout(0);
            const box = chart.getDom().getBoundingClientRect();
            return [box.left + bar.x + bar.width / 2, box.top + bar.y + bar.height / 2];
        }"""
    )
    page.mouse.click(x, y)
    page.wait_for_url(f"**/issues/all/?department={city_live.d1.pk}&overdue=true")
    expect(page.get_by_text("I1")).to_be_visible()
    expect(page.get_by_text("I2")).to_have_count(0)
    assert problems == []


def test_the_cockpit_fits_a_phone(page, live_server, city_live, shots):
    problems = watch_console(page)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server, city_live.leader)
    open_cockpit(page, live_server)
    page.screenshot(path=str(shots / "cockpit-390.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert problems == []
