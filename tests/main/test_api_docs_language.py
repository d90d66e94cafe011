"""The API documentation page speaks the reader's language: each route's summary (``@doc``) goes
through the catalogue, and the catalogue's extraction picks the summaries up."""

from __future__ import annotations

import re
from pathlib import Path

from sharing.core import i18n

ROOT = Path(__file__).resolve().parents[2]


class _Marked:
    """The real translations, with every message marked so the page shows what went through them."""

    def __init__(self, real):
        self.real = real

    def ugettext(self, message):
        return "⟦" + self.real.ugettext(message) + "⟧"

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_every_summary_goes_through_the_catalogue(client, monkeypatch):
    spec = client.get("/api/v1/openapi.json").json
    summaries = {op["summary"] for ops in spec["paths"].values() for op in ops.values() if op.get("summary")}
    assert len(summaries) > 30
    real = i18n.translations
    monkeypatch.setattr(i18n, "translations", lambda: _Marked(real()))
    html = client.get("/api/docs").get_data(as_text=True)
    for summary in ("토큰 발급", "감사 기록: 센터의 모든 조치 (센터)", "자원 찾기 (q: 한글 부분 일치)"):
        assert summary in summaries
        assert f"⟦{summary}⟧" in html, summary
    shown = set(re.findall(r"⟦([^⟧]*)⟧", html))
    assert summaries <= shown, sorted(summaries - shown)[:5]


def test_the_extraction_takes_the_doc_summaries():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    extract = next(line for line in makefile.splitlines() if "pybabel extract" in line)
    assert "-k doc" in extract


def test_every_summary_has_english(client):
    """In English, no route's summary is left in Korean (summaries written outside ``@doc``, such as
    the market's request actions, are marked ``N_`` for the catalogue)."""
    spec = client.get("/api/v1/openapi.json").json
    summaries = {op["summary"] for ops in spec["paths"].values() for op in ops.values() if op.get("summary")}
    client.get("/lang/en")
    html = client.get("/api/docs").get_data(as_text=True)
    korean = sorted(s for s in summaries if s in html)
    assert "요청 수락 (올린 분)" in summaries
    assert korean == []
