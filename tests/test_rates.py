"""Card rates: percent on screen and in forms, basis points stored; one conversion both ways."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharing.core import rates


@given(st.integers(min_value=0, max_value=rates.RATE_MAX_BP))
def test_every_stored_rate_reads_back_from_its_percent(bp):
    text = rates.percent(bp)
    assert rates.to_bp(text) == bp
    assert rates.to_bp(text + " %") == bp
    assert Decimal(text) * 100 == bp


@given(st.decimals(min_value=0, max_value=20, places=2, allow_nan=False, allow_infinity=False))
def test_every_typed_percent_keeps_its_value(value):
    bp = rates.to_bp(str(value))
    assert Decimal(rates.percent(bp)) == value


@pytest.mark.parametrize(
    ("typed", "bp", "shown"),
    [
        ("5", 500, "5"),
        ("2.5", 250, "2.5"),
        ("0.25", 25, "0.25"),
        ("2,5", 250, "2.5"),
        ("20", 2000, "20"),
        ("0", 0, "0"),
    ],
)
def test_examples(typed, bp, shown):
    assert rates.to_bp(typed) == bp
    assert rates.percent(bp) == shown


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("1.505", "decimals"),
        ("0.001", "decimals"),
        ("20.01", "range"),
        ("-1", "range"),
        ("500", "range"),
        ("abc", "format"),
        ("", "format"),
        ("NaN", "format"),
        ("Infinity", "format"),
        (None, "format"),
        (True, "format"),
    ],
)
def test_bad_entries_say_why(typed, reason):
    with pytest.raises(rates.RateError) as caught:
        rates.to_bp(typed)
    assert caught.value.reason == reason


@given(st.text(max_size=8))
def test_anything_typed_is_a_rate_in_range_or_refused(text):
    try:
        bp = rates.to_bp(text)
    except rates.RateError:
        return
    assert 0 <= bp <= rates.RATE_MAX_BP and rates.to_bp(rates.percent(bp)) == bp


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("1.505", "소수점 아래 둘째 자리까지만"),
        ("25", "0%에서 20% 사이로"),
        ("다섯", "숫자로 입력해 주세요"),
    ],
)
def test_the_percent_field_answers_in_korean(app, typed, error):
    from werkzeug.datastructures import MultiDict

    from sharing.orgs.forms import CardPolicyForm

    with app.test_request_context("/", method="POST"):
        form = CardPolicyForm(
            formdata=MultiDict({"discount_bp": typed, "mileage_bp": "2.5"}), meta={"csrf": False}
        )
        assert not form.validate()
        assert error in " ".join(form.discount_bp.errors)
        assert form.discount_bp._value() == typed  # kept as typed beside the error
        assert form.mileage_bp.data == 250 and form.mileage_bp._value() == "2.5"
