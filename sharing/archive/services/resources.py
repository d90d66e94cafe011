"""The resource archive's rules: who registers what, edits, confirmation, archiving, moderation.

Every write runs in ``transaction()`` and leaves a revision (``revisions.record``).
"""

from __future__ import annotations

from datetime import timedelta

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import delete, select

from ...auth.services import require_centre
from ...core.db import transaction, utcnow
from ...core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from ...core.extensions import db
from ...core.time import aware
from ...orgs.models import Organization
from ...orgs.services import is_member
from ...records.log import add_report, record_action
from ...records.models import Report
from ..models import Resource, ResourceTag
from ..vocab import KINDS_NEEDING_ORGANIZATION, STALE_AFTER_DAYS
from . import revisions
from .validation import clean

# --- Lookups and permissions ------------------------------------------------------------------


def get(resource_id: int) -> Resource:
    resource = db.session.get(Resource, resource_id)
    if resource is None:
        raise NotFound(_("자원을 찾을 수 없습니다."), code="resource_not_found")
    return resource


def can_manage(actor, resource: Resource) -> bool:
    """The one rule for editing, confirming and deleting: the owner or the centre."""
    if actor is None or not getattr(actor, "is_authenticated", True):
        return False
    return actor.is_centre or (resource.owner_id is not None and resource.owner_id == actor.id)


def get_visible(actor, resource_id: int) -> Resource:
    """A resource anyone may see; archived or hidden ones only for its owner and the centre."""
    resource = get(resource_id)
    if not resource.is_public and not can_manage(actor, resource):
        raise NotFound(_("자원을 찾을 수 없습니다."), code="resource_not_found")
    return resource


def _require_manager(actor, resource: Resource) -> None:
    if actor is None:
        raise Unauthorized()
    if not can_manage(actor, resource):
        raise Forbidden(_("등록한 사람이나 센터만 할 수 있습니다."))


def _check_rules(actor, state: dict, *, organization_changed: bool, external_changed: bool) -> None:
    """Who may register which kind, link which organisation, and set the import key."""
    org_id = state.get("organization_id")
    if organization_changed and org_id is not None:
        if db.session.get(Organization, org_id) is None:
            raise Invalid(fields={"organization_id": [_("조직을 찾을 수 없습니다.")]})
        if not actor.is_centre and not is_member(actor, org_id):
            raise Forbidden(_("조직의 구성원만 자원을 그 조직과 연결할 수 있습니다."))
    if external_changed and not actor.is_centre:
        raise Forbidden(_("외부 식별자는 센터만 정할 수 있습니다."))
    if actor.is_centre:
        return
    if state.get("kind") in KINDS_NEEDING_ORGANIZATION and org_id is None:
        raise Invalid(
            fields={"organization_id": [_("공간·단체·프로그램은 조직의 구성원이 조직을 선택해 등록합니다.")]}
        )


def _require_external_free(external_id: str | None, resource_id: int | None) -> None:
    if external_id is None:
        return
    row = db.session.execute(select(Resource.id).where(Resource.external_id == external_id)).first()
    if row is not None and row[0] != resource_id:
        raise Conflict(_("같은 외부 식별자를 쓰는 자원이 있습니다."), code="external_id_taken")


def set_tags(resource: Resource, tags: list[str]) -> None:
    """Write the tags twice: the child rows (facets) and the text column (search)."""
    if resource.tag_list == tags:
        return
    resource.tags_text = ", ".join(tags)
    if resource.id is not None:
        db.session.execute(delete(ResourceTag).where(ResourceTag.resource_id == resource.id))
        db.session.expire(resource, ["tags"])
        for tag in tags:
            db.session.add(ResourceTag(resource_id=resource.id, tag=tag))
    else:
        resource.tags = [ResourceTag(tag=t) for t in tags]


def apply_values(resource: Resource, values: dict) -> None:
    for name, value in values.items():
        if name == "tags":
            set_tags(resource, value)
        else:
            setattr(resource, name, value)


# --- Writes -----------------------------------------------------------------------------------


def create(actor, values: dict, *, action: str = "create") -> Resource:
    """Register a resource. ``actor`` becomes its owner (who registered it)."""
    if actor is None:
        raise Unauthorized()
    data = clean(values)
    data = {"description": "", "contact": "", "availability": "", "tags": [], **data}
    _check_rules(
        actor,
        data,
        organization_changed=True,
        external_changed=data.get("external_id") is not None,
    )
    with transaction():
        _require_external_free(data.get("external_id"), None)
        resource = Resource(owner_id=actor.id, confirmed_at=utcnow())
        tags = data.pop("tags")
        apply_values(resource, data)
        db.session.add(resource)
        db.session.flush()
        set_tags(resource, tags)
        db.session.flush()
        revisions.record(resource, actor, action, revisions.diff({}, revisions.snapshot(resource)))
    return resource


