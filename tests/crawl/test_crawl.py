"""Every link a role is shown answers: for each demo login, breadth-first over every same-site link
on the pages that role reaches (bounded), none answers 4xx/5xx.

Skipped: logout and other POST-only forms (links only: <a href>), downloads (.xlsx/.csv/media),
the admin site (its own app) and the API browsable pages. Pages with many similar rows are sampled
by URL shape (at most PER_SHAPE of /projects/17/, /projects/18/ …), so the crawl stays bounded.
"""

import datetime
import io
import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 12, 2)
ROLES = ["demo-leader", "demo-official", "demo-staff", "demo-handler", "demo-supervisor"]
MAX_PAGES = 250
PER_SHAPE = 2  # pages of one URL shape crawled (/projects/17/, /projects/18/ …): two, not all
SKIP_PREFIXES = ("/admin/", "/api/", "/logout", "/media/", "/i18n/", "/static/")
SKIP_SUFFIXES = (".xlsx", ".csv", ".json", ".pdf", ".zip")
SKIP_WORDS = ("export", "download", "xlsx")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links_of(html: str, base: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        if href.startswith(("mailto:", "tel:", "javascript:", "data:")):
            continue
        url = urldefrag(urljoin(base, href)).url
        parts = urlsplit(url)
        if parts.netloc not in ("", "testserver"):
            continue
        path = parts.path
        if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
            continue
        if any(word in path for word in SKIP_WORDS):
            continue
        found.append(path + (f"?{parts.query}" if parts.query else ""))
    return found


def shape(url: str) -> str:
    """/projects/17/?page=2 and /projects/18/?page=3 have one shape: crawl one of each."""
    path, _, query = url.partition("?")
    path = re.sub(r"/\d+(?=/|$)", "/N", path)
    keys = sorted({part.split("=", 1)[0] for part in query.split("&") if part})
    return path + ("?" + "&".join(keys) if keys else "")


def crawl(client, start: str = "/") -> tuple[dict, int]:
    """Breadth-first from `start`; returns {url: (status, found on)} of failures and pages seen."""
    seen_shapes = Counter({shape(start): 1})
    seen_urls = {start}
    queue = deque([(start, "(start)")])
    failures = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url, referrer = queue.popleft()
        response = client.get(url, follow=True)
        visited += 1
        if response.status_code >= 400:
            failures[url] = (response.status_code, referrer)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        final = response.request["PATH_INFO"]
        for link in links_of(response.content.decode(), final):
            key = shape(link)
            if link not in seen_urls and seen_shapes[key] < PER_SHAPE:
                seen_shapes[key] += 1
                seen_urls.add(link)
                queue.append((link, url))
    return failures, visited


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    from django.conf import settings

    from tests.seeds import seed_migrated_data

    with django_db_blocker.unblock():
        debug = settings.DEBUG
        settings.DEBUG = True
        try:
            # The demo stands on what the migrations seeded (project types, rules …), whatever ran before.
            seed_migrated_data()
            with time_machine.travel(datetime.datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), tick=False):
                call_command("load_demo", stdout=io.StringIO())
            settings.DEBUG = debug
            yield
        finally:
            settings.DEBUG = debug
            # Committed rows would leak into the tests that follow: empty the tables, then restore
            # what the data migrations seeded (holidays, rules, project types …).
            call_command("flush", interactive=False, verbosity=0)
            seed_migrated_data()


@pytest.mark.parametrize("username", ROLES)
def test_no_link_shown_to_a_role_answers_an_error(demo_world, client, settings, username):
    settings.DEBUG = True  # the demo logins work only with DEBUG on (accounts.backends)
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, tzinfo=SHANGHAI), tick=False):
        failures, visited = crawl(client)
    assert visited > 5, f"{username} reached only {visited} pages"
    assert not failures, "\n".join(f"{status} {url}  (linked from {ref})" for url, (status, ref) in failures.items())
