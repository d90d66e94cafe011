"""The plan's pages in English print their units in English: the budget chart's unit and the tables'
units (the plan's data keeps the printed Korean)."""

from __future__ import annotations

import re

import pytest

from sharing.core import i18n

UNITS = ("억원", "백만원", "천원")


@pytest.fixture
def english_units(monkeypatch):
    """Stand-in English units, so the test does not depend on the catalogue's state."""
    monkeypatch.setattr(i18n, "UNITS", {"억원": "100M won", "백만원": "million won", "천원": "thousand won"})


def test_the_budget_chart_prints_its_unit_in_the_pages_language(client, plan, auth, centre, english_units):
    auth.login(centre)
    html = client.get("/admin/plan?lang=en").get_data(as_text=True)
    chart = html[html.index("<svg") : html.index("</svg>")]
    assert "million won" in chart and "백만원" not in chart


def test_the_tables_units_are_in_the_pages_language(client, plan, auth, centre, english_units):
    auth.login(centre)
    for url in ("/admin/plan?lang=en", "/admin/plan/3-1", "/admin/plan/report/2018"):
        html = client.get(url).get_data(as_text=True)
        units = [m for m in re.findall(r"\((?:Unit: )?([^()<]*)\)", html) if m in UNITS]
        assert not units, (url, units)
