"""The Atom feed (RFC 4287) and the iCalendar file (RFC 5545), parsed back and checked."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, time, timedelta

import pytest

from sharing.core.db import utcnow
from sharing.news.services.feeds import fold, ics_escape
from tests.news.conftest import XSS_PAYLOADS, assert_safe_html, future

A = "{http://www.w3.org/2005/Atom}"


def _feed(client, query=""):
    r = client.get("/news/feed.atom" + query)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(r.data)


def _rfc3339(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_atom_feed_is_valid(client, cast, write):
    write(title="첫 소식", body="**굵게** & <b>", category="culture")
    write(title="센터 공지", actor=cast.centre, category="notice")
    write(title="임시", status="draft")
    write(title="예약", publish_at=utcnow() + timedelta(days=1))
    root = _feed(client)
    assert root.tag == f"{A}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{A}{name}") is not None and root.find(f"{A}{name}").text
    _rfc3339(root.find(f"{A}updated").text)
    assert root.find(f"{A}author/{A}name").text
    assert root.find(f"{A}link[@rel='self']").get("href").endswith("/news/feed.atom")
    entries = root.findall(f"{A}entry")
    assert len(entries) == 2
    ids = set()
    for entry in entries:
        for name in ("id", "title", "updated"):
            assert entry.find(f"{A}{name}").text
        ids.add(entry.find(f"{A}id").text)
        _rfc3339(entry.find(f"{A}updated").text)
        link = entry.find(f"{A}link[@rel='alternate']").get("href")
        assert link.startswith("http://localhost/news/")
        content = entry.find(f"{A}content")
        assert content.get("type") == "html"
    assert len(ids) == 2
    first = entries[-1]
    assert first.find(f"{A}title").text == "첫 소식"
    assert first.find(f"{A}content").text == "<p><strong>굵게</strong> &amp; &lt;b&gt;</p>\n"
    assert first.find(f"{A}author/{A}name").text == "동네목수"
    assert entries[0].find(f"{A}author/{A}name").text == "마을사회적경제센터"
    assert _rfc3339(root.find(f"{A}updated").text) >= _rfc3339(first.find(f"{A}updated").text)


def test_atom_filters_by_category_and_organisation(client, cast, write):
    write(title="문화", category="culture")
    write(title="교육", category="education", actor=cast.other_member, organization_id=cast.other_org.id)
    titles = lambda root: [e.find(f"{A}title").text for e in root.findall(f"{A}entry")]  # noqa: E731
    assert titles(_feed(client, "?category=culture")) == ["문화"]
    assert titles(_feed(client, f"?organization_id={cast.other_org.id}")) == ["교육"]
    root = _feed(client, f"?organization_id={cast.other_org.id}")
    assert "나무와 열매" in root.find(f"{A}title").text
    assert root.find(f"{A}id").text != _feed(client).find(f"{A}id").text
    assert client.get("/news/feed.atom?category=gossip").status_code == 422
    assert client.get("/news/feed.atom?organization_id=99999").status_code == 404
    assert client.get("/news/feed.atom?utm_source=reader").status_code == 200


def test_empty_feed_is_still_valid(client):
    root = _feed(client)
    assert root.findall(f"{A}entry") == [] and root.find(f"{A}updated").text


def test_hostile_markdown_never_reaches_the_feed_unescaped(client, cast, write):
    for payload in XSS_PAYLOADS:
        write(title=payload[:200], body=payload)
    raw = client.get("/news/feed.atom").get_data(as_text=True)
    assert "<script" not in raw.lower() and "javascript:" not in raw.lower()
    root = ET.fromstring(raw.encode())
    entries = root.findall(f"{A}entry")
    assert len(entries) == len(XSS_PAYLOADS)
    for entry in entries:
        for name in ("content", "title", "summary"):
            assert_safe_html(entry.find(f"{A}{name}").text or "")


# --- iCalendar -----------------------------------------------------------------------------------------


def parse_ics(raw: bytes) -> list[dict]:
    """A small RFC 5545 reader: check CRLF and octet lengths, unfold, split properties and params."""
    text = raw.decode("utf-8")
    assert text.endswith("\r\n")
    physical = text[:-2].split("\r\n")
    assert all("\n" not in line and "\r" not in line for line in physical)
    assert all(len(line.encode("utf-8")) <= 75 for line in physical), max(physical, key=len)
    lines: list[str] = []
    for line in physical:
        if line.startswith((" ", "\t")):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    components, stack = [], []
    for line in lines:
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        if name == "BEGIN":
            stack.append({"_type": value, "_props": {}})
        elif name == "END":
            done = stack.pop()
            assert done["_type"] == value
            components.append(done)
        else:
            stack[-1]["_props"].setdefault(name, []).append((dict(p.split("=", 1) for p in params), value))
    assert not stack
    return components


def unescape(value: str) -> str:
    out, i = [], 0
    while i < len(value):
        if value[i] == "\\" and i + 1 < len(value):
            out.append({"n": "\n", "N": "\n"}.get(value[i + 1], value[i + 1]))
            i += 2
        else:
            out.append(value[i])
            i += 1
    return "".join(out)


def test_ics_escaping_and_folding_units():
    assert ics_escape('a,b;c\\d\ne "f"') == 'a\\,b\\;c\\\\d\\ne "f"'
    line = "SUMMARY:" + "가나다" * 40
    folded = fold(line)
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_events_ics_round_trip(client, cast, write):
    day = future(4)
    title = "개울장, 녹색장터; 벼룩시장 \\ 함께" + " 길게" * 30
    timed = write(
        title=title,
        body="첫 줄\n\n둘째 줄",
        category="market_day",
        event_date=day,
        event_time=time(10, 30),
        event_end_time=time(15, 0),
        event_place="정릉천, 개울장 마당",
    )
    all_day = write(title="벼룩시장", category="market_day", event_date=future(10), event_place="석관동 공원")
    write(title="일정 없는 글")
    write(title="임시 행사", status="draft", event_date=future(2))
    r = client.get("/news/events.ics")
    assert r.headers["Content-Type"].startswith("text/calendar")
    components = parse_ics(r.data)
    calendar = components[-1]
    assert calendar["_type"] == "VCALENDAR"
    assert calendar["_props"]["VERSION"][0][1] == "2.0" and calendar["_props"]["PRODID"]
    assert [c["_type"] for c in components].count("VTIMEZONE") == 1
    events = {
        int(c["_props"]["URL"][0][1].rsplit("/", 1)[1]): c["_props"]
        for c in components
        if c["_type"] == "VEVENT"
    }
    assert set(events) == {timed, all_day}
    props = events[timed]
    assert unescape(props["SUMMARY"][0][1]) == title
    assert unescape(props["LOCATION"][0][1]) == "정릉천, 개울장 마당"
    params, value = props["DTSTART"][0]
    assert params == {"TZID": "Asia/Seoul"} and value == day.strftime("%Y%m%d") + "T103000"
    assert props["DTEND"][0] == ({"TZID": "Asia/Seoul"}, day.strftime("%Y%m%d") + "T150000")
    assert props["UID"][0][1] == f"news-post-{timed}@localhost"
    assert datetime.strptime(props["DTSTAMP"][0][1], "%Y%m%dT%H%M%SZ")
    assert props["URL"][0][1] == f"http://localhost/news/{timed}"
    other = events[all_day]
    assert other["DTSTART"][0] == ({"VALUE": "DATE"}, future(10).strftime("%Y%m%d"))
    assert other["DTEND"][0] == ({"VALUE": "DATE"}, (future(11)).strftime("%Y%m%d"))
    assert b"\\," in r.data and b"\\;" in r.data and b"\\\\" in r.data


def test_one_posts_ics(client, write):
    post_id = write(title="강연", event_date=future(3), event_place="도서관")
    plain = write(title="일정 없음")
    components = parse_ics(client.get(f"/news/{post_id}/event.ics").data)
    assert [c["_type"] for c in components if c["_type"] == "VEVENT"] == ["VEVENT"]
    assert client.get(f"/news/{plain}/event.ics").status_code == 404
    draft = write(title="임시", status="draft", event_date=future(3))
    assert client.get(f"/news/{draft}/event.ics").status_code == 404


@pytest.mark.parametrize("payload", ["<script>alert(1)</script>", "a\r\nBEGIN:VEVENT\r\nX:1"])
def test_ics_text_cannot_break_out_of_its_property(client, write, payload):
    write(title=payload, event_date=future(2), event_place=payload)
    components = parse_ics(client.get("/news/events.ics").data)
    events = [c for c in components if c["_type"] == "VEVENT"]
    assert len(events) == 1
    assert unescape(events[0]["_props"]["SUMMARY"][0][1]).replace("\r", "") == payload.replace("\r", "")
