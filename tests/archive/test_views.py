"""The archive's pages: every route for every role, the forms, the history, the classification page,
the import preview and commit, the stale list."""

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from sharing.archive import services
from sharing.archive.models import Resource
from sharing.core.db import transaction, utcnow
from sharing.core.extensions import db
from sharing.records.models import Report

ROLES = ("anonymous", "owner", "neighbour", "member", "centre")


def login(auth, cast, role):
    if role != "anonymous":
        assert auth.login(getattr(cast, role)).status_code == 302


def expect(response, status):
    if status == "login":
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    else:
        assert response.status_code == status, response.data[:500]


# (method, path template, form data, expected per role: anonymous, owner, neighbour, member, centre)
ROUTES = [
    ("get", "/archive", None, (200, 200, 200, 200, 200)),
    ("get", "/archive/{id}", None, (200, 200, 200, 200, 200)),
    ("get", "/archive/new", None, ("login", 200, 200, 200, 200)),
    ("get", "/archive/{id}/edit", None, ("login", 200, 403, 403, 200)),
    ("post", "/archive/{id}/confirm", {}, ("login", 302, 403, 403, 302)),
    ("post", "/archive/{id}/delete", {}, ("login", 302, 403, 403, 302)),
    ("post", "/archive/{id}/report", {"reason": "spam"}, ("login", 302, 302, 302, 302)),
    ("post", "/archive/{id}/archive", {"archived": "1"}, ("login", 403, 403, 403, 302)),
    ("post", "/archive/{id}/hide", {"hidden": "1"}, ("login", 403, 403, 403, 302)),
    ("get", "/archive/classification", None, (200, 200, 200, 200, 200)),
    ("get", "/archive/import", None, ("login", 403, 403, 403, 200)),
    ("post", "/archive/import/commit", {"token": "0" * 64}, ("login", 403, 403, 403, 302)),
    ("get", "/archive/stale", None, ("login", 403, 403, 403, 200)),
    ("post", "/archive/stale/archive", {"ids": "{id}"}, ("login", 403, 403, 403, 302)),
    ("get", "/archive/export.csv", None, (200, 200, 200, 200, 200)),
    ("get", "/archive/export.json", None, (200, 200, 200, 200, 200)),
]
CASES = [
    pytest.param(method, path, data, role, statuses[i], id=f"{method}-{path}-{role}")
    for method, path, data, statuses in ROUTES
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("method", "path", "data", "role", "status"), CASES)
def test_permissions_for_every_route_and_role(client, auth, cast, method, path, data, role, status):
    login(auth, cast, role)
    url = path.format(id=cast.resource.id)
    data = {k: v.format(id=cast.resource.id) for k, v in (data or {}).items()}
    response = client.get(url) if method == "get" else client.post(url, data=data)
    expect(response, status)


def test_index_lists_facets_and_search(client, cast):
    page = client.get("/archive?q=드릴").get_data(as_text=True)
    assert "전동드릴 빌려드려요" in page and "마을활력소 다목적실" not in page
    assert 'role="search"' in page
    assert "권역 외" in page or "정릉" in page
    page = client.get("/archive?kind=space").get_data(as_text=True)
    assert "마을활력소 다목적실" in page and 'aria-current="true"' in page
    assert "조건 해제" in page


def test_index_empty_state_and_paging(client, auth, cast, make):
    page = client.get("/archive?q=존재하지않는말").get_data(as_text=True)
    assert "조건에 맞는 자원이 없습니다" in page
    for i in range(21):
        services.create(
            cast.centre, {"kind": "person", "category": "care", "name": f"돌봄 {i}", "dong": "석관동"}
        )
    page = client.get("/archive?q=돌봄").get_data(as_text=True)
    assert 'rel="next"' in page
    page = client.get("/archive?q=돌봄&page=2").get_data(as_text=True)
    assert 'rel="prev"' in page


