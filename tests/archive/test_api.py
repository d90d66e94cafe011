"""The resource archive's JSON API, as API.md writes it, for every role."""

import pytest
from sqlalchemy import select

from sharing.archive.models import Resource
from sharing.core.extensions import db

BODY = {
    "kind": "person",
    "name": "집수리 재능 나눔",
    "description": "도배와 수전 교체를 도와드립니다.",
    "category": "repair",
    "dong": "장위1동",
    "contact": "010-0000-0000",
    "tags": ["집수리", "도배"],
}


def test_create_201_with_owner_and_contact(client, auth, make):
    user = make.user()
    r = client.post("/api/v1/resources", json=BODY, headers=auth.headers(user))
    assert r.status_code == 201, r.json
    body = r.json
    assert body["owner_id"] == user.id and body["contact"] == "010-0000-0000"
    assert body["tags"] == ["집수리", "도배"] and body["zone"] == "장위-석관"
    assert body["kind_label"] == "인적자원" and body["status"] == "active"
    assert body["confirmed_at"].endswith("+09:00")


def test_create_needs_a_token(client):
    r = client.post("/api/v1/resources", json=BODY)
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "robot"),
        ("category", "tools"),
        ("dong", "역삼동"),
        ("name", "가" * 101),
        ("name", ""),
        ("description", "가" * 5001),
        ("contact", "1" * 201),
        ("tags", [f"t{i}" for i in range(11)]),
        ("tags", ["가" * 31]),
        ("tags", "공구"),
        ("organization_id", "1"),
        ("colour", "red"),
    ],
)
def test_create_422(client, auth, make, field, value):
    r = client.post("/api/v1/resources", json={**BODY, field: value}, headers=auth.headers(make.user()))
    assert r.status_code == 422, r.json
    assert field in r.json["error"]["fields"]


def test_create_missing_fields_and_malformed_json(client, auth, make):
    headers = auth.headers(make.user())
    r = client.post("/api/v1/resources", json={"name": "x"}, headers=headers)
    assert r.status_code == 422
    assert {"kind", "category", "dong", "description"} <= set(r.json["error"]["fields"])
    r = client.post("/api/v1/resources", data="{", headers={**headers, "Content-Type": "application/json"})
    assert r.status_code == 400


def test_space_rules_over_the_api(client, auth, cast):
    space = {**BODY, "kind": "space", "name": "공간"}
    r = client.post("/api/v1/resources", json=space, headers=auth.headers(cast.neighbour))
    assert r.status_code == 422 and "organization_id" in r.json["error"]["fields"]
    r = client.post(
        "/api/v1/resources",
        json={**space, "organization_id": cast.org.id},
        headers=auth.headers(cast.neighbour),
    )
    assert r.status_code == 403
    r = client.post(
        "/api/v1/resources", json={**space, "organization_id": cast.org.id}, headers=auth.headers(cast.member)
    )
    assert r.status_code == 201 and r.json["organization_name"] == "동네목수"
    r = client.post("/api/v1/resources", json=space, headers=auth.headers(cast.centre))
    assert r.status_code == 201


def test_contact_is_for_signed_in_callers_only(client, auth, cast):
    rid = cast.resource.id
    anonymous = client.get(f"/api/v1/resources/{rid}")
    assert anonymous.status_code == 200 and "contact" not in anonymous.json
    signed_in = client.get(f"/api/v1/resources/{rid}", headers=auth.headers(cast.neighbour))
    assert signed_in.json["contact"] == "010-1234-5678"
    listing = client.get("/api/v1/resources")
    assert all("contact" not in item for item in listing.json["items"])
    listing = client.get("/api/v1/resources", headers=auth.headers(cast.neighbour))
    assert all("contact" in item for item in listing.json["items"])


def test_list_search_filters_paging_and_facets(client, cast):
    r = client.get("/api/v1/resources?q=드릴")
    assert r.status_code == 200
    assert [i["id"] for i in r.json["items"]] == [cast.resource.id]
    assert (r.json["page"], r.json["per_page"], r.json["total"]) == (1, 20, 1)
    assert "facets" not in r.json
    r = client.get("/api/v1/resources?kind=space&dong=장위1동&category=culture&tag=대관&zone=장위-석관")
    assert [i["id"] for i in r.json["items"]] == [cast.org_resource.id]
    r = client.get("/api/v1/resources?per_page=1&page=2")
    assert len(r.json["items"]) == 1 and r.json["total"] == 2
    r = client.get("/api/v1/resources?facets=1&kind=space")
    kinds = {f["value"]: f["count"] for f in r.json["facets"]["kind"]}
    assert kinds["space"] == 1 and kinds["equipment"] == 1
    assert {f["value"] for f in r.json["facets"]["zone"]} >= {"outside", "정릉"}


