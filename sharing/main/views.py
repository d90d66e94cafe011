"""Home page, health check and the language switch."""

import logging

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import text

from ..auth import services as auth_services
from ..core.extensions import db
from ..core.media import media_url
from ..web.urls import safe_next
from .context import template_globals
from .dashboard import my_day
from .home import rendered_sections
from .search import site_search

bp = Blueprint("main", __name__)
bp.add_app_template_global(media_url, "media_url")
bp.app_context_processor(template_globals)  # the navigation, the unread count: every page's values
log = logging.getLogger(__name__)


@bp.get("/")
def home():
    mine = my_day(current_user) if current_user.is_authenticated else None
    welcome = current_user.is_authenticated and current_user.welcome_pending
    return render_template("home.html", sections=rendered_sections(), mine=mine, welcome=welcome)


@bp.post("/welcome/dismiss")
@login_required
def dismiss_welcome():
    """The first-visit hint's "닫기": it stays closed (CSRF-protected, as every form)."""
    auth_services.dismiss_welcome(current_user)
    return redirect(url_for("main.home"))


@bp.get("/search")
def search():
    """One search over the market, the archive and the news: a few of each, and links to more."""
    q, sections = site_search(request.args.get("q"))
    found = sum(section.total for section in sections)
    return render_template("main/search.html", q=q, sections=sections, found=found)


@bp.get("/guide")
def guide():
    """이용 안내: how the platform works, for a first visit."""
    return render_template("main/guide.html")


@bp.get("/lang/<code>")
def switch_language(code: str):
    from flask import session

    if code in ("ko", "en"):
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), default="/"))


@bp.get("/favicon.ico")
def favicon():
    """Browsers ask for it on every site; answer "nothing here" without a 404 in every log."""
    response = current_app.response_class(status=204)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/media/<key>")
def media(key: str):
    """Uploaded images, by content-hash name, to a viewer who may see a listing or post using them
    (a hidden or deleted listing's photos: its owner and the centre only, never cached by others).
    Immutable, so a public one is cached for a year."""
    from flask import abort, send_file

    from ..core.media import access, storage
    from ..web.api import api_user

    store = storage()
    viewer = current_user if current_user.is_authenticated else api_user()
    seen = access(key, viewer) if store.exists(key) else None
    if seen is None:
        abort(404)
    response = send_file(store.path(key), max_age=31536000, conditional=True)
    response.headers["Cache-Control"] = (
        "public, max-age=31536000, immutable" if seen == "public" else "private, no-store"
    )
    return response


@bp.get("/healthz")
def healthz():
    """Database reachable and migrations current (the head revision is applied). 503 otherwise.

    For load balancers and monitors: no session, no user, nothing but two small queries.
    """
    from ..core.migrations_state import migrations_current

    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        log.warning("healthz: database unreachable", exc_info=True)
        db.session.rollback()
        return _no_store(jsonify({"ok": False, "database": False, "migrations_current": False}), 503)
    try:
        current = migrations_current()
    except Exception:
        log.warning("healthz: cannot read the migration state", exc_info=True)
        current = False
    body = {"ok": current, "database": True, "migrations_current": current}
    return _no_store(jsonify(body), 200 if current else 503)


def _no_store(response, status: int):
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/privacy")
def privacy():
    """개인정보처리방침: what is kept, why, and for how long."""
    from ..auth.services import PRIVACY_VERSION

    return render_template("legal/privacy.html", privacy_version=PRIVACY_VERSION)


@bp.get("/terms")
def terms():
    """이용약관."""
    from ..auth.services import TERMS_VERSION

    return render_template("legal/terms.html", terms_version=TERMS_VERSION)
