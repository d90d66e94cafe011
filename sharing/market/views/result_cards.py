"""The listing cards of a results page as view-models: what each card shows, computed in Python once
per page, drawn by the ``listing_card`` macro (templates/market/_macros.html).

The labels are translated once per locale for the process (``core.i18n.labels``), the address of
``market.show`` is built by url_for once per page (so it honours SCRIPT_NAME) and each card's is that
address with its id; the template only places the values.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from ...core.i18n import labels, locale_code
from ...core.media import media_url
from ...core.vocab import LISTING_CATEGORIES
from ..common import KIND_LABELS, LISTING_STATUS_LABELS, PRICE_TEXTS, price_line

CARD_TEXTS = {
    "verified": _l("인증 조직"),
    "rating": _l("별점 %(avg)s (%(n)s개)"),
    "hidden": _l("센터가 숨김"),
}
_ID = 987654321  # a listing id url_for fills in once; each card's id takes its place


@dataclass(frozen=True, slots=True)
class ResultCard:
    title: str
    url: str
    kind: str  # the code (the tag's class)
    kind_label: str
    dong: str
    category_label: str
    price_label: str
    thumb_url: str | None
    organization: str | None
    verified_text: str | None  # set when the organisation is verified
    rating_text: str | None
    status_label: str | None  # set when the status must show
    status_warn: bool
    hidden_text: str | None  # set when the centre hid the listing


def listing_urls():
    """``id -> market.show``'s address for this request (url_for called once)."""
    prefix, suffix = url_for("market.show", listing_id=_ID).rsplit(str(_ID), 1)
    return lambda listing_id: f"{prefix}{listing_id}{suffix}"


def result_cards(listings, *, show_status: bool = False) -> list[ResultCard]:
    """The cards of ``listings`` (ListingRows or Listings). The status shows on the owner's pages
    (``show_status``) and wherever it is not simply "active"."""
    locale = locale_code()
    texts = labels(CARD_TEXTS, locale)
    kinds = labels(KIND_LABELS, locale)
    categories = labels(LISTING_CATEGORIES, locale)
    statuses = labels(LISTING_STATUS_LABELS, locale)
    prices = labels(PRICE_TEXTS, locale)
    url = listing_urls()
    cards = []
    for listing in listings:
        org = listing.organization
        status_shows = show_status or listing.status != "active" or listing.hidden
        cards.append(
            ResultCard(
                title=listing.title,
                url=url(listing.id),
                kind=listing.kind,
                kind_label=kinds.get(listing.kind, listing.kind),
                dong=listing.dong,
                category_label=categories.get(listing.category, listing.category),
                price_label=price_line(listing, prices),
                thumb_url=media_url(listing.cover_thumb_key) if listing.cover_thumb_key else None,
                organization=org.name if org else None,
                verified_text=texts["verified"] if org and org.verified else None,
                rating_text=texts["rating"] % {"avg": listing.rating_average, "n": listing.rating_count}
                if listing.rating_count
                else None,
                status_label=statuses.get(listing.status, listing.status) if status_shows else None,
                status_warn=listing.status != "active",
                hidden_text=texts["hidden"] if status_shows and listing.hidden else None,
            )
        )
    return cards
