"""platform_metrics: nine whole numbers, zeros while a feature is missing, whatever shape it answers."""

from __future__ import annotations

import types
from datetime import date

import pytest

from sharing.plan.services import metrics

NINE = {
    "resources",
    "listings",
    "loans_completed",
    "posts",
    "organizations_on_card",
    "card_payments",
    "card_volume",
    "mileage_issued",
    "fund_balance",
}


def test_nine_integer_keys_whatever_is_installed(app):
    figures = metrics.platform_metrics()
    assert set(figures) == NINE
    assert all(type(v) is int for v in figures.values())


def _fake(monkeypatch, services: dict):
    for feature in metrics.FEATURES:
        monkeypatch.setitem(metrics.FEATURES, feature, services.get(feature))


def test_missing_features_and_functions_count_as_zero(app, monkeypatch):
    _fake(monkeypatch, {"archive": types.SimpleNamespace(), "market": None})
    assert metrics.platform_metrics() == dict.fromkeys(metrics.KEYS, 0)
    monthly = metrics.monthly_platform_metrics(3, today=date(2024, 2, 10))
    assert [m["month"] for m in monthly] == ["2023-12", "2024-01", "2024-02"]
    assert all(m[k] == 0 for m in monthly for k in NINE)
    assert metrics.resources_by_kind_and_dong() == {}


def test_features_figures_are_whole_numbers(app, monkeypatch):
    _fake(
        monkeypatch,
        {
            "archive": types.SimpleNamespace(
                metrics=lambda: {"resources": 12},
                monthly_metrics=lambda: [
                    {"month": "2024-01", "resources": 5},
                    {"month": date(2024, 2, 1), "resources": 7},
                ],
                resource_counts_by_kind_and_dong=lambda: [{"kind": "space", "dong": "종암동", "count": 3}],
            ),
            "market": types.SimpleNamespace(
                metrics=lambda: {"listings": 4.0, "loans_completed": None},
                monthly_metrics=lambda: {"2024-02": {"listings": 2, "loans_completed": 1}},
            ),
            "news": types.SimpleNamespace(
                metrics=lambda: {"posts": "9"},
                monthly_metrics=lambda: {"posts": {"2024-01": 3, "2024-02": 6}},
            ),
            "card": types.SimpleNamespace(
                metrics=lambda: {
                    "organizations_on_card": 2,
                    "card_payments": 10,
                    "card_volume": 150_000,
                    "mileage_issued": 1_500,
                    "fund_balance": 1_485,
                    "extra": 1,
                },
                monthly_metrics=lambda: {"card_volume": [("2024-02", 150_000)]},
            ),
        },
    )
    figures = metrics.platform_metrics()
    assert figures == {
        "resources": 12,
        "listings": 4,
        "loans_completed": 0,
        "posts": 9,
        "organizations_on_card": 2,
        "card_payments": 10,
        "card_volume": 150_000,
        "mileage_issued": 1_500,
        "fund_balance": 1_485,
    }
    assert all(type(v) is int for v in figures.values())
    monthly = {m["month"]: m for m in metrics.monthly_platform_metrics(2, today=date(2024, 2, 10))}
    assert monthly["2024-01"]["resources"] == 5 and monthly["2024-01"]["posts"] == 3
    assert monthly["2024-02"] == {
        "month": "2024-02",
        "resources": 7,
        "listings": 2,
        "loans_completed": 1,
        "posts": 6,
        "organizations_on_card": 0,
        "card_payments": 0,
        "card_volume": 150_000,
        "mileage_issued": 0,
        "fund_balance": 0,
    }
    assert metrics.resources_by_kind_and_dong() == {"space": {"종암동": 3}}


@pytest.mark.parametrize(
    "raw,expected",
    [
        ({("person", "석관동"): 2}, {"person": {"석관동": 2}}),
        ({"person": {"석관동": 2}}, {"person": {"석관동": 2}}),
        ([("person", "석관동", 2)], {"person": {"석관동": 2}}),
    ],
)
def test_resource_counts_shapes(app, monkeypatch, raw, expected):
    _fake(monkeypatch, {"archive": types.SimpleNamespace(resource_counts_by_kind_and_dong=lambda: raw)})
    assert metrics.resources_by_kind_and_dong() == expected


def test_steps_of_3_1_follow_the_metrics():
    steps = {
        "2019": [
            {"text": "지역거래카드 도입", "metrics": ["card_payments"]},
            {"text": "평가 및 반영", "metrics": []},
        ]
    }
    none = metrics.step_status(steps, dict.fromkeys(metrics.KEYS, 0))
    assert none[0]["items"][0]["started"] is False and none[0]["items"][1]["measurable"] is False
    some = metrics.step_status(steps, {"card_payments": 3})
    assert some[0]["year"] == 2019 and some[0]["items"][0]["started"] is True
