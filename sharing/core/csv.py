"""The one CSV writer of every export (archive, plan, card statements and audit, admin audit log).

UTF-8 with a byte-order mark (spreadsheet programs read Korean right only with it), rows ended by
CR LF, and formula-safe text: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'`` so a spreadsheet never runs it as a formula (OWASP "CSV
injection"); a text cell already starting with ``'`` gets one too, so :func:`unescape_cell` can always
undo it (the archive's import does, and an export imported into an empty archive exports the same
bytes). Numbers are written as they are: ``-1500`` is an amount, not a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

from flask import Response

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: str) -> str:
    """Neutralise a spreadsheet formula: prefix ``'`` (and to a value starting with ``'``)."""
    if value and (value.startswith(FORMULA_START) or value.startswith("'")):
        return "'" + value
    return value


def unescape_cell(value: str) -> str:
    if len(value) >= 2 and value[0] == "'" and value[1] in ("'", *FORMULA_START):
        return value[1:]
    return value


def cell(value) -> str | int | float | Decimal:
    """One cell: None is empty, numbers stay numbers, anything else is text made formula-safe."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value
    return escape_cell(str(value))


def line(values: Iterable) -> str:
    """One CSV row (CR LF ended), every cell through :func:`cell`."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow([cell(v) for v in values])
    return buffer.getvalue()


def chunks(rows: Iterable[Iterable], header: Iterable | None = None, batch: int = 500) -> Iterator[str]:
    """The file in pieces: the BOM (with the header row), then ``batch`` rows at a time."""
    yield BOM + (line(header) if header is not None else "")
    part: list[str] = []
    for row in rows:
        part.append(line(row))
        if len(part) >= batch:
            yield "".join(part)
            part = []
    if part:
        yield "".join(part)


def text(rows: Iterable[Iterable], header: Iterable | None = None) -> str:
    """The whole file as one string (BOM first)."""
    return "".join(chunks(rows, header))


def download(body: str, filename: str, *, private: bool = False) -> Response:
    """A CSV file as an attachment; ``private`` for what only its viewer may see (not cached)."""
    response = Response(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    if private:
        response.headers["Cache-Control"] = "no-store"
    return response
