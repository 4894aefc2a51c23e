"""Intake review and the battle map in a real Chromium: an official submits a candidate from a
phone, the supervision office returns it with reasons, the official resubmits, the office
approves it into the library; the map draws parks and projects with no request leaving
127.0.0.1, on a 390-px phone too; an official places a project by clicking the map."""

from decimal import Decimal
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from core.models import Role
from geo.models import ProjectLocation
from geo.services import park_boundary_set, project_location_set
from intake.models import Candidate, Status
from projects.models import Project
from tests.factories import user_with_role

from .conftest import log_in, no_horizontal_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOUNDARY = {
    "type": "Polygon",
    "coordinates": [[[118.30, 34.345], [118.40, 34.345], [118.40, 34.40], [118.30, 34.40], [118.30, 34.345]]],
}


def local_only(context) -> list[str]:
    """Abort and record every request that would leave the machine."""
    outside: list[str] = []

    def handle(route):
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", handle)
    return outside


def watch_console(page) -> list[str]:
    problems: list[str] = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def test_a_candidate_from_submission_to_the_library(browser, live_server, site, screenshots):
    supervisor = user_with_role(Role.SUPERVISOR, name="督查专员")
    official = site["official"]
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = phone.new_page()
        log_in(page, live_server, official)
        page.goto(f"{live_server.url}/intake/new/")
        form = page.locator("#candidate-form")
        form.locator("[name=name]").fill("米尔化工二期扩建项目")
        form.locator("[name=enterprise]").select_option(str(site["project"].enterprise.pk))
        form.locator("[name=park]").select_option(str(site["project"].park.pk))
        form.locator("[name=content]").fill("年产15万吨水性聚氨酯树脂")
        form.locator("[name=total_investment]").fill("90000")
        form.locator("[name=land_area]").fill("150")
        form.locator("[name=energy_tce]").fill("18000")
        assert no_horizontal_scroll(page)
        form.get_by_role("button", name="提交审核").click()
        expect(page.locator("[data-testid=candidate-status]")).to_have_text("待审核")
        candidate = Candidate.objects.get(name="米尔化工二期扩建项目")

        review = desk.new_page()
        log_in(review, live_server, supervisor)
        review.goto(f"{live_server.url}/intake/")
        expect(review.locator(".alert-info")).to_contain_text("1 个申报项目待您审核")
        review.get_by_role("link", name="米尔化工二期扩建项目").click()
        review.get_by_text("退回修改", exact=True).first.click()
        step = review.locator("#step-return")
        step.get_by_role("button", name="退回修改").click()
        expect(step.locator(".errorlist")).to_contain_text("必填")
        step.locator("textarea[name=note]").fill("请补充能耗指标来源")
        step.get_by_role("button", name="退回修改").click()
        expect(review.locator("[data-testid=candidate-status]")).to_have_text("已退回修改")

        page.goto(f"{live_server.url}/intake/{candidate.pk}/")
        expect(page.locator(".timeline")).to_contain_text("请补充能耗指标来源")
        page.get_by_role("link", name="修改").first.click()
        page.locator("[name=energy_tce]").fill("15000")
        page.get_by_role("button", name="提交审核").click()
        expect(page.locator("[data-testid=candidate-status]")).to_have_text("待审核")
        page.screenshot(path=str(screenshots / "intake-candidate-390.png"), full_page=True)

        review.reload()
        review.get_by_text("审核入库", exact=True).first.click()
        approve = review.locator("#step-approve")
        approve.locator("select[name=level]").select_option("city_major")
        approve.locator("input[name=code]").fill("XY-JK-088")
        approve.get_by_role("button", name="审核入库").click()
        expect(review.locator("[data-testid=candidate-status]")).to_have_text("已审核入库")
        review.get_by_role("link", name="打开项目 XY-JK-088").click()
        expect(review.locator("h1")).to_contain_text("米尔化工二期扩建项目")
        # The office puts it on this year's dispatch list from the project page.
        review.locator("#library").get_by_role("button").click()
        expect(review.locator("[data-testid=dispatch-years]")).to_contain_text(str(site["today"].year))
        review.screenshot(path=str(screenshots / "intake-approved-project-1280.png"), full_page=True)
    finally:
        phone.close()
        desk.close()
    candidate.refresh_from_db()
    assert candidate.status == Status.APPROVED
    assert Project.objects.filter(code="XY-JK-088", level="city_major").exists()


