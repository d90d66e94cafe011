"""Home page, health check and the language switch."""

from flask import Blueprint, jsonify, redirect, render_template, request
from sqlalchemy import text

from ..extensions import db
from ..urls import safe_next

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    from .home import home_sections

    return render_template("home.html", sections=home_sections())


@bp.get("/lang/<code>")
def switch_language(code: str):
    from flask import session

    if code in ("ko", "en"):
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), default="/"))


@bp.get("/media/<key>")
def media(key: str):
    """Uploaded images, by content-hash name: immutable, so cached for a year."""
    from flask import abort, send_file

    from ..media import storage

    store = storage()
    if not store.exists(key):
        abort(404)
    response = send_file(store.path(key), max_age=31536000, conditional=True)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@bp.get("/healthz")
def healthz():
    """Database reachable and migrations current (the head revision is applied)."""
    from ..migrations_state import migrations_current

    try:
        db.session.execute(text("SELECT 1"))
    except Exception:
        return jsonify({"ok": False, "database": False}), 503
    current = migrations_current()
    return jsonify({"ok": current, "database": True, "migrations_current": current}), (
        200 if current else 503
    )