def test_detail_hides_the_contact_from_anonymous_readers_and_shows_history(client, auth, cast):
    services.update(cast.owner, cast.resource.id, {"contact": "010-9999-9999", "name": "충전 드릴"})
    page = client.get(f"/archive/{cast.resource.id}").get_data(as_text=True)
    assert "010-9999-9999" not in page and "010-1234-5678" not in page
    assert "로그인하면 연락처를 볼 수 있습니다" in page
    assert "변경 기록" in page and "충전 드릴" in page and "전동드릴 빌려드려요" in page
    assert "김주민" in page
    login(auth, cast, "neighbour")
    page = client.get(f"/archive/{cast.resource.id}").get_data(as_text=True)
    assert "010-9999-9999" in page and "010-1234-5678" in page
    assert "잘못된 정보 신고" in page and "지금도 맞는 정보예요" not in page


def test_owner_sees_one_click_confirm(client, auth, cast):
    with transaction():
        db.session.get(Resource, cast.resource.id).confirmed_at = utcnow() - timedelta(days=400)
    login(auth, cast, "owner")
    page = client.get(f"/archive/{cast.resource.id}").get_data(as_text=True)
    assert "1년 넘게 확인되지 않음" in page and "지금도 맞는 정보예요" in page
    assert client.post(f"/archive/{cast.resource.id}/confirm").status_code == 302
    db.session.rollback()  # end the test's read snapshot
    assert not services.is_stale(db.session.get(Resource, cast.resource.id))
    assert services.history(cast.resource.id)[0].action == "confirm"


def test_new_and_edit_forms(client, auth, cast):
    login(auth, cast, "member")
    form = client.get("/archive/new").get_data(as_text=True)
    assert "동네목수" in form
    data = {
        "kind": "program",
        "name": "목공 교실",
        "category": "education",
        "dong": "장위1동",
        "description": "주말 목공 교실",
        "tags": "목공, 교육",
        "availability": "토요일",
        "contact": "02-000-0000",
        "organization_id": str(cast.org.id),
    }
    r = client.post("/archive/new", data=data)
    assert r.status_code == 302
    db.session.rollback()  # end the test's read snapshot
    created = db.session.execute(select(Resource).where(Resource.name == "목공 교실")).scalar_one()
    assert created.tag_list == ["목공", "교육"] and created.organization_id == cast.org.id
    r = client.post("/archive/new", data={**data, "organization_id": "", "name": "조직 없는 프로그램"})
    assert r.status_code == 422
    assert "조직" in r.get_data(as_text=True)
    r = client.post("/archive/new", data={**data, "name": ""})
    assert r.status_code == 422
    r = client.post(f"/archive/{created.id}/edit", data={**data, "name": "목공 교실 (초급)"})
    assert r.status_code == 302
    db.session.rollback()  # end the test's read snapshot
    assert db.session.get(Resource, created.id).name == "목공 교실 (초급)"
    edit = client.get(f"/archive/{created.id}/edit").get_data(as_text=True)
    assert "목공, 교육" in edit


def test_report_from_the_page(client, auth, cast):
    login(auth, cast, "neighbour")
    r = client.post(f"/archive/{cast.resource.id}/report", data={"reason": "wrong_info", "comment": "없어짐"})
    assert r.status_code == 302
    db.session.rollback()  # end the test's read snapshot
    report = db.session.execute(select(Report)).scalar_one()
    assert (report.target_type, report.target_id) == ("resource", cast.resource.id)
    r = client.post(f"/archive/{cast.resource.id}/report", data={"reason": "nonsense"})
    assert r.status_code == 302  # a message, nothing filed
    assert len(db.session.execute(select(Report)).scalars().all()) == 1


def test_centre_archives_and_hides_from_the_page(client, auth, cast):
    login(auth, cast, "centre")
    page = client.get(f"/archive/{cast.resource.id}").get_data(as_text=True)
    assert "센터 관리" in page and "data-confirm" in page
    client.post(f"/archive/{cast.resource.id}/archive", data={"archived": "1"})
    assert "전동드릴" not in client.get("/archive/export.csv").get_data(as_text=True)
    client.post(f"/archive/{cast.resource.id}/archive", data={"archived": "0"})
    client.post(f"/archive/{cast.resource.id}/hide", data={"hidden": "1"})
    auth.logout()
    assert client.get(f"/archive/{cast.resource.id}").status_code == 404


