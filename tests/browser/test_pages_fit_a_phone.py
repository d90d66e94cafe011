"""Every feature's pages at a 390 px phone: nothing scrolls sideways (tables scroll inside their own
box), no console error, no request off the server, ``lang="ko"`` (checked by the page fixture).

The events calendar and the centre's user list once widened the whole page: the visually-hidden text
inside their scrolled tables (``position: absolute``) escaped the ``.table-wrap`` box.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE, scroll_width

pytestmark = pytest.mark.browser


def _ids(live_server) -> dict:
    from sqlalchemy import select

    from sharing.archive.models import Resource
    from sharing.core.extensions import db
    from sharing.market.models import Listing
    from sharing.news.models import Post
    from sharing.orgs.models import Organization

    with live_server.app_context():
        ids = {
            "listing": db.session.execute(
                select(Listing.id).where(Listing.status == "active", Listing.hidden_at.is_(None)).limit(1)
            ).scalar_one(),
            "post": db.session.execute(
                select(Post.id).where(Post.hidden_at.is_(None), Post.status == "published").limit(1)
            ).scalar_one(),
            "resource": db.session.execute(select(Resource.id).limit(1)).scalar_one(),
            "shop": db.session.execute(
                select(Organization.id).where(Organization.name == "동네목수")
            ).scalar_one(),
        }
        db.session.remove()
    return ids


PAGES = {
    "anonymous": (
        "/market",
        "/market/{listing}",
        "/news",
        "/news?q=장터",
        "/news/{post}",
        "/news/events",
        "/archive",
        "/archive/{resource}",
        "/archive/classification",
        "/news/organizations/{shop}",
        "/api/docs",
        "/search?q=공구",
    ),
    "minji": (
        "/card",
        "/card/shops",
        "/card/pay/{shop}",
        "/market/new",
        "/market/mine",
        "/market/borrowing",
        "/market/lending",
        "/news/follows",
        "/inbox",
        "/archive/new",
    ),
    "junho": ("/card/shop/{shop}", "/card/shop/{shop}/qr", "/news/new", "/news/manage"),
    "centre": (
        "/admin",
        "/admin/organizations",
        "/admin/reports",
        "/admin/users",
        "/admin/audit-log",
        "/admin/plan",
        "/admin/plan/3-1",
        "/admin/plan/evaluation",
        "/card/fund",
        "/card/fund/audit",
        "/archive/import",
        "/archive/stale",
    ),
}


@pytest.mark.parametrize("who", list(PAGES))
def test_feature_pages_fit_a_phone(page, live_server, who):
    ids = _ids(live_server)
    if who != "anonymous":
        live_server.login_as(page, who)
    wide = []
    for template in PAGES[who]:
        path = template.format(**ids)
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        width = scroll_width(page)
        if width > PHONE["width"]:
            wide.append(f"{path} ({width}px)")
    assert not wide, f"pages scroll sideways on a {PHONE['width']}px phone: {wide}"
