"""Hostile text at the boundary: characters no database can store, control characters, JSON nested
past any real document.

Refuse text no database can store, before any view sees it.

PostgreSQL's text columns refuse the NUL character (``PostgreSQL text fields cannot contain NUL``),
and neither PostgreSQL nor SQLite can encode a lone UTF-16 surrogate (JSON allows ``"\\ud800"``);
SQLite's FTS5 search trips on NUL too. Left alone, such a value is a 500 wherever it reaches a query.
It is never meaningful text, so every request carrying one (query string, form, JSON body, at any
depth, keys included) is a 422 naming the field, on the API and on the web pages alike; in a URL part
it is a 404 (such a path names nothing).
"""

from __future__ import annotations

import json
import re

from flask import request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _

from ..core.errors import Invalid, NotFound

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _bad(value) -> bool:
    """Whether a JSON value holds a NUL or a lone surrogate anywhere (keys included)."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(_bad(k) or _bad(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_bad(v) for v in value)
    return False


def refuse_unstorable_text() -> None:
    """A ``before_request`` hook: 422 for a NUL or a lone surrogate in the request's text."""
    fields: dict[str, list[str]] = {}
    sources = [request.args, request.form] if request.mimetype != "application/json" else [request.args]
    for source in sources:
        for name, value in source.items(multi=True):
            if _bad(name) or _bad(value):
                fields[UNSTORABLE.sub("?", name)] = [_("저장할 수 없는 문자(NUL 등)가 들어 있습니다.")]
    if any(_bad(value) for value in (request.view_args or {}).values()):
        raise NotFound()  # a URL part no row can have: names nothing
    if request.is_json:
        body = request.get_json(silent=True)
        items = body.items() if isinstance(body, dict) else [("body", body)]
        for name, value in items:
            if _bad(name) or _bad(value):
                fields[UNSTORABLE.sub("?", str(name))] = [_("저장할 수 없는 문자(NUL 등)가 들어 있습니다.")]
    if fields:
        raise Invalid(fields=fields)


# --- Control characters ---------------------------------------------------------------------

# C0 and C1 controls and DEL. In a title they break what is built from it: an e-mail subject (a
# newline ends a header), the Atom feed (XML 1.0 forbids them), a CSV row.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85]")  # every line ending becomes "\n"
_MULTILINE_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # keeps \t and \n
_SPACING = re.compile("[\t\n\r\x0b\x0c\x1c-\x1f\x85]")  # whitespace controls


def clean_text(value, *, multiline: bool = False):
    """``value`` without control characters: the one rule for every text field, in forms and API
    schemas alike. A multi-line field (a body, a description) keeps tabs and line breaks (CR LF
    and lone CR become LF); a single-line field (a title, a name) turns whitespace controls into a
    space. Every other control character is dropped. Anything that is not a string is returned as is.
    """
    if not isinstance(value, str) or CONTROL.search(value) is None:
        return value
    if multiline:
        return _MULTILINE_CONTROL.sub("", _LINE_BREAKS.sub("\n", value))
    return CONTROL.sub("", _SPACING.sub(" ", value))


def one_line(value: str) -> str:
    """Text for a place that holds one line (an e-mail subject, a feed title): controls removed,
    runs of whitespace made one space."""
    return " ".join(clean_text(value or "").split())


# --- JSON bodies ----------------------------------------------------------------------------

JSON_MAX_DEPTH = 64  # far past any document of the API; deep enough for none of its code to recurse


def _too_deep(value, limit: int) -> bool:
    """Whether ``value`` nests arrays and objects more than ``limit`` levels (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing documents nested past :data:`JSON_MAX_DEPTH` as malformed.

    Every ``request.get_json`` goes through here, so every JSON route answers such a body the same
    way: a ``ValueError`` makes it "not JSON" (400 ``malformed_request``), where the decoder's own
    ``RecursionError`` (some thousand levels) or a later recursive walk was a 500."""

    def loads(self, s, **kwargs):
        try:
            value = json.loads(s, **kwargs)
        except RecursionError:
            raise ValueError("JSON nested too deeply") from None
        if _too_deep(value, JSON_MAX_DEPTH):
            raise ValueError("JSON nested too deeply")
        return value
