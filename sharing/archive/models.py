"""The resource archive (지역자원 아카이브): the district's people, spaces, equipment, organisations and
programmes, with their tags and the history of every change.

``Resource.tags_text`` is the denormalised copy of the tags (joined by ", ") that the search index reads;
``ResourceTag`` rows hold the same tags one per row for facets and filters. Both are written only by
``services.set_tags``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import utcnow
from ..core.extensions import db
from ..core.search import SearchIndex

NAME_MAX = 100
DESCRIPTION_MAX = 5000
TAG_MAX = 30
TAGS_MAX = 10
CONTACT_MAX = 200
AVAILABILITY_MAX = 200
EXTERNAL_ID_MAX = 100


class Resource(db.Model):
    __tablename__ = "resources"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    category: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    description: Mapped[str] = mapped_column(Text, default="")
    dong: Mapped[str] = mapped_column(String(10), index=True)
    tags_text: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(CONTACT_MAX), default="")
    availability: Mapped[str] = mapped_column(String(AVAILABILITY_MAX), default="")
    external_id: Mapped[str | None] = mapped_column(String(EXTERNAL_ID_MAX), unique=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    tags = relationship(
        "ResourceTag",
        back_populates="resource",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ResourceTag.id",
    )
    organization = relationship("Organization", lazy="joined")
    owner = relationship("User", lazy="joined")

    __table_args__ = (
        Index("ix_resources_name_dong", "name", "dong"),
        # Covers the public list's counts and facets (no visit to the wide rows).
        Index("ix_resources_public_facets", "archived_at", "hidden_at", "kind", "category", "dong"),
        # The public list in its order (newest first): a page walks it and stops, no sort.
        Index("ix_resources_public_list", "archived_at", "hidden_at", "id"),
    )

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (self.tags_text or "").split(", ") if t]

    @property
    def is_public(self) -> bool:
        return self.archived_at is None and self.hidden_at is None

    @property
    def status(self) -> str:
        if self.hidden_at is not None:
            return "hidden"
        if self.archived_at is not None:
            return "archived"
        return "active"

    @property
    def organization_name(self) -> str:
        return self.organization.name if self.organization is not None else ""

    @property
    def owner_name(self) -> str:
        return self.owner.name if self.owner is not None else ""


class ResourceTag(db.Model):
    __tablename__ = "resource_tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(TAG_MAX), index=True)

    resource = relationship("Resource", back_populates="tags")

    __table_args__ = (UniqueConstraint("resource_id", "tag"),)


class ResourceRevision(db.Model):
    """One change of a resource: who, when, which action, and ``changes`` = {field: [old, new]}."""

    __tablename__ = "resource_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("resources.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    actor = relationship("User", lazy="joined")


RESOURCE_SEARCH = SearchIndex("resources", ("name", "description", "tags_text"))
RESOURCE_SEARCH.attach(Resource)
