"""Every change of a resource is kept: a field-level diff ``{field: [old, new]}`` per revision."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ...core.extensions import db
from ...core.time import aware
from ..models import Resource, ResourceRevision
from .validation import FIELDS

TRACKED = FIELDS  # every field a resource's editors can change is kept in its history

ACTIONS = {
    "create": _l("등록"),
    "update": _l("수정"),
    "confirm": _l("정보 확인"),
    "archive": _l("보관"),
    "restore": _l("보관 해제"),
    "hide": _l("숨김"),
    "unhide": _l("숨김 해제"),
    "import": _l("가져오기"),
}

FIELD_LABELS = {
    "kind": _l("유형"),
    "category": _l("분야"),
    "name": _l("이름"),
    "description": _l("설명"),
    "dong": _l("행정동"),
    "tags": _l("태그"),
    "contact": _l("연락처"),
    "availability": _l("이용 시간·안내"),
    "organization_id": _l("연결된 조직"),
    "external_id": _l("외부 식별자"),
    "confirmed_at": _l("마지막 확인"),
    "archived_at": _l("보관"),
    "hidden_at": _l("숨김"),
}

# Fields whose old and new values only signed-in readers may see in the history.
PRIVATE_FIELDS = ("contact",)


def _json(value):
    if isinstance(value, datetime):
        return aware(value).isoformat()
    if isinstance(value, list | tuple):
        return list(value)
    return value


def snapshot(resource: Resource) -> dict:
    values = {f: getattr(resource, f) for f in TRACKED if f != "tags"}
    values["tags"] = resource.tag_list
    return values


def diff(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for every field whose value differs."""
    changes = {}
    for key in sorted(set(before) | set(after)):
        old, new = _json(before.get(key)), _json(after.get(key))
        if old != new:
            changes[key] = [old, new]
    return changes


def record(resource: Resource, actor, action: str, changes: dict) -> ResourceRevision:
    """Add a revision (inside the caller's transaction)."""
    revision = ResourceRevision(
        resource_id=resource.id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        changes={k: [_json(v[0]), _json(v[1])] for k, v in changes.items()},
    )
    db.session.add(revision)
    return revision


def history(resource_id: int, limit: int = 200) -> list[ResourceRevision]:
    """The resource's revisions, newest first."""
    stmt = (
        select(ResourceRevision)
        .where(ResourceRevision.resource_id == resource_id)
        .order_by(ResourceRevision.id.desc())
        .limit(limit)
    )
    return list(db.session.execute(stmt).scalars())
