"""One Rate type and one format (core.rates): "45.2%", "—" for an empty denominator, the same on
the pages, in the workbooks and in the API's fractions."""

import io
from decimal import Decimal

import pytest
import time_machine
from django.template import Context, Template
from openpyxl import load_workbook

from core.api.fields import RateFractionField
from core.rates import Rate, format_rate, percent
from dashboards.excel import _cell
from tests.dashboards.conftest import NOW, build_city


@pytest.mark.parametrize(
    ("rate", "value", "shown"),
    [
        (Rate(2, 3), Decimal(2) / Decimal(3), "66.7%"),
        (Rate(0, 4), Decimal(0), "0.0%"),
        (Rate(5, 5), Decimal(1), "100.0%"),
        (Rate(Decimal("2680"), Decimal("3500")), Decimal("2680") / Decimal("3500"), "76.6%"),
        (Rate(0, 0), None, "—"),
        (Rate(3, None), None, "—"),
        (Rate(None, 3), None, "—"),
    ],
)
def test_a_rate_has_one_value_and_one_format(rate, value, shown):
    assert rate.value == value
    assert str(rate) == format_rate(rate) == shown
    assert format_rate(rate.value) == shown  # a stored fraction shows the same
    assert Template("{% load ui %}{{ rate|pct }}").render(Context({"rate": rate})) == shown
    assert RateFractionField().to_representation(rate) == (None if value is None else float(value))


def test_done_over_plan_in_a_template_is_the_same_rate():
    template = Template("{% load ui %}{{ done|pct:plan }} {{ done|ratio_width:plan }}")
    assert template.render(Context({"done": Decimal("2000.5"), "plan": Decimal("4000")})) == "50.0% 50"
    assert template.render(Context({"done": Decimal("10"), "plan": None})) == "— 0"
    assert template.render(Context({"done": Decimal("500"), "plan": Decimal("100")})) == "500.0% 100"


def test_percent_and_the_workbook_cell():
    assert percent(Decimal("0.4525")) == Decimal("45.3")
    assert percent(None) is None
    # In a workbook a rate is its fraction, formatted as a percentage by the column ("0.0%").
    assert _cell(Rate(1, 4), "percent") == 0.25
    assert _cell(Rate(1, 0), "percent") is None
    assert Rate(1, 4).as_dict() == {"numerator": 1, "denominator": 4, "rate": 0.25, "percent": 25.0}


@pytest.mark.django_db
def test_the_cockpit_the_api_and_the_briefing_workbook_show_the_same_rate(client, django_user_model):

    with time_machine.travel(NOW, tick=False):
        city = build_city()
        client.force_login(city.leader)
        assert "76.6%" in client.get("/dashboard/").text
        assert client.get("/api/v1/dashboard/summary/").json()["investment"]["completion"]["percent"] == 76.6
        workbook = load_workbook(io.BytesIO(client.get("/dashboard/briefing.xlsx").content))
        values = [row[1].value for row in workbook.worksheets[0].iter_rows(min_row=2)]
        assert "76.6%" in values
