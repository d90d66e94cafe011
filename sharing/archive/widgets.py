"""The resource card of the archive's results, drawn in Python like a form widget.

Twenty cards with their tag links cost the page some eighty url_for builds and as many template
lookups; here each card is one pass of string building with the same markup: the name linking to the
entry, kind, field, dong and organisation, the start of the description, the tags (each a link to
the archive filtered by it) and the date it was last confirmed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from urllib.parse import quote_plus, urlencode

from flask import current_app
from flask_babel import lazy_gettext as _l
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from ..core.i18n import labels, locale_code
from ..core.vocab import RESOURCE_CATEGORIES
from ..web.schemas import SEOUL
from .vocab import RESOURCE_KINDS

QUERY_SAFE = "!$'()*,/:;?@"  # werkzeug's safe characters in a built URL's query
CARD_TEXTS = {"tags": _l("태그"), "confirmed": _l("마지막 확인")}
DESCRIPTION_LENGTH = 120


def resource_url(resource_id: int) -> str:
    """``archive.show``'s address (written out for the results' cards; a test keeps it equal)."""
    return f"/archive/{resource_id}"


def filtered_url(args: list[tuple[str, str]]) -> str:
    """``archive.index`` with the query ``args``, encoded as url_for encodes them."""
    return "/archive?" + urlencode(args, safe=QUERY_SAFE) if args else "/archive"


def seoul_date(value: datetime) -> date:
    """The day in Seoul of a stored instant (SQLite hands back naive UTC), as the ``dateformat``
    filter shows it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(SEOUL).date()


def facet_links(args: dict):
    """``link(name, value)``: ``archive.index`` with ``args`` and ``name=value`` (replacing that
    name's value in place, else added last), exactly what url_for builds; each pair is encoded once
    for the facets' many links."""
    encoded = {k: None if v is None else _pair(k, v) for k, v in args.items()}

    def link(name: str, value: str) -> str:
        pairs = dict(encoded)  # a name keeps its place, as in dict(args, **{name: value})
        pairs[name] = _pair(name, value)
        return "/archive?" + "&".join(p for p in pairs.values() if p is not None)

    return link


def _pair(name: str, value) -> str:
    return f"{quote_plus(str(name), safe=QUERY_SAFE)}={quote_plus(str(value), safe=QUERY_SAFE)}"


def resource_card(r) -> Markup:
    """One ``<li class="card">`` of the results list."""
    locale = locale_code()
    texts = labels(CARD_TEXTS, locale)
    kind = labels(RESOURCE_KINDS, locale).get(r.kind or "", r.kind or "")
    category = labels(RESOURCE_CATEGORIES, locale).get(r.category or "", r.category or "")
    org = f" · {escape(r.organization.name)}" if r.organization else ""
    parts = [
        '<li class="card">',
        f'<h3><a href="{escape(resource_url(r.id))}">{escape(r.name)}</a></h3>',
        f'<p class="meta">{escape(kind)} · {escape(category)} · {escape(r.dong)}{org}</p>',
    ]
    if r.description:
        short = do_truncate(current_app.jinja_env, r.description, DESCRIPTION_LENGTH)
        parts.append(f"<p>{escape(short)}</p>")
    tags = r.tag_list
    if tags:
        links = "".join(
            f'<li><a class="tag" href="{escape(filtered_url([("tag", t)]))}">#{escape(t)}</a></li>'
            for t in tags
        )
        parts.append(f'<ul class="resource-tags" aria-label="{escape(texts["tags"])}">{links}</ul>')
    when = seoul_date(r.confirmed_at)
    day, shown = when.isoformat(), when.strftime("%Y.%m.%d")
    parts.append(
        f'<p class="meta">{escape(texts["confirmed"])} <time datetime="{escape(day)}">{escape(shown)}</time></p>'
    )
    parts.append("</li>")
    return Markup("".join(parts))
