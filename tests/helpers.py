"""Small assertions shared by the web tests: Korean text, the error beside a field, CSRF tokens."""

from __future__ import annotations

import html
import re

HANGUL = re.compile("[가-힣]")


def has_korean(text: str) -> bool:
    return bool(HANGUL.search(text or ""))


def page_text(response) -> str:
    return response.get_data(as_text=True)


def field_error(response, field_id: str) -> str | None:
    """The error message shown beside the field ``field_id`` (``<p class="error" id="x-error">``)."""
    match = re.search(
        rf'<p class="error" id="{re.escape(field_id)}-error">(.*?)</p>', page_text(response), re.S
    )
    if match is None:
        return None
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def csrf_token(response) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page_text(response)) or re.search(
        r'type="hidden" name="csrf_token" value="([^"]+)"', page_text(response)
    )
    assert match, "no CSRF token on the page"
    return match.group(1)


def html_lang(response) -> str | None:
    match = re.search(r'<html lang="([^"]*)"', page_text(response))
    return match.group(1) if match else None
