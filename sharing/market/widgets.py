"""The results page's pieces drawn in Python like form widgets: the listing card and the filters.

A results page draws twenty cards; as a Jinja macro each card cost some thirty template lookups,
escapes and label calls (about a fifth of the page's time). Here it is one pass of string building
with every text still translated (the labels once per locale for the process) and every value
escaped. The markup is the one the pages had: a title link, the kind as text, dong, category, price,
the organisation, the rating and, where it matters, the status. The six search filters likewise (a
label, the control tied to its hint and error with aria-describedby/aria-invalid, the hint, the
error), a sixth of the page's time as template macros.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from ..core.i18n import labels, locale_code
from ..core.media import media_url
from ..core.vocab import LISTING_CATEGORIES
from ..web.forms import options
from .common import KIND_LABELS, LISTING_STATUS_LABELS, PRICE_TEXTS, Labels, price_line

CARD_TEXTS = {
    "verified": _l("인증 조직"),
    "rating": _l("별점 %(avg)s (%(n)s개)"),
    "status": _l("상태:"),
    "hidden": _l("센터가 숨김"),
}
HEADINGS = frozenset({"h2", "h3"})
FILTER_TEXTS = {"error": _l("오류:"), "dates_hint": _l("이 기간에 빌릴 수 있는 물건만")}


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


def _filter(field, control: str, texts: dict[str, str], hint: str | None = None) -> str:
    """One filter: ``control`` is the element's name and type (``input search``, ``input date`` or
    ``select``)."""
    fid = escape(field.id)
    described = " ".join(
        ([f"{field.id}-hint"] if hint else []) + ([f"{field.id}-error"] if field.errors else [])
    )
    attrs = (f' aria-describedby="{escape(described)}"' if described else "") + (
        ' aria-invalid="true"' if field.errors else ""
    )
    name = escape(field.name)
    if control == "select":
        element = f'<select{attrs} id="{fid}" name="{name}">{options(field)}</select>'
    else:
        kind = control.split()[1]
        limit = ' maxlength="100"' if kind == "search" else ""
        element = (
            f'<input{attrs} id="{fid}"{limit} name="{name}" type="{kind}" value="{escape(field._value())}">'
        )
    parts = [
        f'<div class="field{" has-error" if field.errors else ""}">',
        f'<label for="{fid}">{escape(field.label.text)}</label>',
        element,
    ]
    if hint:
        parts.append(f'<p class="hint" id="{fid}-hint">{escape(hint)}</p>')
    if field.errors:
        errors = " ".join(str(escape(e)) for e in field.errors)
        parts.append(
            f'<p class="error" id="{fid}-error"><strong>{escape(texts["error"])}</strong> {errors}</p>'
        )
    parts.append("</div>")
    return "".join(parts)


def search_filters(form) -> Markup:
    """The search form's fields: q, kind, category, dong and the two dates (the page writes the
    ``<form>`` and its button)."""
    texts = labels(FILTER_TEXTS)
    return Markup(
        _filter(form.q, "input search", texts)
        + _filter(form.kind, "select", texts)
        + _filter(form.category, "select", texts)
        + _filter(form.dong, "select", texts)
        + _filter(form.available_from, "input date", texts, hint=texts["dates_hint"])
        + _filter(form.available_to, "input date", texts)
    )
