"""Rate limits that hold: sign-in counted per account and per address across the web form and the
API (one counter each, shared by both routes), registration per address, messages per sender.

The counters live where ``RATELIMIT_STORAGE_URI`` says: Redis in production, so every gunicorn worker
and host counts together (``ProductionConfig`` refuses in-memory counters with several workers).
"""

from __future__ import annotations

from flask import current_app, request
from flask_limiter.util import get_remote_address

from ..core.extensions import limiter
from .services import normalise_email


def _config(name: str):
    return lambda: current_app.config[name]


def _account_key() -> str:
    """The account a sign-in names (the e-mail, as compared by the service), from a form or JSON."""
    email = request.form.get("email") if request.form else None
    if email is None and request.is_json:
        body = request.get_json(silent=True)
        email = body.get("email") if isinstance(body, dict) else None
    return "account:" + normalise_email(email if isinstance(email, str) else "")


def _sender_key() -> str:
    """The signed-in sender (session or bearer token); the address when nobody is signed in."""
    from flask_login import current_user

    from ..web.api import api_user

    user = api_user() if request.path.startswith("/api/") else current_user
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.id}"
    return get_remote_address()


sign_in_by_address = limiter.shared_limit(_config("AUTH_RATE_LIMIT"), scope="sign-in", methods=["POST"])
sign_in_by_account = limiter.shared_limit(
    _config("AUTH_RATE_LIMIT"), scope="sign-in-account", key_func=_account_key, methods=["POST"]
)
registration = limiter.shared_limit(_config("REGISTER_RATE_LIMIT"), scope="register", methods=["POST"])
messages = limiter.shared_limit(
    _config("MESSAGE_RATE_LIMIT"), scope="messages", key_func=_sender_key, methods=["POST"]
)
