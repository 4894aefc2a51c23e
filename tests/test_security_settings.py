"""Production settings: `check --deploy` is clean, weak keys are refused at start-up, the
security headers (CSP, HSTS, HTTPS redirect behind the proxy, cookies, Referrer-Policy, COOP)
are on with DEBUG off, and the error pages are the app's own in both languages."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponse
from django.test import Client
from django.urls import include, path
from django.views.decorators.csrf import csrf_protect

from tests.test_settings_env import STRONG_KEY

ROOT = Path(__file__).resolve().parent.parent

# The settings of this file's concern, kept out of the subprocesses' environment (and the test
# suite's own DJANGO_ALLOW_ASYNC_UNSAFE, which `check --deploy` rightly refuses).
VARIABLES = {
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DEBUG",
    "SECRET_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "DJANGO_SETTINGS_MODULE",
    "SECURE_COOKIES",
    "BEHIND_TLS_PROXY",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_REFERRER_POLICY",
    "OTP_REQUIRED_FOR_SUPERVISORS",
}


def run(tmp_path, args: list[str], **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in VARIABLES}
    clean.update({"DJANGO_SETTINGS_MODULE": "projects_tracker.settings", "VAR_DIR": str(tmp_path / "var")})
    clean.update(env)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": STRONG_KEY, "ALLOWED_HOSTS": "tracker.example.gov.cn"}


@pytest.mark.parametrize("proxy", ["0", "1"])
def test_check_deploy_passes_with_production_settings(tmp_path, proxy):
    result = run(
        tmp_path, ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **PRODUCTION, BEHIND_TLS_PROXY=proxy
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_a_protection_is_switched_off(tmp_path):
    result = run(
        tmp_path,
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        **PRODUCTION,
        SECURE_SSL_REDIRECT="0",
        OTP_REQUIRED_FOR_SUPERVISORS="0",
    )
    assert result.returncode != 0
    assert "security.W008" in result.stderr and "accounts.W001" in result.stderr


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("change-me-to-a-long-random-string", "shorter than 50"),
        ("change-me-" + "x1y2z3w4v5" * 5, "placeholder"),
        ("k" * 50, "fewer than 10 different characters"),
        ("abcdefgh" * 8, "fewer than 10 different characters"),
        ("django-insecure-" + "q8w7e6r5t4y3u2i1o0p9" * 2, "placeholder"),
        ("Vq3xT9wLr7Zp2KbN8sYd4HfJ6mCg1AeU5oRiX0", "shorter than 50"),
    ],
)
def test_start_up_refuses_a_weak_secret_key_with_debug_off(tmp_path, key, reason):
    result = run(tmp_path, ["-c", "import django; django.setup()"], DEBUG="0", SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is refused with DEBUG off" in result.stderr
    assert reason in result.stderr
    assert key not in result.stderr  # the key itself is never printed
    # With DEBUG on (make run), any key will do.
    assert run(tmp_path, ["-c", "import django; django.setup()"], DEBUG="1", SECRET_KEY=key).returncode == 0


PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({name: getattr(settings, name) for name in [
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER", "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY", "OTP_REQUIRED_FOR_SUPERVISORS", "SESSION_EXPIRE_AT_BROWSER_CLOSE",
]}))
"""


