"""Control characters at the boundary: one rule (sharing.web.inputs.clean_text) for forms and API schemas.
Single-line fields turn line breaks and tabs into a space and drop every other C0/C1 control;
multi-line fields keep line breaks (CR LF becomes LF) and tabs. The Atom feed stays valid XML even
for text stored before the rule."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from sharing.core.extensions import db
from sharing.market.models import Listing
from sharing.news import services as news
from sharing.news.models import Post
from sharing.web.inputs import clean_text, one_line

A = "{http://www.w3.org/2005/Atom}"
LISTING = {"kind": "share", "category": "tools", "dong": "정릉3동"}


@pytest.mark.parametrize(
    ("value", "single", "multi"),
    [
        ("전동\n드릴", "전동 드릴", "전동\n드릴"),
        ("a\r\nb\rc", "a  b c", "a\nb\nc"),
        ("a\tb", "a b", "a\tb"),
        ("bell\x07 esc\x1b[31m del\x7f c1\x85\x9b", "bell esc[31m del c1 ", "bell esc[31m del c1\n"),
        ("평범한 글", "평범한 글", "평범한 글"),
    ],
)
def test_the_one_rule(value, single, multi):
    assert clean_text(value) == single
    assert clean_text(value, multiline=True) == multi


def test_one_line_collapses_whitespace():
    assert one_line(" [성북]\r\n 새\t요청\x00 ") == "[성북] 새 요청"


def test_api_fields_are_cleaned(client, auth, make):
    user = make.user()
    body = {**LISTING, "title": "전동\r\n드릴\x1b", "description": "첫 줄\r\n\t둘째 줄\x07"}
    r = client.post("/api/v1/listings", json=body, headers=auth.headers(user))
    assert r.status_code == 201, r.json
    assert (r.json["title"], r.json["description"]) == ("전동  드릴", "첫 줄\n\t둘째 줄")
    stored = db.session.execute(select(Listing).where(Listing.id == r.json["id"])).scalar_one()
    assert stored.title == "전동  드릴"


def test_form_fields_are_cleaned(client, auth, make):
    user = make.user()
    auth.login(user)
    data = {**LISTING, "condition": "good", "title": "망치\n\x0b새것", "description": "튼튼\r\n함\x08"}
    assert client.post("/market/new", data=data).status_code == 302
    db.session.rollback()
    stored = db.session.execute(select(Listing).where(Listing.owner_id == user.id)).scalar_one()
    assert (stored.title, stored.description) == ("망치  새것", "튼튼\n함")


def test_the_atom_feed_stays_valid_xml(client, make):
    author = make.user()
    org = make.org(author)
    r = client.post(
        "/api/v1/posts",
        json={
            "title": "개울장\x0c 소식\x1b",
            "body": "본문\x01",
            "category": "notice",
            "organization_id": org.id,
        },
        headers={"Authorization": f"Bearer {make.token(author)}"},
    )
    assert r.status_code == 201, r.json
    assert r.json["title"] == "개울장  소식"
    # a title stored before the rule (services do not clean: the boundary does)
    news.create(
        author, {"title": "옛\x0b 소식", "body": "본문\x02", "category": "notice", "organization_id": org.id}
    )
    assert db.session.execute(select(Post.title).where(Post.title.contains("\x0b"))).scalar_one()
    feed = client.get("/news/feed.atom")
    root = ET.fromstring(feed.data)  # raises on any character XML forbids
    titles = {e.find(f"{A}title").text for e in root.findall(f"{A}entry")}
    assert titles == {"개울장  소식", "옛 소식"}


def test_the_archive_import_cleans_its_cells_too(client, make):
    centre = make.centre()
    body = (
        "kind,category,name,description,dong,tags\r\n"
        'space,culture,"마을\x1b[2J 사랑방","첫 줄\r\n\x07둘째 줄",정릉3동,"모임\x08,#책"\r\n'
    ).encode()
    r = client.post(
        "/api/v1/resources/import",
        data=body,
        headers={"Authorization": f"Bearer {make.token(centre)}", "Content-Type": "text/csv; charset=utf-8"},
    )
    assert r.status_code == 201, r.json
    resource = client.get(f"/api/v1/resources/{r.json['rows'][0]['id']}").json
    assert (resource["name"], resource["description"]) == ("마을[2J 사랑방", "첫 줄\n둘째 줄")
    assert resource["tags"] == ["모임", "책"]