def test_classification_page_has_heat_table_and_charts(client, cast):
    page = client.get("/archive/classification").get_data(as_text=True)
    assert "<svg" in page and "<title" in page and 'fill="#0b5c8a"' in page
    assert 'scope="col"' in page and 'scope="row"' in page and 'scope="rowgroup"' in page
    assert "권역 외" in page and "장위-석관" in page
    assert 'class="num heat-4"' in page  # the largest cell is darkest, and its number is printed
    assert 'class="num heat-0">0<' in page
    assert "style=" not in page
    page = client.get("/archive/classification?kind=space").get_data(as_text=True)
    assert "공개 자원 1건" in page


def test_import_preview_then_commit(client, auth, cast, app):
    login(auth, cast, "centre")
    body = "kind,category,name,dong,tags\nperson,care,돌봄 재능,길음1동,돌봄\nperson,care,x,역삼동,\n"
    r = client.post("/archive/import", data={"file": (io.BytesIO(body.encode("cp949")), "a.csv")})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "거부" in page and "저장하기" not in page
    good = body.splitlines()[:2]
    r = client.post(
        "/archive/import", data={"file": (io.BytesIO(("\n".join(good) + "\n").encode()), "a.csv")}
    )
    page = r.get_data(as_text=True)
    assert "새로 등록" in page and "저장하기" in page
    assert db.session.execute(select(Resource).where(Resource.name == "돌봄 재능")).first() is None
    import re

    token = re.search(r'name="token" type="hidden" value="([0-9a-f]{64})"', page) or re.search(
        r'value="([0-9a-f]{64})"', page
    )
    r = client.post("/archive/import/commit", data={"token": token.group(1)})
    assert r.status_code == 302
    db.session.rollback()  # end the test's read snapshot
    assert db.session.execute(select(Resource).where(Resource.name == "돌봄 재능")).first() is not None
    r = client.post("/archive/import", data={"file": (io.BytesIO(b"colour\nred\n"), "a.csv")})
    assert r.status_code == 422 and "colour" in r.get_data(as_text=True)


def test_stale_list_and_bulk_archive(client, auth, cast):
    with transaction():
        db.session.get(Resource, cast.resource.id).confirmed_at = utcnow() - timedelta(days=400)
    login(auth, cast, "centre")
    page = client.get("/archive/stale").get_data(as_text=True)
    assert "전동드릴 빌려드려요" in page and "마을활력소" not in page
    r = client.post("/archive/stale/archive", data={"ids": [str(cast.resource.id)]})
    assert r.status_code == 302
    db.session.rollback()  # end the test's read snapshot
    assert db.session.get(Resource, cast.resource.id).archived_at is not None
    assert "1년 넘게 확인되지 않은 자원이 없습니다" in client.get("/archive/stale").get_data(as_text=True)


def test_home_page_shows_new_resources(client, cast):
    page = client.get("/").get_data(as_text=True)
    assert "새로 등록된 마을 자원" in page and "마을활력소 다목적실" in page


def _links(html: str) -> list[str]:
    import html as htmllib
    import re

    return [htmllib.unescape(h) for h in re.findall(r'href="([^"]*)"', html)]


@pytest.mark.parametrize("script_name", ["", "/sharing"])
def test_search_page_cards_and_facets_link_where_url_for_points(app, client, cast, script_name):
    """The results' cards, their tags and the facets link to what ``url_for`` builds, the site's
    prefix (``SCRIPT_NAME``) included; the card shows its name, labels, organisation and date."""
    from flask import url_for

    from sharing.core.time import seoul

    resource = cast.org_resource
    query = {"q": "다목적"}
    base_url = "http://localhost" + script_name
    html = client.get("/archive", query_string=query, base_url=base_url).get_data(as_text=True)
    links = _links(html)
    with app.test_request_context("/archive", base_url=base_url):
        entry = url_for("archive.show", resource_id=resource.id)
        assert entry.startswith(script_name + "/archive/")
        assert entry in links
        for tag in resource.tag_list:
            assert url_for("archive.index", tag=tag) in links
        assert url_for("archive.index", q="다목적", kind="space") in links  # a facet
        assert url_for("archive.index", q="다목적", dong=resource.dong) in links
    card = html[html.index(f'href="{entry}"') :]
    card = card[: card.index("</li>\n")] if "</li>\n" in card else card
    assert resource.name in card and "공간" in card and "동네목수" in card
    assert seoul(resource.confirmed_at).strftime("%Y.%m.%d") in card
