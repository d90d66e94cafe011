"""The one CSV writer: BOM, CR LF rows, formula-safe text cells, numbers left as numbers."""

from __future__ import annotations

import csv
import io

import pytest

from sharing.core import csv as csvfile


@pytest.mark.parametrize("value", ["=1+1", "+82", "-x", "@cmd", "\tTAB", "\rCR", "'quoted"])
def test_text_cells_are_neutralised_and_restored(value):
    escaped = csvfile.escape_cell(value)
    assert escaped == "'" + value
    assert csvfile.unescape_cell(escaped) == value


def test_a_file_has_a_bom_a_header_and_cr_lf_rows():
    body = csvfile.text([(1, "=cmd", None, -1500, True), ()], header=("id", "name", "empty", "amount", "ok"))
    assert body.startswith("\ufeff") and body.count("\ufeff") == 1
    assert body.endswith("\r\n\r\n")
    rows = list(csv.reader(io.StringIO(body[1:], newline="")))
    assert rows == [["id", "name", "empty", "amount", "ok"], ["1", "'=cmd", "", "-1500", "True"], []]


def test_chunks_split_by_batch_and_join_to_the_whole_file():
    rows = [(n, f"-{n}") for n in range(5)]
    parts = list(csvfile.chunks(rows, ("n", "text"), batch=2))
    assert len(parts) == 4  # the header, then 2 + 2 + 1 rows
    assert "".join(parts) == csvfile.text(rows, ("n", "text"))
    assert "'-4" in parts[-1]
