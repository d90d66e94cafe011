"""The district's fixed vocabularies: dongs, regeneration zones, organisation kinds, categories.

Codes are the public API's; labels are what residents read. Labels are Korean source strings that go
through Flask-Babel (``lazy_gettext``) so the English catalogue can translate them.
"""

from flask_babel import lazy_gettext as _l

# Seongbuk-gu's 20 administrative dongs, in the district's usual order.
DONGS: tuple[str, ...] = (
    "성북동",
    "삼선동",
    "동선동",
    "돈암1동",
    "돈암2동",
    "안암동",
    "보문동",
    "정릉1동",
    "정릉2동",
    "정릉3동",
    "정릉4동",
    "길음1동",
    "길음2동",
    "종암동",
    "월곡1동",
    "월곡2동",
    "장위1동",
    "장위2동",
    "장위3동",
    "석관동",
)

# The plan's four urban-regeneration zones (권역, project 1-3). Dongs the plan places in none are absent.
ZONES: dict[str, tuple[str, ...]] = {
    "장위-석관": ("장위1동", "장위2동", "장위3동", "석관동"),
    "삼선-안암": ("삼선동", "안암동"),
    "정릉": ("정릉1동", "정릉2동", "정릉3동", "정릉4동"),
    "길음-상월곡": ("길음1동", "길음2동", "월곡1동", "월곡2동"),
}
DONG_ZONE: dict[str, str] = {dong: zone for zone, dongs in ZONES.items() for dong in dongs}


def zone_of(dong: str | None) -> str | None:
    return DONG_ZONE.get(dong or "")


ORG_KINDS = {
    "social_enterprise": _l("인증 사회적기업"),
    "preliminary_social_enterprise": _l("예비사회적기업"),
    "village_enterprise": _l("마을기업"),
    "cooperative": _l("일반협동조합"),
    "social_cooperative": _l("사회적협동조합"),
    "self_sufficiency_enterprise": _l("자활기업"),
    "small_business": _l("소상공인"),
}

# The plan's fields (의식주, 교육, 문화, 의료, 돌봄, 환경, 방범, 주차관리, 주택개보수, 사회안전망, 공공서비스).
RESOURCE_CATEGORIES = {
    "food": _l("식생활"),
    "clothing": _l("의생활"),
    "housing": _l("주거"),
    "education": _l("교육"),
    "culture": _l("문화"),
    "health": _l("의료"),
    "care": _l("돌봄"),
    "environment": _l("환경"),
    "safety": _l("방범"),
    "parking": _l("주차관리"),
    "repair": _l("주택개보수"),
    "safety_net": _l("사회안전망"),
    "public_service": _l("공공서비스"),
    "other": _l("기타"),
}

LISTING_CATEGORIES = {
    **RESOURCE_CATEGORIES,
    "tools": _l("공구"),
    "books": _l("도서"),
    "kids": _l("아동용품"),
    "leisure": _l("레저·캠핑"),
    "electronics": _l("전자제품"),
    "furniture": _l("가구"),
}

ROLES = ("resident", "centre")


def label(mapping: dict, code: str | None) -> str:
    """The reader's label of a code, or the code itself when it is unknown."""
    value = mapping.get(code or "")
    return str(value) if value is not None else (code or "")
