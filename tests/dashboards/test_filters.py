"""One FilterSet per list: the page, the API and the export of a list answer the same query
parameters with the same rows; a refused value is a field error on the page (the other filters
still apply, the scope never widens), a 400 in the API; the cockpit's links land on lists that
show the rows behind each figure."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def exported(client, kind: str, params: dict) -> list:
    response = client.get(reverse("dashboards:export", args=[kind]), params)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [row[0].value for row in sheet.iter_rows(min_row=2)]


def project_rows(client, city, params: dict) -> dict:
    page = client.get(reverse("projects:list"), params)
    assert page.status_code == 200
    api = client.get("/api/v1/projects/", params)
    assert api.status_code == 200, api.content
    return {
        "page": sorted(p.code for p in page.context["projects"]),
        "api": sorted(p["code"] for p in api.json()["results"]),
        "export": sorted(exported(client, "projects", params)),
    }


def issue_rows(client, city, params: dict) -> dict:
    titles = {issue.pk: issue.title for issue in city.issues.values()}
    page = client.get(reverse("issues:list"), params)
    assert page.status_code == 200
    api = client.get("/api/v1/issues/", params)
    assert api.status_code == 200, api.content
    return {
        "page": sorted(i.title for i in page.context["issues"]),
        "api": sorted(i["title"] for i in api.json()["results"]),
        "export": sorted(titles[pk] for pk in exported(client, "issues", params)),
    }


@pytest.mark.parametrize(
    ("params", "codes"),
    [
        ({}, ["P1", "P2", "P3", "P4", "P5", "P6", "P7"]),
        ({"park": "park_b"}, ["P3", "P4", "P6"]),
        ({"stage": "signed"}, ["P2"]),
        ({"is_key": "true"}, ["P1"]),
        ({"key": "1"}, ["P1"]),  # the name older links use
        ({"is_key": "false", "park": "park_b", "q": "P"}, ["P3", "P4", "P6"]),
    ],
)
def test_the_project_page_api_and_export_list_the_same_rows(client, city, params, codes):
    client.force_login(city.leader)
    params = {k: (getattr(city, v).pk if v in ("park_a", "park_b") else v) for k, v in params.items()}
    rows = project_rows(client, city, params)
    assert rows == {"page": codes, "api": codes, "export": codes}


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"open": "true"}, ["I1", "I2"]),
        ({"status": "open"}, ["I1", "I2"]),
        ({"status": ["closed", "assigned"]}, ["I2", "I3", "I4"]),
        ({"overdue": "true"}, ["I1"]),
        ({"department": "d2"}, ["I3", "I4"]),
    ],
)
def test_the_issue_page_api_and_export_list_the_same_rows(client, city, params, titles):
    client.force_login(city.leader)
    departments = {"d1": city.issues["I1"].lead_department_id, "d2": city.issues["I3"].lead_department_id}
    params = {k: departments.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    assert issue_rows(client, city, params) == {"page": titles, "api": titles, "export": titles}


def test_a_refused_value_is_a_field_error_on_the_page_and_a_400_in_the_api(client, city):
    client.force_login(city.official_b)  # sees park B's projects only
    params = {"park": "-2.03e+85", "stage": "in_production", "chain": "99999999999999999999"}
    page = client.get(reverse("projects:list"), params)
    assert page.status_code == 200
    assert set(page.context["form"].errors) == {"park", "chain"}
    assert "请输入有效的编号（从 1 起的整数）。" in page.text
    assert "编号过大。" in page.text
    # The valid filter still applies, within what the user may see.
    assert [p.code for p in page.context["projects"]] == ["P4"]
    assert sorted(exported(client, "projects", params)) == ["P4"]

    api = client.get("/api/v1/projects/", params, **EN)
    assert api.status_code == 400
    assert api.json()["park"] == ["Enter a valid id (a whole number from 1)."]
    assert api.json()["chain"] == ["This id is too large."]


def test_invalid_values_on_the_issue_page_are_shown_not_ignored_silently(client, city):
    client.force_login(city.leader)
    response = client.get(
        reverse("issues:list"),
        {"raised_from": "0001-01-01", "status": "lost", "project": "abc", "page": "abc"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"raised_from", "status", "project", "__all__"}
    assert "请输入 2000-01-01 至 2100-12-31 之间的日期。" in response.text
    # A hidden filter (set by links) and the page number are named above the filters.
    assert "项目：请输入有效的编号（从 1 起的整数）。" in response.text
    assert "页码：请输入页码（从 1 起的整数）。" in response.text
    assert len(response.context["issues"]) == 4


def test_the_cockpit_links_lead_to_the_rows_behind_each_figure(client, city):
    client.force_login(city.leader)
    for params in ({"is_key": "true"}, {"key": "1"}, {"park": city.park_b.pk}):
        data = client.get(reverse("dashboards:cockpit"), params).context["data"]
        projects = client.get(data["investment"]["projects_url"])
        assert projects.context["page"].paginator.count == data["investment"]["project_count"], params
        signed = next(s for s in data["stages"] if s["stage"] == "signed")
        assert client.get(signed["url"]).context["page"].paginator.count == signed["count"], params


def test_a_bad_year_on_the_cockpit_is_shown_and_the_figures_are_this_years(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("dashboards:cockpit"), {"year": "-2.03e+85"})
    assert response.status_code == 200
    assert "请输入 2000 至 2100 之间的年份。" in response.text
    assert response.context["scope"].year == 2026
    assert '<option value="2026" selected>' in response.text
    api = client.get("/api/v1/dashboard/summary/", {"year": "-2.03e+85"}, **EN)
    assert api.status_code == 400
    assert api.json()["year"] == ["Enter a year between 2000 and 2100."]


def test_a_drill_down_list_names_a_refused_value_and_lists_the_figures_rows(client, city):
    client.force_login(city.leader)
    response = client.get(reverse("dashboards:drill", args=["health"]), {"color": "red", "park": "abc"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"park"}
    assert "园区：请输入有效的编号（从 1 起的整数）。" in response.text
    assert sorted(row["project"].code for row in response.context["rows"]) == ["P1", "P3", "P5"]
