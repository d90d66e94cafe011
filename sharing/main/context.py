"""Values every template sees: the navigation, the unread count, vocabularies."""

from flask import current_app, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .. import vocab

NAV = (
    ("archive.index", _l("자원 아카이브")),
    ("market.index", _l("공유장터")),
    ("news.index", _l("마을소식")),
    ("card.index", _l("지역거래카드")),
)


def template_globals() -> dict:
    unread = 0
    if current_user.is_authenticated:
        from ..notify.services import unread_count

        unread = unread_count(current_user)
    return {
        "nav_items": NAV,
        "unread_count": unread,
        "vocab": vocab,
        "current_locale": str(get_locale() or "ko"),
        "current_path": request.path,
        "url_rules": current_app.view_functions,
    }
