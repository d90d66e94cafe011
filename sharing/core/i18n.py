"""The request's language, resolved once per request for the hot paths.

Flask-Babel's ``gettext`` and ``get_locale`` look up the request context, the translation domain and
the locale again on every call; a results page makes some sixty such calls (every ``_()`` in the
templates, every label). :func:`translations` and :func:`locale_code` answer from one entry kept in
the request's ``g`` and fall back to Flask-Babel whenever its locale changes (``force_locale``,
``refresh``) or outside a request. :func:`install` gives the templates' ``_()`` these translations.
"""

from __future__ import annotations

from flask import Flask, g, has_app_context
from flask_babel import get_locale, get_translations

_KEY = "_sharing_i18n"


def _current() -> tuple[object, str, object] | None:
    """(Flask-Babel's locale object, its code, the translations) for this request, or None."""
    if not has_app_context():
        return None
    ctx = g._get_current_object()
    babel_state = getattr(ctx, "_flask_babel", None)  # Flask-Babel's per-request namespace
    held = ctx.__dict__.get(_KEY)
    if held is not None and held[0] is getattr(babel_state, "babel_locale", None):
        return held
    locale = get_locale()
    held = (locale, str(locale), get_translations())
    setattr(ctx, _KEY, held)
    return held


def translations():
    held = _current()
    return held[2] if held is not None else get_translations()


def locale_code() -> str:
    held = _current()
    return held[1] if held is not None else str(get_locale())


_LABELS: dict[tuple[str, int], dict[str, str]] = {}


def labels(mapping: dict, locale: str | None = None) -> dict[str, str]:
    """A vocabulary's labels (code -> lazy text) as plain strings, translated once per locale for the
    process (the catalogues do not change while it runs; a results page shows some forty labels).
    ``mapping`` is a module-level vocabulary (kept by identity); a caller drawing many labels may pass
    :func:`locale_code` once."""
    key = (locale or locale_code(), id(mapping))
    found = _LABELS.get(key)
    if found is None:
        found = _LABELS[key] = {code: str(text) for code, text in mapping.items()}
    return found


def install(app: Flask) -> None:
    """The templates' ``_()``/``ngettext()`` through :func:`translations` (after Babel's init)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
