"""The swap-and-share market (공유·교환 장터): listings, their photos, loans (requests), messages, reviews.

Raw DDL the migration needs beyond the columns (attached here so ``db.create_all()`` builds it too):

- the Korean substring index of listings (``LISTING_SEARCH.create_sql(dialect)``: an FTS5 trigram
  table + triggers on SQLite, a pg_trgm GIN index on PostgreSQL);
- on PostgreSQL, ``LOAN_OVERLAP_DDL``: the btree_gist extension and an exclusion constraint so that two
  accepted or borrowed loans of one listing never overlap, whatever the application does.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    DDL,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import utcnow
from ..core.extensions import db
from ..core.search import SearchIndex

KINDS = ("share", "rent", "swap", "giveaway", "sell")
BORROWABLE_KINDS = ("share", "rent")  # lent for a date range and given back
TRANSFER_KINDS = ("swap", "giveaway", "sell")  # change hands once, on one agreed day
CONDITIONS = ("new", "like_new", "good", "fair", "worn")
LISTING_STATUSES = ("active", "paused", "closed", "deleted")
LOAN_STATUSES = ("requested", "accepted", "declined", "cancelled", "borrowed", "returned")
BLOCKING_STATUSES = ("accepted", "borrowed")  # hold the listing's dates
OPEN_STATUSES = ("requested", "accepted", "borrowed")


class ListingFacts:
    """What a listing's columns say beyond themselves: shared by :class:`Listing` and the results
    pages' ``services.results.ListingRow`` (both have ``kind``, ``hidden_at``, the rating sums and
    ``organization``)."""

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def rating_average(self) -> float | None:
        return round(self.rating_sum / self.rating_count, 1) if self.rating_count else None

    @property
    def card_rental(self) -> bool:
        """Paid with the trade card at hand-over: a rental owned by a verified organisation."""
        return self.kind == "rent" and self.organization is not None and self.organization.verified


class Listing(ListingFacts, db.Model):
    __tablename__ = "listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organizations.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(20))
    dong: Mapped[str] = mapped_column(String(10))
    condition: Mapped[str] = mapped_column(String(10), default="good")
    price: Mapped[int | None] = mapped_column(Integer)
    price_per_day: Mapped[int | None] = mapped_column(Integer)
    deposit: Mapped[str | None] = mapped_column(String(200))  # a note: "보증금 1만 원, 반납 때 돌려드려요"
    status: Mapped[str] = mapped_column(String(10), default="active")
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cover_thumb_key: Mapped[str | None] = mapped_column(String(100))  # first photo's thumbnail
    photo_count: Mapped[int] = mapped_column(Integer, default=0)
    rating_sum: Mapped[int] = mapped_column(Integer, default=0)  # borrowers' ratings of this listing
    rating_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    # selectin, not joined: the list query stays a one-table query its indexes can serve
    owner = relationship("User", lazy="selectin")
    organization = relationship("Organization", lazy="selectin")
    photos = relationship(
        "ListingPhoto",
        back_populates="listing",
        order_by="ListingPhoto.position, ListingPhoto.id",
        cascade="all, delete-orphan",
        lazy="selectin",
    )

    __table_args__ = (
        CheckConstraint("kind IN ('share','rent','swap','giveaway','sell')", name="kind"),
        CheckConstraint("status IN ('active','paused','closed','deleted')", name="status"),
        CheckConstraint("price IS NULL OR price BETWEEN 1 AND 10000000", name="price_range"),
        CheckConstraint(
            "price_per_day IS NULL OR price_per_day BETWEEN 1 AND 10000000", name="price_per_day_range"
        ),
        CheckConstraint("kind <> 'rent' OR price_per_day IS NOT NULL", name="rent_has_price_per_day"),
        CheckConstraint("kind <> 'sell' OR price IS NOT NULL", name="sell_has_price"),
        Index("ix_listings_visible", "status", "hidden_at"),  # search counts read this index only
        Index("ix_listings_kind", "kind"),
        Index("ix_listings_dong_category", "dong", "category"),
    )

    @property
    def borrowable(self) -> bool:
        return self.kind in BORROWABLE_KINDS


LISTING_SEARCH = SearchIndex("listings", ("title", "description"))
LISTING_SEARCH.attach(Listing)


class ListingPhoto(db.Model):
    __tablename__ = "listing_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100), index=True)  # who uses a file (sharing.core.media)
    thumb_key: Mapped[str] = mapped_column(String(100), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(30))
    size: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    listing = relationship("Listing", back_populates="photos")


class Loan(db.Model):
    """A request to borrow (or, for swap/giveaway/sell, to receive) a listing: the API's "request"."""

    __tablename__ = "loans"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    borrower_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="requested")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text, default="")
    amount: Mapped[int | None] = mapped_column(Integer)  # rentals: the agreed price_per_day × days
    # Rentals: the daily price agreed when the request was made (a later change never applies to it)
    price_per_day: Mapped[int | None] = mapped_column(Integer)
    payment_id: Mapped[int | None] = mapped_column(Integer)  # the card service's payment
    refund_id: Mapped[int | None] = mapped_column(Integer)  # early return refund, if any
    refunded_amount: Mapped[int] = mapped_column(Integer, default=0)
    handover_key: Mapped[str | None] = mapped_column(String(100))  # Idempotency-Key of the hand-over
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handed_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    returned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    listing = relationship("Listing", lazy="joined", innerjoin=True)
    borrower = relationship("User", foreign_keys=[borrower_id], lazy="joined", innerjoin=True)

    __table_args__ = (
        CheckConstraint(
            "status IN ('requested','accepted','declined','cancelled','borrowed','returned')",
            name="status",
        ),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        Index("ix_loans_listing_status", "listing_id", "status"),
    )

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


