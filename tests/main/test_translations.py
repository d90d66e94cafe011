"""The English catalogue: complete, placeholder-safe, free of Korean, and not stale.

The Korean text is the msgid everywhere (``_()``, ``_l()``, ``{{ _("...") }}``), so a missing English
msgstr silently shows Korean to an English reader. These tests make that a failure:

* every msgid in ``en/LC_MESSAGES/messages.po`` has a non-empty msgstr (both plural forms for plural
  entries), no fuzzy flag, and the same %-placeholders as its msgid (``%%`` included);
* no msgstr contains Hangul, except the explicit allow-list below;
* extracting the source again (the Makefile's ``messages`` command, into a temporary .pot) yields no
  msgid the English catalogue lacks, so a newly added string fails until it is translated;
* the English home page of an empty database shows no Hangul outside the allow-list.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.helpers import html_lang, page_text

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "sharing" / "translations"
EN_PO = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
PYBABEL = Path(sys.executable).with_name("pybabel")

HANGUL = re.compile("[\uac00-\ud7a3]+")
# A Python %-conversion: %(name)s, %d, %.1f, or a literal %%.
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa%]")

# msgstrs that may keep Hangul. Empty on purpose: every English string is fully English (the platform's
# Korean name is not shown beside the English one). Add a msgid here only with a reason.
MSGSTR_HANGUL_ALLOWED: dict[str, str] = {}

# Hangul the English home page may show, each with the reason it is not a translation gap.
HOME_HANGUL_ALLOWED = {
    # The language switcher names each language in that language, so Korean readers can find it.
    "한국어",
}


def _catalogue():
    with EN_PO.open("rb") as fh:
        return read_po(fh, locale="en")


def _messages():
    return [m for m in _catalogue() if m.id]


def _ids(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def _strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def _placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def test_catalogue_is_not_empty():
    # Guards the other tests against passing vacuously on a broken or truncated file.
    assert len(_messages()) > 1000


def test_every_msgid_has_an_english_msgstr():
    untranslated = [m.id for m in _messages() if not all(s and s.strip() for s in _strings(m))]
    assert untranslated == []


def test_plural_entries_have_both_forms():
    for m in _messages():
        if m.pluralizable:
            strings = _strings(m)
            assert len(strings) == 2 and all(strings), m.id


def test_no_fuzzy_entries():
    assert [m.id for m in _messages() if m.fuzzy] == []


def test_placeholders_match():
    mismatched = []
    for m in _messages():
        wanted = _placeholders(_ids(m)[-1])
        for s in _strings(m):
            if _placeholders(s) != wanted:
                mismatched.append((m.id, s))
    assert mismatched == []


def test_python_format_flag_agrees_with_placeholders():
    # Babel flags msgids that contain a %-placeholder; the flag is what makes `pybabel compile` check
    # the msgstr, so an unflagged msgid with placeholders would escape that check.
    for m in _messages():
        if _placeholders(_ids(m)[0]):
            assert "python-format" in m.flags, m.id


def test_no_hangul_in_english_msgstrs():
    found = {
        m.id: s
        for m in _messages()
        for s in _strings(m)
        if HANGUL.search(s) and m.id not in MSGSTR_HANGUL_ALLOWED
    }
    assert found == {}


def test_no_msgstr_is_a_copy_of_its_korean_msgid():
    assert [m.id for m in _messages() if HANGUL.search(m.id) and m.string == m.id] == []


def test_placeholder_pattern_sees_what_babel_sees():
    # The checks above are only as good as this pattern.
    assert _placeholders("%(n)s건 %(max)d자 1%% %s") == Counter({"%(n)s": 1, "%(max)d": 1, "%%": 1, "%s": 1})
    assert _placeholders("%(n)s") != _placeholders("%(m)s")


def test_catalogue_is_not_stale(tmp_path):
    """Extract the source as `make messages` does: every msgid found must be in the catalogue."""
    pot = tmp_path / "messages.pot"
    result = subprocess.run(
        [
            str(PYBABEL),
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--no-location",
            "--sort-output",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with pot.open("rb") as fh:
        extracted = {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(fh) if m.id}
    assert len(extracted) > 1000
    known = {m.id if isinstance(m.id, str) else tuple(m.id) for m in _messages()}
    missing = sorted(map(str, extracted - known))
    assert missing == [], "run `make messages` and translate the new entries"


def _visible_hangul(body: str) -> set[str]:
    """Hangul runs in the page's text and attribute values (what a reader or screen reader meets)."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return set(HANGUL.findall(html.unescape(body)))


def test_english_home_page_has_no_korean(client):
    r = client.get("/?lang=en")
    assert r.status_code == 200
    assert html_lang(r) == "en"
    body = page_text(r)
    assert "Seongbuk Sharing Platform" in body
    assert _visible_hangul(body) - HOME_HANGUL_ALLOWED == set()


def test_korean_home_page_still_korean(client):
    # The check above must be able to fail: the same page in Korean is full of Hangul.
    r = client.get("/?lang=ko")
    assert html_lang(r) == "ko"
    assert len(_visible_hangul(page_text(r)) - HOME_HANGUL_ALLOWED) > 10


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        ("성북 공유 플랫폼", "Seongbuk Sharing Platform"),
        ("마을사회적경제센터", "Village Social Economy Centre"),
        ("지역거래카드", "Local Trade Card"),
    ],
)
def test_key_names_are_translated_consistently(app, korean, english):
    from flask_babel import force_locale, gettext

    with force_locale("en"):
        assert gettext(korean) == english
    with force_locale("ko"):
        assert gettext(korean) == korean
