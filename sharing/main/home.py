"""What the home page shows: the newest of each feature.

The home page is on the top floor, so it calls the features' services directly: the sections are
named here, in the order the page shows them, and a renamed function fails at import, not silently.

The sections are the same for every visitor (the newest public items), so each is rendered once per
language and kept ``HOME_TTL`` seconds: a commit in this process that writes one of ``HOME_TABLES``
forgets them at once, another process's write shows within ``HOME_TTL`` seconds.
"""

from __future__ import annotations

from flask import render_template, request
from markupsafe import Markup

from ..archive import services as archive
from ..core.cache import Cache
from ..core.extensions import db
from ..core.i18n import locale_code
from ..market import services as market
from ..news import services as news

HOME_ITEMS = 4
HOME_TTL = 30
# What the sections show: the items, their photos, organisations and authors.
HOME_TABLES = ("news_posts", "listings", "listing_photos", "resources", "organizations", "users")
_rendered = Cache(ttl=HOME_TTL, maxsize=64, tables=HOME_TABLES)


def home_sections() -> dict:
    """Section name (its template is ``<name>/_home.html``) -> the newest items."""
    return {
        "news": news.home_items(HOME_ITEMS),
        "market": market.home_items(HOME_ITEMS),
        "archive": archive.home_items(HOME_ITEMS),
    }


def _render_sections() -> dict[str, Markup]:
    return {
        name: Markup(render_template(f"{name}/_home.html", name=name, items=items)) if items else Markup("")
        for name, items in home_sections().items()
    }


def rendered_sections() -> dict[str, Markup]:
    """Section name -> its HTML (empty when it has nothing to show), in the page's language."""
    news.publish_due()  # a scheduled post that just came due is written, which forgets the sections
    key = (db.engine.url.render_as_string(), locale_code(), request.script_root)
    return _rendered.get_or_compute(key, _render_sections)