# PostgreSQL: no two accepted/borrowed loans of a listing overlap, enforced by the database itself.
LOAN_OVERLAP_DDL = (
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE loans ADD CONSTRAINT ex_loans_no_overlap EXCLUDE USING gist "
    "(listing_id WITH =, daterange(start_date, end_date, '[]') WITH &&) "
    "WHERE (status IN ('accepted','borrowed'))",
)
LOAN_OVERLAP_DROP = ("ALTER TABLE loans DROP CONSTRAINT IF EXISTS ex_loans_no_overlap",)
for _stmt in LOAN_OVERLAP_DDL:
    event.listen(Loan.__table__, "after_create", DDL(_stmt).execute_if(dialect="postgresql"))


class ListingQuestion(db.Model):
    """A resident's questions to a listing's owner before any request: one thread per (listing,
    asker), its messages are :class:`LoanMessage` rows with ``question_id`` set. ``updated_at`` is
    the last message's time; each side's ``*_read_at`` says up to when it has read the thread."""

    __tablename__ = "listing_questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    asker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    asker_read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    owner_read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    listing = relationship("Listing", lazy="joined", innerjoin=True)
    asker = relationship("User", lazy="joined", innerjoin=True)

    __table_args__ = (UniqueConstraint("listing_id", "asker_id"),)


class LoanMessage(db.Model):
    """A message in a thread: a request's (borrower and owner, ``loan_id``) or a question's before
    any request (asker and owner, ``question_id``); exactly one of the two is set."""

    __tablename__ = "loan_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("loans.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("listing_questions.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    hidden_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author = relationship("User", lazy="joined", innerjoin=True)

    __table_args__ = (CheckConstraint("(loan_id IS NULL) <> (question_id IS NULL)", name="one_thread"),)

    @property
    def hidden(self) -> bool:
        return self.hidden_at is not None


class LoanReview(db.Model):
    """A rating after return: the borrower rates the listing and its owner, the owner rates the borrower."""

    __tablename__ = "loan_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("loans.id", ondelete="CASCADE"), index=True)
    listing_id: Mapped[int] = mapped_column(ForeignKey("listings.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # borrower (wrote about the lender) | owner
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author = relationship("User", foreign_keys=[author_id], lazy="joined", innerjoin=True)

    __table_args__ = (
        UniqueConstraint("loan_id", "author_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("role IN ('borrower','owner')", name="role"),
    )
