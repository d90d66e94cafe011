"""gzip for text answers when no proxy in front compresses them (``COMPRESS_RESPONSES``).

Behind nginx, compression belongs to nginx (``gzip on``, see docs/deploy.md) and the switch is off;
served straight by gunicorn, HTML and JSON pages shrink four- to eight-fold. Streamed answers and
files (already compressed images, downloads sent as files) are left alone.
"""

from __future__ import annotations

import gzip

from flask import Flask, request

TYPES = frozenset(
    {
        "text/html",
        "text/plain",
        "text/css",
        "text/csv",
        "text/calendar",
        "application/json",
        "application/javascript",
        "text/javascript",
        "application/atom+xml",
        "application/xml",
        "image/svg+xml",
    }
)
MIN_SIZE = 500  # bytes: below this the gzip header and the CPU are not worth it


def init_app(app: Flask) -> None:
    if app.config.get("COMPRESS_RESPONSES"):
        app.after_request(compress)


def compress(response):
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or response.is_streamed
        or response.status_code < 200
        or response.status_code in (204, 206, 304)
        or response.mimetype not in TYPES
        or "Content-Encoding" in response.headers
        or "gzip" not in request.accept_encodings
    ):
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    response.set_data(gzip.compress(data, compresslevel=5))
    response.headers["Content-Encoding"] = "gzip"
    return response
