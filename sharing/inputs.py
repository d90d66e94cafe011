"""Refuse text no database can store, before any view sees it.

PostgreSQL's text columns refuse the NUL character (``PostgreSQL text fields cannot contain NUL``),
and neither PostgreSQL nor SQLite can encode a lone UTF-16 surrogate (JSON allows ``"\\ud800"``);
SQLite's FTS5 search trips on NUL too. Left alone, such a value is a 500 wherever it reaches a query.
It is never meaningful text, so every request carrying one (query string, form, JSON body, at any
depth, keys included) is a 422 naming the field, on the API and on the web pages alike; in a URL part
it is a 404 (such a path names nothing).
"""

from __future__ import annotations

import re

from flask import request
from flask_babel import gettext as _

from .errors import Invalid, NotFound

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
