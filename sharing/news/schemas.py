"""API schemas for the news feed. Types only: the rules (lengths, categories, dates) are the service's."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext as _
from marshmallow import EXCLUDE, fields, validate

from ..core.i18n import labels
from ..core.media import media_url
from ..core.search import MAX_QUERY
from ..core.time import SEOUL, now
from ..core.vocab import label
from ..records.models import REPORT_REASONS
from ..web.schemas import BaseSchema, Choice, CleanString, Dong, Id, SeoulDateTime
from . import render
from .models import CATEGORIES
from .services.posts import state

_TIME_MSG = {"invalid": "시간은 HH:MM 형식이어야 합니다."}
_DATETIME_MSG = {"invalid": "시각은 ISO 8601 형식(예: 2025-05-01T10:00:00+09:00)이어야 합니다."}


class _String(CleanString):
    default_error_messages = {"invalid": "문자열이어야 합니다."}


class PostIn(BaseSchema):
    title = _String(required=True)
    body = _String(required=True, multiline=True)
    category = _String(required=True)
    dong = _String(allow_none=True)
    organization_id = Id(allow_none=True)
    event_date = fields.Date(allow_none=True)
    event_time = fields.Time(allow_none=True, error_messages=_TIME_MSG)
    event_end_time = fields.Time(allow_none=True, error_messages=_TIME_MSG)
    event_place = _String(allow_none=True)
    publish_at = fields.AwareDateTime(allow_none=True, default_timezone=SEOUL, error_messages=_DATETIME_MSG)
    status = _String()
    cover_alt = _String()


class PostPatch(PostIn):
    """Every field optional; ``organization_id`` cannot change (422)."""

    title = _String()
    body = _String(multiline=True)
    category = _String()


class PostQuery(BaseSchema):
    q = fields.String(
        required=False,
        validate=validate.Length(max=MAX_QUERY),
        metadata={"description": "제목이나 본문에 이 글자가 들어간 소식 (대소문자 구별 없음)"},
    )
    category = Choice(CATEGORIES, required=False)
    dong = Dong(required=False)
    organization_id = Id(strict=False, required=False)
    status = Choice(("published", "draft", "scheduled", "hidden", "unpublished"), required=False)
    page = fields.Integer(required=False)
    per_page = fields.Integer(required=False)


class FeedQuery(BaseSchema):
    """Feed readers add their own parameters (cache busting): unknown ones are ignored here."""

    class Meta:
        unknown = EXCLUDE

    category = Choice(CATEGORIES, required=False)
    organization_id = Id(strict=False, required=False)
    dong = Dong(required=False)


class PostOrganizationRef(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    kind = fields.String()


class PostOut(BaseSchema):
    id = fields.Integer()
    title = fields.String()
    body = fields.String(metadata={"description": "Markdown source"})
    body_html = fields.Method("get_body_html", metadata={"description": "sanitised HTML"})
    excerpt = fields.String(metadata={"description": "plain text"})
    category = fields.String()
    category_label = fields.Method("get_category_label")
    dong = fields.String(allow_none=True)
    organization_id = fields.Integer(allow_none=True)
    organization = fields.Nested(PostOrganizationRef, allow_none=True)
    author_name = fields.Method("get_author_name")
    cover_url = fields.Method("get_cover_url")
    cover_thumb_url = fields.Method("get_cover_thumb_url")
    cover_alt = fields.String()
    event_date = fields.Date(allow_none=True)
    event_time = fields.Method("get_event_time")
    event_end_time = fields.Method("get_event_end_time")
    event_place = fields.String(allow_none=True)
    status = fields.String()
    state = fields.Method("get_state", metadata={"description": "draft, scheduled or published"})
    pinned = fields.Method("get_pinned")
    hidden = fields.Method("get_hidden")
    publish_at = SeoulDateTime(allow_none=True)
    edited_at = SeoulDateTime(allow_none=True)
    created_at = SeoulDateTime()
    url = fields.Method("get_url")

    def get_body_html(self, post):
        return render.clean(post.body_html)  # sanitised again on the way out

    def get_category_label(self, post):
        return label(CATEGORIES, post.category)

    def get_author_name(self, post):
        return post.organization.name if post.organization is not None else _("마을사회적경제센터")

    def get_cover_url(self, post):
        return media_url(post.cover_key) if post.cover_key else None

    def get_cover_thumb_url(self, post):
        return media_url(post.cover_thumb_key) if post.cover_thumb_key else None

    def get_event_time(self, post):
        return post.event_time.strftime("%H:%M") if post.event_time else None

    def get_event_end_time(self, post):
        return post.event_end_time.strftime("%H:%M") if post.event_end_time else None

    def get_state(self, post):
        return state(post)

    def get_pinned(self, post):
        return post.pinned_at is not None

    def get_hidden(self, post):
        return post.hidden_at is not None

    def get_url(self, post):
        return f"/news/{post.id}"


class PostListOut(PostOut):
    class Meta:
        exclude = ("body", "body_html")


def _seoul_iso(value: datetime | None) -> str | None:
    """What ``SeoulDateTime`` writes: the instant in Seoul time with its offset (naive means UTC)."""
    if value is None:
        return None
    return (value if value.tzinfo is not None else value.replace(tzinfo=UTC)).astimezone(SEOUL).isoformat()


def list_items(rows) -> list[dict]:
    """``PostListOut().dump(rows, many=True)`` for the rows of ``services.public_page``, built as
    plain dicts (the labels translated once per answer, not once per row; a test keeps the two equal)."""
    names = labels(CATEGORIES)
    centre = _("마을사회적경제센터")
    at = now()
    items = []
    for post in rows:
        org = post.organization
        items.append(
            {
                "id": post.id,
                "title": post.title,
                "excerpt": post.excerpt,
                "category": post.category,
                "category_label": names.get(post.category, post.category or ""),
                "dong": post.dong,
                "organization_id": post.organization_id,
                "organization": {"id": org.id, "name": org.name, "kind": org.kind} if org else None,
                "author_name": org.name if org else centre,
                "cover_url": media_url(post.cover_key) if post.cover_key else None,
                "cover_thumb_url": media_url(post.cover_thumb_key) if post.cover_thumb_key else None,
                "cover_alt": post.cover_alt,
                "event_date": post.event_date.isoformat() if post.event_date else None,
                "event_time": post.event_time.strftime("%H:%M") if post.event_time else None,
                "event_end_time": post.event_end_time.strftime("%H:%M") if post.event_end_time else None,
                "event_place": post.event_place,
                "status": post.status,
                "state": state(post, at),
                "pinned": post.pinned_at is not None,
                "hidden": post.hidden_at is not None,
                "publish_at": _seoul_iso(post.publish_at),
                "edited_at": _seoul_iso(post.edited_at),
                "created_at": _seoul_iso(post.created_at),
                "url": f"/news/{post.id}",
            }
        )
    return items


class PinIn(BaseSchema):
    pinned = fields.Boolean(required=True)


class HideIn(BaseSchema):
    hidden = fields.Boolean(required=True)


class PostReportIn(BaseSchema):
    reason = _String(
        required=True,
        metadata={"description": "one of " + ", ".join(REPORT_REASONS)},
        validate=validate.Length(max=20),
    )
    comment = _String(
        load_default="", validate=validate.Length(max=1000, error="1000자 이하로 입력해 주세요.")
    )


class PostReportOut(BaseSchema):
    id = fields.Integer()
    target_type = fields.String()
    target_id = fields.Integer()
    reason = fields.String()
    status = fields.String()


class FollowIn(BaseSchema):
    category = _String()
    dong = _String()
    organization_id = Id()


class FollowOut(BaseSchema):
    id = fields.Integer()
    kind = fields.String()
    category = fields.Method("get_category")
    dong = fields.Method("get_dong")
    organization_id = fields.Integer(allow_none=True)
    label = fields.Method("get_label")
    created_at = SeoulDateTime()

    def get_category(self, row):
        return row.value if row.kind == "category" else None

    def get_dong(self, row):
        return row.value if row.kind == "dong" else None

    def get_label(self, row):
        if row.kind == "category":
            return label(CATEGORIES, row.value)
        if row.kind == "organization":
            return row.organization.name if row.organization is not None else row.value
        return row.value
