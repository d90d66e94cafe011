"""Markdown to safe HTML: markdown-it-py without raw HTML, then an nh3 allow-list.

Two layers: markdown-it escapes any HTML the author types (``html: False``) and refuses
``javascript:``/``vbscript:``/``file:``/``data:`` link targets; nh3 then keeps only the tags and
attributes below, only http/https/mailto (and relative) URLs, and adds ``rel="nofollow noopener"``.
The sanitised HTML is cached on the post when it is saved, and cleaned again on output
(:func:`clean`), so a change of this allow-list protects old posts too.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener"

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=LINK_REL,
    strip_comments=True,
)
_text_only = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"}, attributes={})
_spaces = re.compile(r"\s+")


def _shift_headings(tokens) -> None:
    """The post's title is the page's h1: Markdown headings start at h2 (heading order)."""
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 1, 6)
            token.tag = f"h{level}"


def render_markdown(source: str) -> str:
    """The sanitised HTML of a Markdown text (to cache in ``Post.body_html``)."""
    env: dict = {}
    tokens = _md.parse(source or "", env)
    _shift_headings(tokens)
    return clean(_md.renderer.render(tokens, _md.options, env))


def clean(fragment: str | None) -> str:
    """Sanitise an HTML fragment with the allow-list (idempotent; used again on output).

    The cleaned tree is then written out again with every text and non-URL attribute fully escaped
    (see :func:`defang_text`), so text that merely *looks* like markup, such as the visible words
    ``<img src=x onerror=alert(1)>`` that an author typed, cannot be mistaken for an attribute by
    any later consumer that pattern-matches HTML (a mail client, a feed reader, a scraper).
    """
    serializer = _Serializer()
    serializer.feed(_cleaner.clean(fragment or ""))
    serializer.close()
    return "".join(serializer.out)


_SCHEME_COLON = re.compile(r"(?i)(javascript|vbscript|livescript|data)(\s*):")
_VOID = {"br", "hr", "img"}
_URL_ATTRS = {"href", "src"}


def defang_text(text: str | None) -> str:
    """HTML-escape text, also writing ``=`` and a script scheme's ``:`` as character references.

    Browsers show exactly the same characters; only the source differs.
    """
    out = html.escape(text or "", quote=True).replace("=", "&#61;")
    return _SCHEME_COLON.sub(r"\1\2&#58;", out)


class _Serializer(HTMLParser):
    """Writes out already-sanitised HTML canonically (attributes double-quoted and escaped)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        parts = [f"<{tag}"]
        for name, value in attrs:
            value = value or ""
            escaped = html.escape(value, quote=True) if name in _URL_ATTRS else defang_text(value)
            parts.append(f' {name}="{escaped}"')
        parts.append(">")
        self.out.append("".join(parts))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(defang_text(data))


def safe_html(fragment: str | None) -> Markup:
    """For templates: the fragment cleaned once more, marked safe for Jinja."""
    return Markup(clean(fragment))


def safe_text(text: str | None) -> Markup:
    """For templates: plain text (titles, excerpts) escaped by :func:`defang_text`."""
    return Markup(defang_text(text))


def plain_text(fragment: str | None) -> str:
    """The readable text of an HTML fragment, whitespace collapsed (not HTML: escape it on output)."""
    return _spaces.sub(" ", html.unescape(_text_only.clean(fragment or ""))).strip()


def excerpt(fragment: str | None, limit: int = 160) -> str:
    text = plain_text(fragment)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rstrip()
    return cut + "…"
