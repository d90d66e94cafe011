"""The listing card, drawn in Python like a form widget.

A results page draws twenty cards; as a Jinja macro each card cost some thirty template lookups,
escapes and label calls (about a fifth of the page's time). Here it is one pass of string building
with every text still translated (the labels once per locale for the process) and every value
escaped. The markup is the one the pages had: a title link, the kind as text, dong, category, price,
the organisation, the rating and, where it matters, the status.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..i18n import labels, locale_code
from ..media import media_url
from ..vocab import LISTING_CATEGORIES
from .common import KIND_LABELS, LISTING_STATUS_LABELS, PRICE_TEXTS, Labels, price_line

CARD_TEXTS = {
    "verified": _l("인증 조직"),
    "rating": _l("별점 %(avg)s (%(n)s개)"),
    "status": _l("상태:"),
    "hidden": _l("센터가 숨김"),
}
HEADINGS = frozenset({"h2", "h3"})


def listing_card(listing, heading: str = "h2", show_status: bool = False) -> Markup:
    """One ``<li class="card listing-card">`` of a results grid (a ListingCard or a Listing)."""
    if heading not in HEADINGS:
        raise ValueError(f"unexpected heading {heading!r}")
    locale = locale_code()
    texts = labels(CARD_TEXTS, locale)
    kind = escape(labels(KIND_LABELS, locale).get(listing.kind, listing.kind))
    category = labels(LISTING_CATEGORIES, locale).get(listing.category, listing.category)
    if listing.cover_thumb_key:
        thumb = (
            f'<img class="thumb" src="{escape(media_url(listing.cover_thumb_key))}" alt="" loading="lazy" '
            'width="400" height="300">'
        )
    else:
        thumb = f'<div class="thumb thumb-empty" aria-hidden="true">{kind}</div>'
    parts = [
        '<li class="card listing-card">',
        thumb,
        f'<{heading} class="listing-title"><a href="{escape(Labels.url(listing.id))}">{escape(listing.title)}</a>'
        f"</{heading}>",
        f'<p class="meta"><span class="tag kind kind-{escape(listing.kind)}">{kind}</span> {escape(listing.dong)} · '
        f"{escape(category)}</p>",
        f'<p class="price">{escape(price_line(listing, labels(PRICE_TEXTS, locale)))}</p>',
    ]
    org = listing.organization
    if org:
        verified = f' <span class="tag ok">✓ {escape(texts["verified"])}</span>' if org.verified else ""
        parts.append(f'<p class="meta">{escape(org.name)}{verified}</p>')
    if listing.rating_count:
        rating = escape(texts["rating"]) % {"avg": listing.rating_average, "n": listing.rating_count}
        parts.append(f'<p class="meta">{rating}</p>')
    if show_status or listing.status != "active" or listing.hidden:
        warn = " warn" if listing.status != "active" else ""
        status = labels(LISTING_STATUS_LABELS, locale).get(listing.status, listing.status)
        hidden = f' <span class="tag danger">{escape(texts["hidden"])}</span>' if listing.hidden else ""
        parts.append(
            f'<p class="meta">{escape(texts["status"])} <span class="tag{warn}">{escape(status)}</span>{hidden}</p>'
        )
    parts.append("</li>")
    return Markup("".join(parts))