@pytest.mark.parametrize(
    "query",
    [
        "kind=robot",
        "category=tools",
        "dong=역삼동",
        "zone=강남",
        "per_page=101",
        "page=0",
        "q=" + "가" * 101,
        "x=1",
    ],
)
def test_list_422(client, query):
    r = client.get(f"/api/v1/resources?{query}")
    assert r.status_code == 422


def test_show_404(client, auth, cast):
    assert client.get("/api/v1/resources/99999").status_code == 404
    assert client.get("/api/v1/resources/99999").json["error"]["code"] == "resource_not_found"


ROLES = ("anonymous", "owner", "neighbour", "member", "centre")


def headers_for(auth, cast, role):
    return {} if role == "anonymous" else auth.headers(getattr(cast, role))


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, (401, 200, 403, 403, 200), strict=True)))
def test_patch_permissions(client, auth, cast, role, status):
    r = client.patch(
        f"/api/v1/resources/{cast.resource.id}",
        json={"name": "바뀐 이름"},
        headers=headers_for(auth, cast, role),
    )
    assert r.status_code == status, r.json
    db.session.rollback()  # end the test's read snapshot
    name = db.session.get(Resource, cast.resource.id).name
    assert (name == "바뀐 이름") == (status == 200)


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, (401, 204, 403, 403, 204), strict=True)))
def test_delete_permissions(client, auth, cast, role, status):
    rid = cast.resource.id
    r = client.delete(f"/api/v1/resources/{rid}", headers=headers_for(auth, cast, role))
    assert r.status_code == status
    db.session.rollback()  # end the test's read snapshot
    assert (db.session.get(Resource, rid) is None) == (status == 204)


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, (401, 403, 403, 403, 201), strict=True)))
def test_import_permissions(client, auth, cast, role, status):
    body = "kind,category,name,dong\nperson,care,돌봄 재능,길음1동\n".encode()
    r = client.post(
        "/api/v1/resources/import",
        data=body,
        headers={**headers_for(auth, cast, role), "Content-Type": "text/csv"},
    )
    assert r.status_code == status
    created = db.session.execute(select(Resource).where(Resource.name == "돌봄 재능")).first()
    assert (created is not None) == (status == 201)


@pytest.mark.parametrize("role", ROLES)
def test_anyone_reads(client, auth, cast, role):
    headers = headers_for(auth, cast, role)
    assert client.get(f"/api/v1/resources/{cast.resource.id}", headers=headers).status_code == 200
    assert client.get("/api/v1/resources", headers=headers).json["total"] == 2


def test_patch_validation_and_404(client, auth, cast):
    headers = auth.headers(cast.owner)
    url = f"/api/v1/resources/{cast.resource.id}"
    assert client.patch(url, json={"dong": "역삼동"}, headers=headers).status_code == 422
    assert client.patch(url, json={"name": None}, headers=headers).status_code == 422
    assert client.patch(url, json={"kind": "space"}, headers=headers).status_code == 422
    assert client.patch(url, json={"organization_id": cast.org.id}, headers=headers).status_code == 403
    assert client.patch("/api/v1/resources/99999", json={"name": "x"}, headers=headers).status_code == 404
    r = client.patch(url, json={"tags": ["새 태그"], "contact": ""}, headers=headers)
    assert r.status_code == 200 and r.json["tags"] == ["새 태그"] and r.json["contact"] == ""


def test_hidden_and_archived_are_404_for_others(client, auth, cast):
    from sharing.archive import services

    services.set_resource_hidden(cast.centre, cast.resource.id, True)
    url = f"/api/v1/resources/{cast.resource.id}"
    assert client.get(url).status_code == 404
    assert client.get(url, headers=auth.headers(cast.neighbour)).status_code == 404
    assert client.get(url, headers=auth.headers(cast.owner)).json["status"] == "hidden"
    assert client.get(url, headers=auth.headers(cast.centre)).status_code == 200


def test_openapi_documents_every_route(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    assert set(paths["/api/v1/resources"]) == {"get", "post"}
    assert set(paths["/api/v1/resources/{resource_id}"]) == {"get", "patch", "delete"}
    assert "post" in paths["/api/v1/resources/import"]
    assert paths["/api/v1/resources"]["post"]["summary"] == "자원 등록"
    assert "201" in paths["/api/v1/resources/import"]["post"]["responses"]
