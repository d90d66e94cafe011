"""The request's language, resolved once per request for the hot paths.

Flask-Babel's ``gettext`` and ``get_locale`` look up the request context, the translation domain and
the locale again on every call; a results page makes some sixty such calls (every ``_()`` in the
templates, every label). :func:`translations` and :func:`locale_code` answer from one entry kept in
the request's ``g`` and fall back to Flask-Babel whenever its locale changes (``force_locale``,
``refresh``) or outside a request. :func:`install` gives the templates' ``_()`` these translations.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

import flask_babel
from babel.dates import format_date, format_datetime
from flask import Flask, current_app, g, has_app_context
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l

from . import rates
from .time import SEOUL, seoul

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


# One way to show a figure, an amount of money, a date-time and a day, in both languages:
# 12,000 · 12,000원 (₩12,000) · 2026.12.04 오후 10:32 (Dec 4, 2026, 10:32 PM) · 2026.12.04 (Dec 4, 2026).
_DATETIME = {"ko": "yyyy.MM.dd aaaa h:mm", "en": "MMM d, yyyy, h:mm a"}
_DATE = {"ko": "yyyy.MM.dd", "en": "MMM d, yyyy"}
_WEEKDAY_DATE = {"ko": "yyyy.MM.dd (E)", "en": "EEE, MMM d, yyyy"}
_LONG_DATE = {"ko": "yyyy년 M월 d일 (EEEE)", "en": "EEEE, MMMM d, yyyy"}
# Units printed in the plan's tables, in the page's language (data keeps the printed Korean).
UNITS = {"억원": _l("억원"), "백만원": _l("백만원"), "천원": _l("천원"), "원": _l("원")}


def number(value, signed: bool = False) -> str:
    """A whole number with thousands separators: ``12,000``; ``signed`` adds ``+`` above zero."""
    amount = int(value or 0)
    return f"{amount:+,}" if signed and amount else f"{amount:,}"


def money(value, signed: bool = False) -> str:
    """An amount of won for people: ``12,000원`` (English ``₩12,000``). Templates put it in an
    element with the ``money`` class (tabular digits, never wrapped)."""
    text = translations().ugettext("%(won)s원") % {"won": number(abs(int(value or 0)))}
    if signed and value:
        return ("+" if int(value) > 0 else "-") + text
    return text if int(value or 0) >= 0 else "-" + text


# Formatting an instant with Babel costs more than the rest of a list row's HTML, and a list shows
# the same rows to every visitor: the texts are kept per (instant, language), a pure function of both.
_FORMATTED = 8192


@lru_cache(maxsize=_FORMATTED)
def _when(value: datetime, code: str) -> str:
    return format_datetime(seoul(value), _DATETIME.get(code, _DATETIME["ko"]), tzinfo=SEOUL, locale=code)


def when(value: datetime | None) -> str:
    """A stored instant as Seoul wall-clock time in the page's language (naive means UTC)."""
    if value is None:
        return ""
    return _when(value, locale_code())


@lru_cache(maxsize=_FORMATTED)
def _pattern(value: datetime, pattern: str, code: str, zone: str) -> str:
    return flask_babel.format_datetime(value, pattern)


def datetimeformat(value: datetime | None, pattern: str | None = None) -> str:
    """Flask-Babel's ``datetimeformat`` filter (the app's timezone, the page's language), kept per
    instant, pattern and language like :func:`when`."""
    if value is None or pattern is None:
        return flask_babel.format_datetime(value, pattern)
    return _pattern(value, pattern, locale_code(), current_app.config.get("BABEL_DEFAULT_TIMEZONE", ""))


def day(value: date | datetime | None, weekday: bool = False, long: bool = False) -> str:
    """A day (or the Seoul day of an instant) in the page's language, with its weekday if asked;
    ``long`` spells it out (2027년 1월 14일 (목요일), an event's own page)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = seoul(value).date()
    code = locale_code()
    patterns = _LONG_DATE if long else _WEEKDAY_DATE if weekday else _DATE
    return format_date(value, patterns.get(code, patterns["ko"]), locale=code)


def unit(value: str | None) -> str:
    """A unit as printed in the plan (백만원), in the page's language (million won)."""
    return str(UNITS[value]) if value in UNITS else (value or "")


FILTERS = {
    "won": number,
    "money": money,
    "when": when,
    "datetimeformat": datetimeformat,
    "day": day,
    "unit": unit,
    "percent": rates.percent,
}


def install(app: Flask) -> None:
    """The templates' ``_()``/``ngettext()`` through :func:`translations` (after Babel's init), and
    the one set of filters for figures, money and dates (:data:`FILTERS`)."""
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
