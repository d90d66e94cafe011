"""The site-wide search (``/search``): the first few of the market's, the archive's and the news'
results for one query, each with a link to that section's own search.

Like the home page, it is on the top floor and calls each feature's ``search_preview(q, limit)``: the
sections are named here, in the order the page shows them.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from ..archive import services as archive
from ..core.search import normalise_query
from ..market import services as market
from ..news import services as news

PREVIEW = 3

# (name: its template is ``main/_search_<name>.html``, heading, the feature's preview, its own search)
SECTIONS = (
    ("market", _l("공유장터"), market.search_preview, "market.index"),
    ("archive", _l("자원 아카이브"), archive.search_preview, "archive.index"),
    ("news", _l("마을소식"), news.search_preview, "news.index"),
)


@dataclass(frozen=True)
class Section:
    name: str
    title: str
    items: list
    total: int
    more_url: str  # the section's own search for the same words


def site_search(q: str | None) -> tuple[str, list[Section]]:
    """(the normalised query, its sections); no sections for an empty query."""
    q = normalise_query(q)
    if not q:
        return q, []
    sections = []
    for name, title, preview, endpoint in SECTIONS:
        items, total = preview(q, PREVIEW)
        sections.append(Section(name, str(title), items, total, url_for(endpoint, q=q)))
    return q, sections
