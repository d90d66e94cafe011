"""Korean substring search (2 characters and longer) and facet counts, on SQLite and PostgreSQL."""

import pytest

from sharing.archive import services
from sharing.archive.services import queries

from .conftest import new_resource


@pytest.fixture
def data(make):
    centre = make.centre()
    rows = [
        (
            "person",
            "repair",
            "장위1동",
            "집수리 재능 나눔",
            "도배와 수전 교체를 도와드립니다",
            ["집수리", "도배"],
        ),
        ("equipment", "repair", "장위2동", "공구도서관", "전동드릴과 사다리 대여", ["공구", "대여"]),
        ("program", "care", "길음1동", "방과후 돌봄교실", "초등학생 공동육아", ["돌봄"]),
        ("space", "culture", "정릉3동", "마을활력소 다목적실", "모임과 공연을 위한 공간", ["대관", "모임"]),
        ("equipment", "culture", "성북동", "캠핑 텐트", "4인용 텐트 대여", ["캠핑", "대여"]),
        ("program", "care", "돈암1동", "어르신 안부 확인", "돌봄이 필요한 어르신 방문", ["어르신"]),
    ]
    made = {}
    for kind, category, dong, name, description, tags in rows:
        made[name] = new_resource(
            centre, kind=kind, category=category, dong=dong, name=name, description=description, tags=tags
        )
    return made


def names(f):
    from sharing.core.extensions import db

    return sorted(r.name for r in db.session.execute(queries.search(f)).scalars())


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("공구", ["공구도서관"]),  # 2 characters, in the name
        ("드릴", ["공구도서관"]),  # 2 characters, in the description
        ("돌봄", ["방과후 돌봄교실", "어르신 안부 확인"]),  # name and description
        ("도배", ["집수리 재능 나눔"]),  # description and tag
        ("집수리", ["집수리 재능 나눔"]),  # 3 characters (trigram index on SQLite)
        ("다목적실", ["마을활력소 다목적실"]),
        ("공동육아", ["방과후 돌봄교실"]),
        ("캠핑", ["캠핑 텐트"]),  # tag and name
        ("대여", ["공구도서관", "캠핑 텐트"]),
        ("재능 나눔", ["집수리 재능 나눔"]),  # a phrase with a space
        ("없는말", []),
        ("%", []),  # LIKE wildcards are literal
        ("_", []),
    ],
)
def test_korean_substring_search(data, q, expected):
    assert names(queries.Filters(q=q)) == expected


def test_search_finds_tags_only_matches(data, make):
    new_resource(make.centre(), name="이름", description="설명", tags=["수전교체"], dong="석관동")
    assert names(queries.Filters(q="수전교체")) == ["이름"]
    assert names(queries.Filters(q="전교")) == ["이름"]


def test_search_follows_edits(data, make):
    r = data["캠핑 텐트"]
    services.update(make.centre(), r.id, {"name": "텐트와 코펠", "tags": ["야영"]})
    assert names(queries.Filters(q="캠핑")) == []
    assert names(queries.Filters(q="코펠")) == ["텐트와 코펠"]
    assert names(queries.Filters(q="야영")) == ["텐트와 코펠"]


def test_filters_combine_with_search(data):
    assert names(queries.Filters(q="대여", kind="equipment", dong="성북동")) == ["캠핑 텐트"]
    assert names(queries.Filters(category="care")) == ["방과후 돌봄교실", "어르신 안부 확인"]
    assert names(queries.Filters(zone="장위-석관")) == ["공구도서관", "집수리 재능 나눔"]
    assert names(queries.Filters(zone="outside")) == ["어르신 안부 확인", "캠핑 텐트"]
    assert names(queries.Filters(tag="대여")) == ["공구도서관", "캠핑 텐트"]
    assert names(queries.Filters(tag="대")) == []  # tags match whole


def test_facet_counts_leave_out_their_own_filter(data):
    f = queries.Filters(kind="equipment")
    facets = queries.facets(f)
    kinds = {v: n for v, _label, n in facets["kind"]}
    assert kinds == {"person": 1, "space": 1, "equipment": 2, "organization": 0, "program": 2}
    categories = {v: n for v, _label, n in facets["category"]}
    assert categories["repair"] == 1 and categories["culture"] == 1 and categories["care"] == 0
    zones = {v: n for v, _label, n in facets["zone"]}
    assert zones == {"장위-석관": 1, "삼선-안암": 0, "정릉": 0, "길음-상월곡": 0, "outside": 1}
    dongs = {v: n for v, _label, n in facets["dong"]}
    assert dongs["장위2동"] == 1 and dongs["성북동"] == 1 and dongs["길음1동"] == 0
    assert sum(dongs.values()) == 2
    tags = {v: n for v, _label, n in facets["tag"]}
    assert tags == {"대여": 2, "공구": 1, "캠핑": 1}
    assert facets["total"] == 2


def test_facet_counts_with_search_and_zone_label(data):
    facets = queries.facets(queries.Filters(q="돌봄"))
    assert facets["total"] == 2
    assert {v: n for v, _l, n in facets["kind"]}["program"] == 2
    zone = {v: (label, n) for v, label, n in facets["zone"]}
    assert zone["outside"] == ("권역 외", 1)
    assert zone["길음-상월곡"] == ("길음-상월곡", 1)


def test_selected_tag_stays_in_its_facet_even_without_matches(data):
    facets = queries.facets(queries.Filters(tag="없는태그"))
    assert ("없는태그", "없는태그", 0) in facets["tag"]
    assert facets["total"] == 0


def test_archived_and_hidden_entries_leave_search_and_facets(data, make):
    centre = make.centre()
    services.set_archived(centre, data["공구도서관"].id, True)
    services.set_resource_hidden(centre, data["캠핑 텐트"].id, True)
    assert names(queries.Filters(q="대여")) == []
    assert queries.facets(queries.Filters())["total"] == 4
    assert {v: n for v, _l, n in queries.facets(queries.Filters())["tag"]}.get("대여") is None


def test_filters_from_query_string_ignore_unknown_values():
    f = queries.Filters.from_mapping(
        {"kind": "robot", "dong": "역삼동", "zone": "정릉", "q": "  공구   대여 "}
    )
    assert (f.kind, f.dong, f.zone, f.q) == (None, None, "정릉", "공구 대여")
