"""Absolute links (Atom feed, iCalendar, the shop's QR code) come from PUBLIC_BASE_URL, never from
the request's Host header: a forged Host must not reach every subscriber's feed reader."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from config import ProductionConfig
from sharing import create_app
from sharing.core.extensions import db
from tests.news.conftest import future

A = "{http://www.w3.org/2005/Atom}"
FORGED = {"Host": "evil.example"}


def _links(client) -> set[str]:
    root = ET.fromstring(client.get("/news/feed.atom?category=notice", headers=FORGED).data)
    hrefs = {link.get("href") for link in root.iter(f"{A}link")}
    return hrefs | {el.text for el in root.iter(f"{A}id")}


def test_the_feed_uses_the_configured_address(app, client, write):
    write(title="공지", category="notice")
    app.config["PUBLIC_BASE_URL"] = "https://sharing.sb.go.kr/"
    links = _links(client)
    assert links and all(u.startswith("https://sharing.sb.go.kr/") for u in links), links
    assert "https://sharing.sb.go.kr/news/feed.atom?category=notice" in links
    ics = client.get("/news/events.ics", headers=FORGED).get_data(as_text=True)
    assert "evil.example" not in ics


def test_calendar_links_and_uids_use_the_configured_address(app, client, write):
    post_id = write(title="장터", category="market_day", event_date=future(3), event_place="정릉천")
    app.config["PUBLIC_BASE_URL"] = "https://sharing.sb.go.kr"
    body = client.get(f"/news/{post_id}/event.ics", headers=FORGED).get_data(as_text=True)
    assert "evil.example" not in body
    assert f"https://sharing.sb.go.kr/news/{post_id}" in body
    assert "@sharing.sb.go.kr" in body


def test_without_the_setting_production_never_trusts_the_host(database_url, tmp_path, monkeypatch, make):
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret-0123456789")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=database_url, UPLOAD_DIR=str(tmp_path))
    with app.app_context():
        body = app.test_client().get("/news/feed.atom", headers=FORGED, base_url="https://x").data
        db.session.remove()
        db.engine.dispose()
    assert b"evil.example" not in body
    assert b"https://localhost/news" in body


@pytest.mark.parametrize("configured", ["", "https://sharing.sb.go.kr"])
def test_development_follows_the_request_only_without_the_setting(app, client, configured):
    app.config["PUBLIC_BASE_URL"] = configured
    root = ET.fromstring(client.get("/news/feed.atom").data)
    self_link = root.find(f"{A}link[@rel='self']").get("href")
    assert self_link == (configured or "http://localhost") + "/news/feed.atom"