def probe(tmp_path, **env) -> dict:
    import json

    result = run(tmp_path, ["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_debug_off_the_defaults_are_the_production_ones(tmp_path):
    s = probe(tmp_path, **PRODUCTION)
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_HSTS_SECONDS"] == 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_HSTS_PRELOAD"] is False
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] is None  # a client's X-Forwarded-Proto is not trusted
    assert (s["SECURE_REFERRER_POLICY"], s["SECURE_CROSS_ORIGIN_OPENER_POLICY"]) == ("same-origin", "same-origin")
    assert s["OTP_REQUIRED_FOR_SUPERVISORS"] is True
    assert s["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


def test_behind_the_proxy_its_header_is_trusted(tmp_path):
    assert probe(tmp_path, **PRODUCTION, BEHIND_TLS_PROXY="1")["SECURE_PROXY_SSL_HEADER"] == [
        "HTTP_X_FORWARDED_PROTO",
        "https",
    ]


def test_with_debug_on_make_run_needs_no_https(tmp_path):
    s = probe(tmp_path, DEBUG="1")
    assert s["SECURE_SSL_REDIRECT"] is False and s["SECURE_HSTS_SECONDS"] == 0
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["OTP_REQUIRED_FOR_SUPERVISORS"] is False


def test_every_setting_can_be_changed(tmp_path):
    s = probe(
        tmp_path,
        **PRODUCTION,
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="600",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="1",
        SECURE_COOKIES="0",
        SECURE_REFERRER_POLICY="no-referrer",
        OTP_REQUIRED_FOR_SUPERVISORS="0",
    )
    assert (s["SECURE_SSL_REDIRECT"], s["SECURE_HSTS_SECONDS"], s["SECURE_HSTS_INCLUDE_SUBDOMAINS"]) == (
        False,
        600,
        False,
    )
    assert s["SECURE_HSTS_PRELOAD"] is True and s["SESSION_COOKIE_SECURE"] is False
    assert s["SECURE_REFERRER_POLICY"] == "no-referrer" and s["OTP_REQUIRED_FOR_SUPERVISORS"] is False


# --- Headers, in this process -------------------------------------------------------------------


@pytest.fixture
def production(settings):
    """The HTTPS settings test_settings.py turns off, back as in production."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    return settings


@pytest.mark.django_db
def test_plain_http_is_redirected_and_https_answers_with_the_security_headers(production):
    client = Client()  # made after the settings change: the middleware reads them when it starts
    redirect = client.get("/login/")
    assert redirect.status_code == 301
    assert redirect["Location"] == "https://testserver/login/"
    assert client.get("/healthz").status_code != 301  # container probes stay on plain HTTP

    page = client.get("/login/", secure=True)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    policy = dict(part.strip().split(" ", 1) for part in page["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert page.cookies["csrftoken"]["secure"]


@pytest.mark.django_db
def test_the_proxy_header_counts_only_behind_the_proxy(production):
    assert Client().get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 301
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert Client().get("/login/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


@pytest.mark.django_db
def test_no_template_has_inline_script_handlers_or_styles():
    """What the CSP forbids, checked at the source: <script> without src (JSON data blocks
    excepted), on*= handlers, style= attributes, <style> elements, javascript: URLs."""
    offences = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        name = template.relative_to(ROOT)
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attributes = match.group(1)
            if "src=" not in attributes and 'type="application/json"' not in attributes:
                offences.append(f"{name}: inline <script>")
        if re.search(r"\son[a-z]+\s*=", text):
            offences.append(f"{name}: inline event handler")
        if re.search(r"\sstyle\s*=", text):
            offences.append(f"{name}: style attribute")
        if re.search(r"<style\b", text) and name != Path("templates/api/redoc.html"):
            offences.append(f"{name}: <style> element")
        if "javascript:" in text:
            offences.append(f"{name}: javascript: URL")
    assert offences == []


# --- Error pages ------------------------------------------------------------------------------


def forbidden(request):
    raise PermissionDenied


def missing(request):
    raise Http404


def bad(request):
    raise SuspiciousOperation("bad input")


def broken(request):
    raise RuntimeError("boom")


@csrf_protect
def form(request):
    return HttpResponse("ok")


urlpatterns = [
    path("forbidden/", forbidden),
    path("missing/", missing),
    path("bad/", bad),
    path("broken/", broken),
    path("form/", form),
    path("", include("projects_tracker.urls")),  # the pages' templates link to the real URLs
]


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.urls(__name__)
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "zh", "en"),
    [
        ("/missing/", 404, "页面不存在", "Not found"),
        ("/no-such-page/", 404, "页面不存在", "Not found"),
        ("/forbidden/", 403, "无权操作", "Not allowed"),
        ("/bad/", 400, "无法识别该请求", "The request could not be understood"),
        ("/broken/", 500, "系统出错了", "Something went wrong on our side"),
    ],
)
def test_error_pages_are_branded_in_both_languages(url, status, zh, en):
    for client, text in [
        (Client(raise_request_exception=False), zh),
        (english(Client(raise_request_exception=False)), en),
    ]:
        response = client.get(url)
        assert response.status_code == status
        assert text in response.text
        assert "重大项目推进平台" in response.text or "Major Projects Tracker" in response.text
        assert "/static/css/app.css" in response.text
        assert "Content-Security-Policy" in response


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_the_500_page_needs_no_database(django_assert_num_queries):
    client = Client(raise_request_exception=False)
    with django_assert_num_queries(0):
        response = client.get("/broken/")
    assert response.status_code == 500
    assert "错误已记录" in response.text


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_a_csrf_failure_has_its_own_page():
    response = Client(enforce_csrf_checks=True).post("/form/", {})
    assert response.status_code == 403
    assert "表单已失效" in response.text


def test_no_template_comment_spans_lines():
    """`{# … #}` is a one-line comment in Django: spread over lines it is printed on the page."""
    broken = []
    for template in (ROOT / "templates").rglob("*"):
        if template.suffix not in {".html", ".txt"}:
            continue
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), start=1):
            if "{#" in line and "#}" not in line.split("{#", 1)[1]:
                broken.append(f"{template.relative_to(ROOT)}:{number}")
    assert broken == []
