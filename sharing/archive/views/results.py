"""The search page's view-model: the result cards and the facet links, computed once per page.

The templates draw them (``templates/archive/_macros.html``). Addresses start from one ``url_for``
per page (so they follow ``SCRIPT_NAME``): an entry is ``<index>/<id>``, a filtered list is
``<index>?<query>``, the query encoded as ``url_for`` encodes it. Twenty cards with their tags and
the facets' many links would otherwise cost the page over a hundred ``url_for`` builds.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote_plus

from flask import url_for

from ...core.i18n import labels, locale_code
from ...core.time import seoul
from ...core.vocab import RESOURCE_CATEGORIES
from ..vocab import RESOURCE_KINDS

QUERY_SAFE = "!$'()*,/:;?@"  # werkzeug's safe characters in a built URL's query


@dataclass(frozen=True)
class Card:
    """One result: what its card shows, every address already built."""

    url: str
    name: str
    meta: tuple[str, ...]  # kind, field, dong and the organisation when there is one
    description: str
    tags: tuple[tuple[str, str], ...]  # (tag, the list filtered by it)
    day: str  # the Seoul date it was last confirmed, ISO
    shown: str  # the same date as the page prints it


def _pair(name: str, value) -> str:
    return f"{quote_plus(str(name), safe=QUERY_SAFE)}={quote_plus(str(value), safe=QUERY_SAFE)}"


class Links:
    """``archive.index`` and ``archive.show`` addresses, from one ``url_for`` of the index."""

    def __init__(self, args: dict):
        self.index = url_for("archive.index")
        self._encoded = {k: _pair(k, v) for k, v in args.items() if v is not None}

    def entry(self, resource_id: int) -> str:
        return f"{self.index}/{resource_id}"

    def filtered(self, name: str, value: str) -> str:
        """The index filtered by ``name=value`` alone."""
        return f"{self.index}?{_pair(name, value)}"

    def facet(self, name: str, value: str) -> str:
        """The index under the page's filters with ``name=value`` (replacing that name's value in
        place, else added last), as ``url_for("archive.index", **dict(args, name=value))``."""
        pairs = dict(self._encoded)
        pairs[name] = _pair(name, value)
        return f"{self.index}?{'&'.join(pairs.values())}"


def cards(resources, links: Links) -> list[Card]:
    locale = locale_code()
    kinds, categories = labels(RESOURCE_KINDS, locale), labels(RESOURCE_CATEGORIES, locale)
    out = []
    for r in resources:
        meta = (
            kinds.get(r.kind or "", r.kind or ""),
            categories.get(r.category or "", r.category or ""),
            r.dong,
        )
        if r.organization is not None:
            meta += (r.organization.name,)
        day = seoul(r.confirmed_at).date()
        out.append(
            Card(
                url=links.entry(r.id),
                name=r.name,
                meta=meta,
                description=r.description or "",
                tags=tuple((t, links.filtered("tag", t)) for t in r.tag_list),
                day=day.isoformat(),
                shown=day.strftime("%Y.%m.%d"),
            )
        )
    return out


@dataclass(frozen=True)
class FacetItem:
    label: str
    count: int
    url: str
    selected: bool


def facet_groups(facets: dict, args: dict, links: Links, titles: dict) -> list[tuple[str, str, bool, list]]:
    """``(name, title, open, items)`` per facet: the values with entries, and the selected one."""
    groups = []
    for name, title in titles.items():
        selected_value = args.get(name)
        items = [
            FacetItem(str(label), count, links.facet(name, value), selected_value == value)
            for value, label, count in facets[name]
            if count or selected_value == value
        ]
        if facets[name]:
            groups.append((name, title, name in ("kind", "category", "zone") or bool(selected_value), items))
    return groups