def update(actor, resource_id: int, values: dict) -> Resource:
    """Change some fields (owner or centre). Editing also counts as confirming the entry."""
    if actor is None:
        raise Unauthorized()
    data = clean(values, partial=True)
    with transaction():
        resource = get(resource_id)
        _require_manager(actor, resource)
        before = revisions.snapshot(resource)
        state = {**before, **data}
        _check_rules(
            actor,
            state,
            organization_changed=state["organization_id"] != before["organization_id"],
            external_changed=state["external_id"] != before["external_id"],
        )
        if state["external_id"] != before["external_id"]:
            _require_external_free(state["external_id"], resource.id)
        apply_values(resource, data)
        changes = revisions.diff(before, revisions.snapshot(resource))
        if changes:
            old_confirmed = resource.confirmed_at
            resource.confirmed_at = utcnow()
            changes["confirmed_at"] = [old_confirmed, resource.confirmed_at]
            revisions.record(resource, actor, "update", changes)
    return resource


def delete_resource(actor, resource_id: int) -> None:
    """Remove an entry for good (owner or centre): a person may withdraw their own data."""
    if actor is None:
        raise Unauthorized()
    with transaction():
        resource = get(resource_id)
        _require_manager(actor, resource)
        if actor.is_centre and resource.owner_id != actor.id:
            record_action(actor, "resource.delete", "resource", resource.id, name=resource.name)
        db.session.delete(resource)


def confirm(actor, resource_id: int) -> Resource:
    """One click: "this is still right". Resets the entry's last-confirmed date."""
    if actor is None:
        raise Unauthorized()
    with transaction():
        resource = get(resource_id)
        _require_manager(actor, resource)
        old = resource.confirmed_at
        resource.confirmed_at = utcnow()
        revisions.record(resource, actor, "confirm", {"confirmed_at": [old, resource.confirmed_at]})
    return resource


def set_archived(actor, resource_id: int, archived: bool = True) -> Resource:
    """The centre archives an entry (it leaves the public list and the exports) or restores it."""
    require_centre(actor)
    with transaction():
        resource = get(resource_id)
        if (resource.archived_at is not None) == archived:
            return resource
        old = resource.archived_at
        resource.archived_at = utcnow() if archived else None
        revisions.record(
            resource,
            actor,
            "archive" if archived else "restore",
            {"archived_at": [old, resource.archived_at]},
        )
        record_action(actor, "resource.archive" if archived else "resource.restore", "resource", resource.id)
    return resource


def archive_many(actor, resource_ids) -> int:
    """Archive several stale entries at once (all or nothing). Returns how many changed."""
    require_centre(actor)
    count = 0
    with transaction():
        for resource_id in sorted(set(resource_ids)):
            resource = get(resource_id)
            if resource.archived_at is None:
                set_archived(actor, resource_id, True)
                count += 1
    return count


def set_resource_hidden(actor, target_id: int, hidden: bool) -> Resource:
    """Moderation (centre only): a hidden entry is out of every public list, page and export."""
    require_centre(actor)
    with transaction():
        resource = get(target_id)
        if (resource.hidden_at is not None) != hidden:
            old = resource.hidden_at
            resource.hidden_at = utcnow() if hidden else None
            revisions.record(
                resource, actor, "hide" if hidden else "unhide", {"hidden_at": [old, resource.hidden_at]}
            )
        record_action(actor, "resource.hide" if hidden else "resource.unhide", "resource", resource.id)
    return resource


MODERATION = {"resource": set_resource_hidden}


def describe_target(target_type: str, target_id: int) -> dict | None:
    """What the centre's moderation queue shows of a reported resource (None when it is gone)."""
    if target_type != "resource":
        return None
    resource = db.session.get(Resource, target_id)
    if resource is None:
        return None
    return {
        "title": resource.name,
        "author_id": resource.owner_id,
        "url": url_for("archive.show", resource_id=resource.id),
        "hidden": resource.hidden_at is not None,
    }


def report(actor, resource_id: int, reason: str, comment: str = "") -> Report:
    """A signed-in resident reports an entry to the centre (once while the report is open: add_report)."""
    if actor is None:
        raise Unauthorized()
    with transaction():
        resource = get_visible(actor, resource_id)
        return add_report(actor, "resource", resource.id, reason, comment)


# --- Keeping it alive -------------------------------------------------------------------------


def stale_cutoff():
    return utcnow() - timedelta(days=STALE_AFTER_DAYS)


def stale_query(actor):
    """Entries nobody confirmed for over a year, oldest first (centre only)."""
    require_centre(actor)
    return (
        select(Resource)
        .where(Resource.archived_at.is_(None), Resource.confirmed_at < stale_cutoff())
        .order_by(Resource.confirmed_at, Resource.id)
    )


def is_stale(resource: Resource) -> bool:
    return aware(resource.confirmed_at) < stale_cutoff()


def history(resource_id: int):
    return revisions.history(resource_id)


def organizations_for(actor) -> list[Organization]:
    """The organisations ``actor`` may link a resource to (all of them for the centre)."""
    if actor is None:
        return []
    if actor.is_centre:
        return list(db.session.execute(select(Organization).order_by(Organization.name)).scalars())
    return sorted(actor.organizations, key=lambda o: o.name)
