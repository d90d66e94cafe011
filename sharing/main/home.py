"""What the home page shows: the newest of each feature.

The home page is on the top floor, so it calls the features' services directly: the sections are
named here, in the order the page shows them, and a renamed function fails at import, not silently.
"""

from __future__ import annotations

from ..archive import services as archive
from ..market import services as market
from ..news import services as news

HOME_ITEMS = 4


def home_sections() -> dict:
    """Section name (its template is ``<name>/_home.html``) -> the newest items."""
    return {
        "news": news.home_items(HOME_ITEMS),
        "market": market.home_items(HOME_ITEMS),
        "archive": archive.home_items(HOME_ITEMS),
    }
