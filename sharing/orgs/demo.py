"""The eight village enterprises the plan names, verified, with their founders as members."""

from sqlalchemy import select

from ..auth.services import find_by_email
from ..core.db import transaction, utcnow
from ..core.extensions import db
from .models import Membership, Organization

VILLAGE_ENTERPRISES = (
    ("동네목수", "village_enterprise", "장위1동", "집수리와 목공 교육을 하는 마을기업", 500, 0),
    ("키득키득", "village_enterprise", "정릉3동", "아이들과 주민이 함께하는 놀이·문화 마을기업", 0, 300),
    (
        "성북어린이돌봄협동조합",
        "village_enterprise",
        "길음1동",
        "공동육아와 돌봄을 함께하는 협동조합",
        0,
        200,
    ),
    ("한국통합체험학습센터", "village_enterprise", "종암동", "체험학습 프로그램을 운영하는 마을기업", 300, 0),
    ("성북동 아름다운 사람들", "village_enterprise", "성북동", "성북동 주민이 꾸리는 마을기업", 0, 500),
    ("나무와 열매", "village_enterprise", "삼선동", "친환경 먹거리와 나눔 마을기업", 1000, 0),
    ("협동조합 성북신나", "village_enterprise", "석관동", "주민 참여 문화·교육 협동조합", 0, 100),
    ("협동조합 에너토피아", "village_enterprise", "장위2동", "에너지 자립 마을을 만드는 협동조합", 200, 200),
)

# Where and when some of them open (the card shop list shows "not given yet" for the others).
PLACES = {
    "동네목수": ("서울 성북구 장위로 21, 1층", "평일 09:00-18:00, 토요일 10:00-14:00"),
    "나무와 열매": ("서울 성북구 삼선교로 8", "매일 10:00-20:00, 월요일 휴무"),
    "키득키득": ("서울 성북구 정릉로 77, 지하 1층", "화-토 13:00-19:00"),
}


def seed(scale: int, echo) -> None:
    founder = find_by_email("junho@demo.sharing.kr")
    created = 0
    with transaction():
        for name, kind, dong, description, discount_bp, mileage_bp in VILLAGE_ENTERPRISES:
            if db.session.execute(select(Organization.id).where(Organization.name == name)).first():
                continue
            org = Organization(
                name=name,
                kind=kind,
                dong=dong,
                description=description,
                verified_at=utcnow(),
                discount_bp=discount_bp,
                mileage_bp=mileage_bp,
                address=PLACES.get(name, ("", ""))[0],
                opening_hours=PLACES.get(name, ("", ""))[1],
            )
            db.session.add(org)
            db.session.flush()
            if founder is not None:
                db.session.add(Membership(organization_id=org.id, user_id=founder.id, role="founder"))
            created += 1
    echo(f"organisations: {created} created ({len(VILLAGE_ENTERPRISES)} village enterprises)")
