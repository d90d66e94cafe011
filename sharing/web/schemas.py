"""Marshmallow fields shared by every feature's schemas, with Korean messages."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate

from ..core.vocab import DONGS
from .inputs import clean_text

SEOUL = ZoneInfo("Asia/Seoul")


def Text(max_len: int, *, required: bool = True, min_len: int = 1, multiline: bool = False, **kw):
    """A trimmed string of ``min_len``..``max_len`` characters, without control characters
    (``multiline`` keeps line breaks and tabs: bodies, descriptions, messages)."""
    return Trimmed(
        multiline=multiline,
        required=required,
        validate=validate.Length(
            min=min_len,
            max=max_len,
            error=f"{min_len}자 이상 {max_len}자 이하로 입력해 주세요.",
        ),
        **kw,
    )


class CleanString(fields.String):
    """A string with its control characters removed by the one rule of :func:`sharing.web.inputs.clean_text`
    (the forms use it too): ``multiline`` keeps line breaks and tabs."""

    def __init__(self, *, multiline: bool = False, **kw):
        self.multiline = multiline
        super().__init__(**kw)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return clean_text(value, multiline=self.multiline)


class Trimmed(CleanString):
    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        return value.strip()


def Choice(codes, *, required: bool = True, **kw):
    codes = list(codes)
    return fields.String(
        required=required,
        validate=validate.OneOf(codes, error="다음 중 하나여야 합니다: " + ", ".join(codes)),
        **kw,
    )


def Dong(*, required: bool = True, **kw):
    return fields.String(
        required=required,
        validate=validate.OneOf(DONGS, error="성북구의 행정동이 아닙니다."),
        **kw,
    )


class StrictInteger(fields.Integer):
    """An integer that refuses floats, booleans and numeric strings (money is never a string)."""

    def __init__(self, **kw):
        super().__init__(strict=True, **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


ID_MAX = 2**31 - 1  # the integer id columns' limit


def Id(*, strict: bool = True, **kw):
    """A row id, 1..2^31-1: past that it names nothing, and PostgreSQL's integer columns refuse it
    (an overflow 500 instead of a 404). ``strict=False`` for query strings (numbers arrive as text)."""
    field = StrictInteger if strict else fields.Integer
    return field(validate=validate.Range(min=1, max=ID_MAX, error="1 이상의 번호여야 합니다."), **kw)


def Won(*, required: bool = True, minimum: int = 1, maximum: int = 10_000_000, **kw):
    return StrictInteger(
        required=required,
        validate=validate.Range(
            min=minimum,
            max=maximum,
            error=f"금액은 {minimum:,}원 이상 {maximum:,}원 이하의 정수여야 합니다.",
        ),
        **kw,
    )


def BasisPoints(*, maximum: int = 2000, **kw):
    return StrictInteger(
        validate=validate.Range(min=0, max=maximum, error=f"0에서 {maximum} 사이여야 합니다."),
        **kw,
    )


class SeoulDateTime(fields.DateTime):
    """Timestamps are shown in Asia/Seoul with their offset."""

    def _serialize(self, value: datetime | None, attr, obj, **kwargs):
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite hands back naive UTC
            from datetime import UTC

            value = value.replace(tzinfo=UTC)
        return value.astimezone(SEOUL).isoformat()


class BaseSchema(Schema):
    """Schemas refuse unknown fields (a typo is a 422, not silently ignored)."""

    TYPE_MAPPING = {**Schema.TYPE_MAPPING, datetime: SeoulDateTime}
