"""Atom 1.0 (RFC 4287) and iCalendar (RFC 5545) documents, written by hand: no dependency needed.

Both take the site's absolute base URL from the caller (services never read the request).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _

from ...core.time import aware, now
from ...web.inputs import clean_text
from .. import render
from ..models import CATEGORIES, Post

ATOM_NS = "http://www.w3.org/2005/Atom"
TIMEZONE = "Asia/Seoul"


# Characters XML 1.0 does not allow at all (C0 controls but tab, LF, CR; surrogates; U+FFFE/U+FFFF):
# one of them anywhere makes the whole feed unreadable for every subscriber.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` without the characters XML 1.0 forbids (text stored before the input rule)."""
    return _NOT_XML.sub("", value)


def _rfc3339(value: datetime) -> str:
    return aware(value).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _updated(post: Post) -> datetime:
    return aware(post.edited_at or post.publish_at or post.created_at)


def _author_name(post: Post) -> str:
    return post.organization.name if post.organization is not None else _("마을사회적경제센터")


def post_url(base_url: str, post: Post) -> str:
    return f"{base_url.rstrip('/')}/news/{post.id}"


def atom(posts: Iterable[Post], *, base_url: str, self_url: str, title: str, subtitle: str = "") -> bytes:
    """An Atom feed of ``posts``. The HTML content is the sanitised rendering, XML-escaped."""
    posts = list(posts)
    ET.register_namespace("", ATOM_NS)

    def sub(parent, tag, text=None, **attrs):
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_text(str(v)) for k, v in attrs.items()})
        if text is not None:
            el.text = xml_text(text)
        return el

    feed = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "ko"})
    sub(feed, "id", self_url)
    sub(feed, "title", title)
    if subtitle:
        sub(feed, "subtitle", subtitle)
    updated = max((_updated(p) for p in posts), default=now())
    sub(feed, "updated", _rfc3339(updated))
    sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    sub(feed, "link", rel="alternate", type="text/html", href=f"{base_url.rstrip('/')}/news")
    author = sub(feed, "author")
    sub(author, "name", _("성북구 마을사회적경제센터"))
    sub(feed, "generator", "sharing")
    for post in posts:
        url = post_url(base_url, post)
        entry = sub(feed, "entry")
        sub(entry, "id", url)
        sub(entry, "title", render.defang_text(post.title), type="html")
        sub(entry, "updated", _rfc3339(_updated(post)))
        sub(entry, "published", _rfc3339(post.publish_at or post.created_at))
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        entry_author = sub(entry, "author")
        sub(entry_author, "name", _author_name(post))
        sub(entry, "category", term=post.category, label=str(CATEGORIES.get(post.category, post.category)))
        sub(entry, "summary", render.defang_text(post.excerpt), type="html")
        sub(entry, "content", render.clean(post.body_html), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


# --- iCalendar --------------------------------------------------------------------------------------


def ics_escape(text: str | None) -> str:
    """TEXT value escaping (RFC 5545 3.3.11): backslash, semicolon, comma and newlines."""
    text = clean_text((text or "").replace("\r\n", "\n").replace("\r", "\n"), multiline=True)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current, size, limit = [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            out.append("".join(current))
            current, size, limit = [" "], 1, 75
        current.append(ch)
        size += width
    out.append("".join(current))
    return "\r\n".join(out)


def _stamp(value: datetime) -> str:
    return aware(value).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TIMEZONE}",
    "X-LIC-LOCATION:Asia/Seoul",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "TZNAME:KST",
    "DTSTART:19700101T000000",
    "END:STANDARD",
    "END:VTIMEZONE",
)


def _event_lines(post: Post, base_url: str, host: str, stamp: datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:news-post-{post.id}@{host}",
        f"DTSTAMP:{_stamp(stamp)}",
    ]
    if post.event_time is None:
        start = post.event_date
        lines.append(f"DTSTART;VALUE=DATE:{start:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{start + timedelta(days=1):%Y%m%d}")
    else:
        start = datetime.combine(post.event_date, post.event_time)
        lines.append(f"DTSTART;TZID={TIMEZONE}:{start:%Y%m%dT%H%M%S}")
        if post.event_end_time is not None and post.event_end_time > post.event_time:
            end = datetime.combine(post.event_date, post.event_end_time)
            lines.append(f"DTEND;TZID={TIMEZONE}:{end:%Y%m%dT%H%M%S}")
    lines += [
        f"SUMMARY:{ics_escape(post.title)}",
        f"LOCATION:{ics_escape(post.event_place or post.dong or _('성북구'))}",
        f"DESCRIPTION:{ics_escape(post.excerpt)}",
        f"CATEGORIES:{ics_escape(str(CATEGORIES.get(post.category, post.category)))}",
        f"URL:{post_url(base_url, post)}",
        f"LAST-MODIFIED:{_stamp(_updated(post))}",
        "END:VEVENT",
    ]
    return lines


def ics(posts: Iterable[Post], *, base_url: str, host: str, name: str) -> str:
    """A VCALENDAR of the posts' events (CRLF line ends, folded lines, escaped text)."""
    stamp = now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Seongbuk-gu//sharing platform news//KO",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
        f"X-WR-TIMEZONE:{TIMEZONE}",
        "REFRESH-INTERVAL;VALUE=DURATION:PT6H",
        "X-PUBLISHED-TTL:PT6H",
        *VTIMEZONE,
    ]
    for post in posts:
        if post.event_date is not None:
            lines += _event_lines(post, base_url, host, stamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
