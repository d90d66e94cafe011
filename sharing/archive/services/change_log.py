"""An entry's change history as people read it.

A revision stores each changed field as ``{field: [old, new]}`` in codes and raw values (``"culture"``,
``"space"``, an organisation's id, ISO instants). This module turns them into what a resident reads:
the category's and the kind's labels, the organisation's name, tags as ``#tag``, days in the page's
language. The template ``archive/_history.html`` renders the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.extensions import db
from ...core.i18n import day
from ...core.vocab import RESOURCE_CATEGORIES, label
from ...orgs.models import Organization
from ..vocab import RESOURCE_KINDS
from .revisions import ACTIONS, FIELD_LABELS, PRIVATE_FIELDS

# Fields only the centre reads in the history: the import's key means nothing to residents.
CENTRE_FIELDS = ("external_id",)
DATE_FIELDS = ("confirmed_at", "archived_at", "hidden_at")
TEXT_LIMIT = 200
# The actions whose changes are listed field by field (the others say it all in their name).
LISTED_ACTIONS = ("create", "update", "import")


@dataclass(frozen=True)
class FieldChange:
    """One changed field: its label and its old and new values as read (``""`` when there was none).
    ``private`` means the values are withheld from this reader."""

    name: str
    label: str
    old: str
    new: str
    private: bool = False


@dataclass(frozen=True)
class Entry:
    """One revision: what was done, when, by whom, and the fields it changed."""

    action: str
    action_label: str
    created_at: datetime
    actor_name: str
    changes: list[FieldChange] = field(default_factory=list)


def _organization_names(revisions) -> dict[int, str]:
    """The names of every organisation the revisions mention (one query)."""
    ids = set()
    for rev in revisions:
        for value in (rev.changes or {}).get("organization_id", ()):
            if isinstance(value, int) and not isinstance(value, bool):
                ids.add(value)
    if not ids:
        return {}
    rows = db.session.execute(select(Organization.id, Organization.name).where(Organization.id.in_(ids)))
    return {row.id: row.name for row in rows}


def _as_day(value) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return day(value) if isinstance(value, datetime) else str(value)


def readable(name: str, value, organizations: dict[int, str] | None = None) -> str:
    """One stored value of a field as people read it; ``""`` for no value."""
    if value is None or value == "" or value == []:
        return ""
    if name == "kind":
        return label(RESOURCE_KINDS, value)
    if name == "category":
        return label(RESOURCE_CATEGORIES, value)
    if name == "organization_id":
        names = organizations or {}
        return names.get(value) or _("(삭제된 조직)")
    if name == "tags":
        items = value if isinstance(value, list | tuple) else str(value).split(",")
        return " ".join(f"#{str(t).strip()}" for t in items if str(t).strip())
    if name in DATE_FIELDS:
        return _as_day(value)
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def field_changes(
    changes: dict,
    *,
    signed_in: bool,
    centre: bool = False,
    organizations: dict[int, str] | None = None,
) -> list[FieldChange]:
    """A revision's changes in the fields' order, each value readable; private values are withheld
    from readers who are not signed in, and the centre's own fields from everyone else."""
    order = list(FIELD_LABELS)
    rows = []
    for name in sorted(changes or {}, key=lambda n: (order.index(n) if n in order else len(order), n)):
        if name in CENTRE_FIELDS and not centre:
            continue
        old, new = (list(changes[name]) + [None, None])[:2]
        if name in PRIVATE_FIELDS and not signed_in:
            rows.append(FieldChange(name, label(FIELD_LABELS, name), "", "", private=True))
            continue
        rows.append(
            FieldChange(
                name,
                label(FIELD_LABELS, name),
                readable(name, old, organizations),
                readable(name, new, organizations),
            )
        )
    return rows


def entries(revisions, *, signed_in: bool, centre: bool = False) -> list[Entry]:
    """The history as people read it (the revisions newest first, as given)."""
    organizations = _organization_names(revisions)
    out = []
    for rev in revisions:
        listed = rev.action in LISTED_ACTIONS
        out.append(
            Entry(
                action=rev.action,
                action_label=label(ACTIONS, rev.action),
                created_at=rev.created_at,
                actor_name=rev.actor.name if rev.actor is not None else "",
                changes=field_changes(
                    rev.changes, signed_in=signed_in, centre=centre, organizations=organizations
                )
                if listed
                else [],
            )
        )
    return out
