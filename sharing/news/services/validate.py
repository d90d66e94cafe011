"""Checking a post's fields: lengths, the category, dongs, event dates and times, publication.

Returns the clean values or raises ``Invalid`` with a Korean message per field.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask_babel import gettext as _

from ...core.errors import Invalid
from ...core.time import seoul_now, seoul_today, to_utc
from ...core.vocab import DONGS
from ..models import ALT_MAX, BODY_MAX, CATEGORIES, PLACE_MAX, STATUSES, TITLE_MAX, Post

EDITABLE = (
    "title",
    "body",
    "category",
    "dong",
    "event_date",
    "event_time",
    "event_end_time",
    "event_place",
    "status",
    "publish_at",
    "cover_alt",
)
# What a reader sees: changing any of these on a public post marks it edited (the status and the schedule do not).
CONTENT = tuple(name for name in EDITABLE if name not in ("status", "publish_at"))


def _text(value, name: str, problems: dict) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        problems[name] = [_("문자열이어야 합니다.")]
        return None
    return value.strip()


def validate(data: dict, *, post: Post | None = None) -> dict:
    """Check the fields given in ``data`` (all of them for a new post). Returns the clean values."""
    creating = post is None
    problems: dict[str, list[str]] = {}
    clean: dict = {}
    unknown = set(data) - set(EDITABLE)
    for name in unknown:
        problems[name] = [_("알 수 없는 항목입니다.")]

    if creating or "title" in data:
        title = _text(data.get("title"), "title", problems)
        if not title and "title" not in problems:
            problems["title"] = [_("제목을 입력해 주세요.")]
        elif title and len(title) > TITLE_MAX:
            problems["title"] = [_("제목은 %(n)s자 이하로 입력해 주세요.", n=TITLE_MAX)]
        clean["title"] = title
    if creating or "body" in data:
        body = _text(data.get("body"), "body", problems)
        if not body and "body" not in problems:
            problems["body"] = [_("본문을 입력해 주세요.")]
        elif body and len(body) > BODY_MAX:
            problems["body"] = [_("본문은 %(n)s자 이하로 입력해 주세요.", n=f"{BODY_MAX:,}")]
        clean["body"] = body
    if creating or "category" in data:
        category = data.get("category")
        if category not in CATEGORIES:
            problems["category"] = [
                _("알 수 없는 분류입니다. 다음 중 하나를 고르세요: %(codes)s", codes=", ".join(CATEGORIES))
            ]
        clean["category"] = category
    if "dong" in data:
        dong = data.get("dong") or None
        if dong is not None and dong not in DONGS:
            problems["dong"] = [_("성북구의 행정동이 아닙니다.")]
        clean["dong"] = dong
    if "event_place" in data:
        place = _text(data.get("event_place"), "event_place", problems) or None
        if place and len(place) > PLACE_MAX:
            problems["event_place"] = [_("장소는 %(n)s자 이하로 입력해 주세요.", n=PLACE_MAX)]
        clean["event_place"] = place
    if "cover_alt" in data:
        alt = _text(data.get("cover_alt"), "cover_alt", problems) or ""
        if len(alt) > ALT_MAX:
            problems["cover_alt"] = [_("사진 설명은 %(n)s자 이하로 입력해 주세요.", n=ALT_MAX)]
        clean["cover_alt"] = alt
    if "event_date" in data:
        value = data.get("event_date")
        if value is not None and (not isinstance(value, date) or isinstance(value, datetime)):
            problems["event_date"] = [_("날짜는 YYYY-MM-DD 형식이어야 합니다.")]
        clean["event_date"] = value
    for name in ("event_time", "event_end_time"):
        if name in data:
            value = data.get(name)
            if value is not None and not isinstance(value, time):
                problems[name] = [_("시간은 HH:MM 형식이어야 합니다.")]
            clean[name] = value
    if "status" in data:
        if data["status"] not in STATUSES:
            problems["status"] = [_("상태는 draft(임시 저장) 또는 published(게시)여야 합니다.")]
        clean["status"] = data["status"]
    if "publish_at" in data:
        value = data.get("publish_at")
        if value is not None and not isinstance(value, datetime):
            problems["publish_at"] = [_("게시 시각 형식이 올바르지 않습니다.")]
        clean["publish_at"] = to_utc(value) if isinstance(value, datetime) else None

    _check_event(clean, post, problems)
    if problems:
        raise Invalid(fields=problems)
    return clean


def _merged(clean: dict, post: Post | None, name: str):
    if name in clean:
        return clean[name]
    return getattr(post, name) if post is not None else None


def _check_event(clean: dict, post: Post | None, problems: dict) -> None:
    event_date = _merged(clean, post, "event_date")
    event_time = _merged(clean, post, "event_time")
    if "event_date" in problems or "event_time" in problems:
        return
    end_time = _merged(clean, post, "event_end_time")
    if event_time is not None and event_date is None:
        problems["event_date"] = [_("행사 시간을 적으려면 날짜도 입력해 주세요.")]
    if end_time is not None and "event_end_time" not in problems:
        if event_time is None:
            problems["event_end_time"] = [_("끝나는 시간을 적으려면 시작 시간도 입력해 주세요.")]
        elif end_time <= event_time:
            problems["event_end_time"] = [_("끝나는 시간은 시작 시간보다 늦어야 합니다.")]
    changed = post is None or any(
        name in clean and clean[name] != getattr(post, name) for name in ("event_date", "event_time")
    )
    if changed and event_date is not None:
        today = seoul_today()
        past = event_date < today
        if event_date == today and event_time is not None:
            past = event_time < seoul_now().time().replace(tzinfo=None)
        if past:
            problems["event_date"] = [_("이미 지난 날짜의 행사는 올릴 수 없습니다.")]
    if _merged(clean, post, "category") == "market_day":
        if event_date is None and "event_date" not in problems:
            problems["event_date"] = [_("장터·행사 소식에는 행사 날짜가 필요합니다.")]
        if not _merged(clean, post, "event_place"):
            problems["event_place"] = [_("장터·행사 소식에는 장소가 필요합니다.")]
