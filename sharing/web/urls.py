"""Redirect targets: only local paths, never another site (no open redirect). Absolute URLs (feeds,
calendars, QR codes): from the configured ``PUBLIC_BASE_URL``, never from a request's ``Host``.
"""

from urllib.parse import urlsplit

from flask import current_app, request, url_for

from .inputs import CONTROL


def safe_next(target: str | None, default: str = "/") -> str:
    if not target:
        return default
    # CR/LF would split the Location header, and browsers drop tabs from URLs ("/\t/evil.com" is
    # "//evil.com"): such a target is never followed, but the request itself (a sign-in, a language
    # switch) still succeeds and goes to the default page.
    if CONTROL.search(target):
        return default
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def public_base_url() -> str:
    """The site's absolute base URL, ending in ``/``, for links that leave the page (the Atom feed,
    iCalendar files, QR codes): ``PUBLIC_BASE_URL`` when set. Otherwise the request's own root only
    where ``ABSOLUTE_URLS_FROM_REQUEST`` allows it (development, tests); in production a forged
    ``Host`` header must never reach a subscriber's feed, so the fallback is ``SERVER_NAME`` (or
    ``localhost``) over ``PREFERRED_URL_SCHEME``, and start-up warns that the setting is missing."""
    cfg = current_app.config
    configured = (cfg.get("PUBLIC_BASE_URL") or "").strip()
    if configured:
        return configured.rstrip("/") + "/"
    if cfg.get("ABSOLUTE_URLS_FROM_REQUEST", True):
        return request.url_root
    return f"{cfg.get('PREFERRED_URL_SCHEME') or 'https'}://{cfg.get('SERVER_NAME') or 'localhost'}/"


def public_host() -> str:
    """The host name of :func:`public_base_url` (the iCalendar UIDs' domain)."""
    return urlsplit(public_base_url()).hostname or "localhost"


def absolute_url(endpoint: str, **values) -> str:
    """``url_for(endpoint, **values)`` made absolute with :func:`public_base_url`."""
    return public_base_url().rstrip("/") + url_for(endpoint, **values)


def absolute_request_url() -> str:
    """The current request's path and query string made absolute with :func:`public_base_url`."""
    return public_base_url().rstrip("/") + request.full_path.rstrip("?")
