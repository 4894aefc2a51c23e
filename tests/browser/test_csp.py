"""The Content-Security-Policy in a real Chromium: every main page (as a supervisor, over the demo
data) loads without a single CSP violation, i.e. no inline script, inline style or event
handler anywhere, htmx injects no style, the charts, Swagger UI and Redoc run under the policy.

Violations are caught twice: the `securitypolicyviolation` events (listened for by a script the
browser injects before the page's own) and the console messages Chromium writes for them."""

import io
import re

import pytest
from django.core.management import call_command

from core.models import Role
from tests.factories import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI || "inline"} at ${e.sourceFile}:${e.lineNumber}`);
});
"""

# Pages whose first detail link is visited too.
LISTS = {
    "/projects/": r"^/projects/\d+/$",
    "/enterprises/": r"^/enterprises/\d+/$",
    "/issues/all/": r"^/issues/\d+/$",
    "/visits/": r"^/visits/\d+/$",
    "/campaigns/": r"^/campaigns/\d+/$",
    "/approvals/": r"^/approvals/items/\d+/$",
}
PAGES = [
    "/dashboard/",
    "/dashboard/wall/",
    "/dashboard/chains/",
    "/dashboard/league/",
    "/dashboard/briefing/",
    "/dashboard/import/",
    "/approvals/departments/",
    "/issues/queue/",
    "/issues/new/",
    "/visits/new/",
    "/notifications/",
    "/notifications/settings/",
    "/notifications/supervision/",
    "/notifications/deliveries/",
    "/account/",
    "/account/two-step/setup/",
    "/account/password/",
    "/admin/",
    "/admin/accounts/apitoken/",
    "/api/docs/",
    "/api/redoc/",
    "/no-such-page/",
]


@pytest.fixture
def demo_world(transactional_db):
    call_command("load_demo", "--force", stdout=io.StringIO())
    supervisor = user_with_role(Role.SUPERVISOR, name="督查室测试员")
    supervisor.is_staff = True
    supervisor.save()
    return supervisor


def test_no_page_violates_the_content_security_policy(page, live_server, demo_world):
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(f"{page.url}: {message.text}") if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(LISTEN)
    violations: dict[str, list[str]] = {}

    def visit(path: str) -> None:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
        found = page.evaluate("window.__csp")
        if found:
            violations[path] = found

    visit("/login/")
    page.fill("#id_username", demo_world.username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)

    visited = ["/login/"]
    for list_path, pattern in LISTS.items():
        visit(list_path)
        links = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
        detail = next((href for href in links if re.match(pattern, href)), None)
        assert detail, f"no detail link on {list_path}"
        visit(detail)
        visited += [list_path, detail]
    for path in PAGES:
        visit(path)
        visited.append(path)

    # The pages really ran their scripts: the charts drew (and show their tooltips, which ECharts
    # would write as HTML with inline styles unless drawn in the SVG), Swagger UI and Redoc rendered.
    visit("/dashboard/")
    page.wait_for_selector("[data-ready=true]")
    charts = page.locator("[data-chart][data-ready=true]")
    assert charts.count() >= 4
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        for fraction in (0.3, 0.5, 0.7):
            page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * fraction)
            page.wait_for_timeout(150)
    found = page.evaluate("window.__csp")
    if found:
        violations["/dashboard/ (tooltips)"] = found
    visit("/api/docs/")
    page.wait_for_selector(".swagger-ui .opblock", timeout=20000)
    visit("/api/redoc/")
    page.wait_for_selector("[role=search], .api-content", timeout=20000)

    # The one refusal by design: Redoc's bundle always asks for its logo from cdn.redoc.ly, and the
    # policy is what keeps the page offline (core.api.views.RedocView).
    redoc = [v for v in violations.pop("/api/redoc/", []) if "https://cdn.redoc.ly/" not in v]
    assert redoc == []
    assert violations == {}, violations
    assert [line for line in console if "https://cdn.redoc.ly/" not in line] == []
    assert len(visited) == 1 + 2 * len(LISTS) + len(PAGES)
