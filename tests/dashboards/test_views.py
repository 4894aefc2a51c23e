"""Browser pages of the dashboards: who sees what, the drill-down links, downloads, import and
league forms."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from core.models import Role
from dashboards.models import LeagueSnapshot, ProjectImport
from projects.models import Project
from tests.factories import UserFactory, user_with_role

from .test_import import row, xlsx

pytestmark = pytest.mark.django_db


def sheet_rows(response) -> list[list]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    return [[c.value for c in r] for r in wb.worksheets[0].iter_rows()]


def test_the_cockpit_shows_every_figure_with_its_link(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("dashboards:cockpit"))
    assert response.status_code == 200
    html = response.content.decode()
    charts = json.loads(html.split('id="dashboard-charts" type="application/json">')[1].split("</script>")[0])
    assert set(charts) == {"stages", "investment", "health", "issues", "campaign"}
    assert charts["campaign"]["values"] == [2, 1, 1]
    assert charts["issues"]["overdue"] == [1]
    assert charts["issues"]["overdue_urls"] == [
        reverse("issues:list") + f"?department={city.d1.pk}&amp;overdue=true"
    ] or (charts["issues"]["overdue_urls"] == [reverse("issues:list") + f"?department={city.d1.pk}&overdue=true"])
    assert charts["health"]["values"] == [3, 1, 2]
    assert "76.6%" in html  # 年度投资完成率
    assert "40.0%" in html  # 开工率
    assert "−14.1" in html  # points against 序时进度
    assert "vendor/echarts/echarts.min.js" in html
    # The leader's own projects come first, with the reasons of their colour.
    assert html.index("项目P1") < html.index("dash-kpis")
    assert "钢铁" in html


def test_the_cockpit_filters_by_park(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("dashboards:cockpit"), {"park": city.park_b.pk, "year": 2026})
    assert response.context["data"]["investment"]["project_count"] == 3


def test_invalid_filters_fall_back_to_all(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("dashboards:cockpit"), {"park": "x", "year": "1900", "level": "nope"})
    assert response.status_code == 200
    assert response.context["data"]["investment"]["project_count"] == 7


def test_a_user_without_a_role_is_refused(client, city):
    client.force_login(UserFactory())
    assert client.get(reverse("dashboards:cockpit")).status_code == 403
    assert client.get(reverse("dashboards:briefing")).status_code == 403


def test_anonymous_users_go_to_the_login_page(client, city):
    response = client.get(reverse("dashboards:cockpit"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_drill_down_lists_the_rows_with_their_reasons(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("dashboards:drill", args=["health"]), {"color": "red", "year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    for code in ("项目P1", "项目P3", "项目P5"):
        assert code in html
    assert "项目P2" not in html
    assert "2026年7月" in html  # P3's reason: due to start in July
    assert client.get(reverse("dashboards:drill", args=["nonsense"])).status_code == 404


def test_the_project_export_keeps_the_list_filters(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("dashboards:export", args=["projects"]), {"park": city.park_b.pk})
    rows = sheet_rows(response)
    assert rows[0][0] == "项目编号"
    assert sorted(r[0] for r in rows[1:]) == ["P3", "P4", "P6"]
    assert "attachment" in response["Content-Disposition"]


def test_the_issue_and_milestone_exports(client, city):
    client.force_login(city.leader)
    issues = sheet_rows(client.get(reverse("dashboards:export", args=["issues"]), {"overdue": "true"}))
    assert [r[1] for r in issues[1:]] == ["I1"]
    milestones = sheet_rows(
        client.get(reverse("dashboards:export", args=["milestones"]), {"campaign": city.campaign.pk, "status": "met"})
    )
    assert sorted(r[3] for r in milestones[1:]) == ["M2", "M4"]  # as the campaign page lists them
    milestones = sheet_rows(client.get(reverse("dashboards:export", args=["milestones"]), {"overdue": "true"}))
    assert [r[3] for r in milestones[1:]] == ["M1"]  # the milestone API's filters
    health = sheet_rows(client.get(reverse("dashboards:export", args=["health"]), {"color": "yellow"}))
    assert [r[0] for r in health[1:]] == ["P2"]
    assert client.get(reverse("dashboards:export", args=["secrets"])).status_code == 404


def test_exports_are_scoped_to_the_user(client, city):
    client.force_login(city.official_b)
    rows = sheet_rows(client.get(reverse("dashboards:export", args=["projects"])))
    assert sorted(r[0] for r in rows[1:]) == ["P3", "P4", "P6"]


def test_the_chain_map_page(client, city):
    client.force_login(city.leader)
    html = client.get(reverse("dashboards:chains")).content.decode()
    assert "零部件" in html and "segment--gap" in html and "米尔化工有限公司" in html


def test_the_weekly_briefing_page_and_download(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("dashboards:briefing"), {"week": "2026-11-16"})
    assert response.status_code == 200
    b = response.context["b"]
    assert (b.week_start, b.week_end) == (datetime.date(2026, 11, 16), datetime.date(2026, 11, 22))
    assert [m.title for m in b.milestones_missed] == ["M1"]
    download = client.get(reverse("dashboards:briefing_xlsx"), {"week": "2026-11-16"})
    wb = load_workbook(io.BytesIO(download.content))
    assert len(wb.worksheets) == 10
    summary = {r[0].value: r[1].value for r in wb.worksheets[0].iter_rows(min_row=2)}
    assert summary[gettext("Milestones missed")] == 1
    assert summary[gettext("Issues overdue now")] == 1


def test_the_import_pages(client, city):
    client.force_login(city.supervisor)
    assert client.get(reverse("dashboards:import")).status_code == 200
    template = client.get(reverse("dashboards:import_template"))
    assert sheet_rows(template)[0][0] == "项目编号*"

    response = client.post(
        reverse("dashboards:import"), {"file": xlsx([row(), row(**{"所在园区": "月球园区", "项目编号": "X2"})])}
    )
    batch = ProjectImport.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("dashboards:import_detail", args=[batch.pk])).content.decode()
    assert "月球园区" in page and "所在园区" in page and ">3<" in page
    assert client.post(reverse("dashboards:import_commit", args=[batch.pk])).status_code == 302
    assert not Project.objects.filter(code="XY-2026-9001").exists()

    response = client.post(reverse("dashboards:import"), {"file": xlsx([row()])})
    batch = ProjectImport.objects.latest("pk")
    response = client.post(reverse("dashboards:import_commit", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("projects:list")
    assert Project.objects.filter(code="XY-2026-9001").exists()


def test_a_bad_upload_is_shown_on_the_form(client, city):
    client.force_login(city.supervisor)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("dashboards:import"), {"file": SimpleUploadedFile("list.txt", b"hello")})
    assert response.status_code == 400
    assert ".xlsx" in response.content.decode()


def test_only_supervisors_see_the_import(client, city):
    client.force_login(city.leader)
    assert client.get(reverse("dashboards:import")).status_code == 403
    assert client.get(reverse("dashboards:import_template")).status_code == 403


def test_publishing_a_league_table(client, city):
    client.force_login(city.supervisor)
    page = client.get(reverse("dashboards:league"))
    assert page.status_code == 200 and page.context["form"] is not None
    response = client.post(
        reverse("dashboards:league_publish"),
        {"kind": "park", "period_start": "2026-11-01", "period_end": "2026-11-30"},
    )
    snapshot = LeagueSnapshot.objects.get()
    assert response["Location"] == reverse("dashboards:league_detail", args=[snapshot.pk])
    detail = client.get(response["Location"])
    assert "52.35" in detail.content.decode()
    again = client.post(
        reverse("dashboards:league_publish"),
        {"kind": "park", "period_start": "2026-11-01", "period_end": "2026-11-30"},
    )
    assert again.status_code == 400
    sheet = sheet_rows(client.get(response["Location"], {"format": "xlsx"}))
    assert sheet[0][0] == snapshot.title


def test_leaders_see_league_tables_but_do_not_publish(client, city):
    client.force_login(city.leader)
    page = client.get(reverse("dashboards:league"))
    assert page.status_code == 200 and page.context["form"] is None
    response = client.post(
        reverse("dashboards:league_publish"), {"kind": "park", "period_start": "2026-11-01", "period_end": "2026-11-30"}
    )
    assert response.status_code == 403
    assert LeagueSnapshot.objects.count() == 0


def test_a_handler_sees_the_cockpit_of_what_they_may_see(client, city):
    handler = user_with_role(Role.HANDLER, department=city.d1)
    client.force_login(handler)
    response = client.get(reverse("dashboards:cockpit"))
    assert response.status_code == 200
    assert response.context["data"]["investment"]["project_count"] == 0
