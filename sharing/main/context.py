"""Values every template sees: the navigation, the unread count, vocabularies."""

from flask import current_app, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..core import vocab
from ..notify.services import unread_count
from ..web.urls import public_base_url

NAV = (
    ("archive.index", _l("자원 아카이브")),
    ("market.index", _l("공유장터")),
    ("news.index", _l("마을소식")),
    ("card.index", _l("지역거래카드")),
)


# The header's and footer's fixed addresses (the ones without a ``next``).
SITE_ENDPOINTS = (
    "main.home",
    "notify.inbox",
    "auth.profile",
    "auth.logout",
    "auth.register",
    "orgs.index",
    "admin.index",
    "openapi.docs",
    *(endpoint for endpoint, _label in NAV),
)


def site_links() -> dict[str, str]:
    """Endpoint -> address of ``SITE_ENDPOINTS`` that the app has, plus ``css`` and ``js``: built with
    url_for once per app and script root, not some fifteen times on every page."""
    per_root = current_app.extensions.setdefault("sharing_site_links", {})
    links = per_root.get(request.script_root)
    if links is None:
        rules = current_app.view_functions
        links = {endpoint: url_for(endpoint) for endpoint in SITE_ENDPOINTS if endpoint in rules}
        links["css"] = url_for("static", filename="css/app.css")
        links["js"] = url_for("static", filename="js/app.js")
        per_root[request.script_root] = links
    return links


def template_globals() -> dict:
    unread = 0
    if current_user.is_authenticated:
        unread = unread_count(current_user)
    return {
        "nav_items": NAV,
        "unread_count": unread,
        "vocab": vocab,
        "current_locale": str(get_locale() or "ko"),
        "current_path": request.path,
        "url_rules": current_app.view_functions,
        "site": site_links(),
        "site_root": public_base_url().rstrip("/"),  # absolute links in link previews (og:image)
    }