def _place_the_city(site):
    supervisor = user_with_role(Role.SUPERVISOR, name="督查专员")
    project = site["project"]
    park_boundary_set(park=project.park, by=supervisor, geometry=BOUNDARY)
    project_location_set(project=project, by=supervisor, latitude=34.37, longitude=118.35)
    others = Project.objects.exclude(pk=project.pk).order_by("pk")
    for i, other in enumerate(others[:3]):
        project_location_set(project=other, by=supervisor, latitude=34.355 - i / 100, longitude=118.31 + i / 50)
    return supervisor


@pytest.mark.parametrize("width", [1280, 390])
def test_the_battle_map_works_offline(browser, live_server, site, screenshots, width):
    _place_the_city(site)
    leader = user_with_role(Role.LEADER, name="市委书记")
    context = browser.new_context(viewport={"width": width, "height": 844})
    outside = local_only(context)
    page = context.new_page()
    problems = watch_console(page)
    try:
        log_in(page, live_server, leader)
        page.goto(f"{live_server.url}/dashboard/map/")
        expect(page.locator("#battle-map")).to_have_attribute("data-ready", "true")
        located = ProjectLocation.objects.count()
        expect(page.locator("#battle-map path[data-project]")).to_have_count(located)
        expect(page.locator("#battle-map .map-park-label")).to_have_text("经开区")
        expect(page.locator("#battle-map .leaflet-tile")).to_have_count(0)
        assert no_horizontal_scroll(page)
        page.screenshot(path=str(screenshots / f"battle-map-{width}.png"), full_page=True)

        page.locator(f"#battle-map path[data-project='{site['project'].pk}']").click(force=True)
        popup = page.locator(".leaflet-popup")
        expect(popup).to_contain_text(site["project"].name)
        popup.get_by_role("link", name=site["project"].name).click()
        page.wait_for_url(f"{live_server.url}/projects/{site['project'].pk}/")
        expect(page.locator("#location [data-map]")).to_have_attribute("data-ready", "true")

        page.goto(f"{live_server.url}/dashboard/map/?color=stage&park={site['project'].park.pk}")
        expect(page.locator("#battle-map")).to_have_attribute("data-ready", "true")
        expect(page.locator(".map-legend")).to_contain_text("在建")
    finally:
        context.close()
    assert outside == []
    assert problems == []


def test_an_official_places_the_project_by_clicking_the_map(browser, live_server, site):
    _place_the_city(site)
    project = site["project"]
    ProjectLocation.objects.filter(project=project).delete()
    context = browser.new_context(viewport={"width": 390, "height": 844})
    outside = local_only(context)
    page = context.new_page()
    try:
        log_in(page, live_server, site["official"])
        page.goto(f"{live_server.url}/projects/{project.pk}/#location")
        section = page.locator("#location")
        expect(section.locator("[data-map]")).to_have_attribute("data-ready", "true")
        section.locator("[data-map]").scroll_into_view_if_needed()
        section.locator("[data-map]").click()
        expect(section.locator("input[name=latitude]")).not_to_have_value("")
        expect(section.locator("input[name=datum][value=wgs84]")).to_be_checked()
        section.get_by_role("button", name="保存位置").click()
        expect(page.locator("#messages")).to_contain_text("项目位置已保存")
        expect(page.locator("[data-testid=location-wgs84]")).to_contain_text("34.")
        assert no_horizontal_scroll(page)
    finally:
        context.close()
    location = ProjectLocation.objects.get(project=project)
    assert Decimal("34.3") < location.latitude < Decimal("34.45")
    assert outside == []
