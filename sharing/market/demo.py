"""Demo listings: a dozen hand-written ones with a few requests, and ``--scale N`` listings in bulk.

Idempotent: hand-written listings are found by owner and title; scale listings carry the marker
``SCALE_MARK`` in their description and only the missing number is created.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import func, insert, select

from ..auth.services import find_by_email
from ..core.db import transaction, utcnow
from ..core.extensions import db
from ..core.time import seoul_today as today
from ..core.vocab import DONGS
from .models import Listing, Loan, LoanReview

SCALE_MARK = "(데모 데이터)"

SAMPLES = (
    # owner, kind, title, category, description, price, price_per_day, deposit
    (
        "minji",
        "share",
        "전동드릴 (충전식)",
        "tools",
        "보쉬 충전 전동드릴입니다. 비트 세트 포함, 배터리 2개.",
        None,
        None,
        None,
    ),
    (
        "minji",
        "giveaway",
        "그림책 20권 묶음",
        "books",
        "아이가 커서 나눔해요. 3~6세 그림책입니다.",
        None,
        None,
        None,
    ),
    (
        "junho",
        "rent",
        "캠핑 텐트 4인용",
        "leisure",
        "설치 쉬운 돔 텐트, 그라운드 시트 포함.",
        None,
        5000,
        "보증금 2만 원, 반납 때 돌려드려요",
    ),
    ("junho", "share", "접이식 사다리 2m", "tools", "집수리·전등 교체용 알루미늄 사다리.", None, None, None),
    (
        "seoyeon",
        "swap",
        "유아용 카시트",
        "kids",
        "0~4세용 카시트, 주니어 카시트와 바꾸고 싶어요.",
        None,
        None,
        None,
    ),
    (
        "seoyeon",
        "sell",
        "원목 책장 5단",
        "furniture",
        "직접 가져가실 분. 흠집 조금 있어요.",
        30000,
        None,
        None,
    ),
    ("dohyun", "share", "재봉틀", "clothing", "브라더 가정용 재봉틀. 사용법 알려드려요.", None, None, None),
    ("dohyun", "sell", "블루투스 스피커", "electronics", "거의 안 쓴 휴대용 스피커.", 15000, None, None),
    (
        "dohyun",
        "giveaway",
        "화분과 흙",
        "environment",
        "베란다 정리하며 화분 5개와 분갈이 흙 나눔합니다.",
        None,
        None,
        None,
    ),
)
ORG_SAMPLES = (
    # organisation name, title, category, description, price_per_day
    (
        "동네목수",
        "공구도서관: 원형톱",
        "tools",
        "동네목수 공구도서관의 원형톱. 안전교육 후 대여합니다.",
        3000,
    ),
    ("동네목수", "공구도서관: 목공 클램프 세트", "tools", "목공용 클램프 8개 세트.", 1000),
    (
        "협동조합 에너토피아",
        "미니 태양광 패널 체험 키트",
        "environment",
        "베란다 태양광 체험용 키트 대여.",
        2000,
    ),
)
SCALE_ITEMS = (
    ("전동드릴", "tools"),
    ("충전 드라이버", "tools"),
    ("사다리", "tools"),
    ("캠핑 텐트", "leisure"),
    ("캠핑 의자", "leisure"),
    ("등산 스틱", "leisure"),
    ("그림책 묶음", "books"),
    ("소설책", "books"),
    ("아동 자전거", "kids"),
    ("유모차", "kids"),
    ("보드게임", "culture"),
    ("빔프로젝터", "electronics"),
    ("블루투스 스피커", "electronics"),
    ("원목 책상", "furniture"),
    ("접이식 테이블", "furniture"),
    ("제빵기", "food"),
    ("재봉틀", "clothing"),
    ("겨울 외투", "clothing"),
    ("화분", "environment"),
    ("공구 세트", "repair"),
)
ADJECTIVES = ("깨끗한", "튼튼한", "거의 새것인", "가벼운", "오래 쓴", "작은", "큰", "쓸만한")
KIND_WEIGHTS = (("share", 35), ("rent", 15), ("swap", 15), ("giveaway", 20), ("sell", 15))
CONDITIONS = ("new", "like_new", "good", "fair", "worn")


def _users() -> dict:
    names = ("minji", "junho", "seoyeon", "dohyun")
    found = {n: find_by_email(f"{n}@demo.sharing.kr") for n in names}
    return {n: u for n, u in found.items() if u is not None}


def _seed_samples(users: dict, echo) -> int:
    from ..orgs.models import Organization

    created = 0
    with transaction():
        for owner, kind, title, category, description, price, ppd, deposit in SAMPLES:
            user = users.get(owner)
            if (
                user is None
                or db.session.execute(
                    select(Listing.id).where(Listing.owner_id == user.id, Listing.title == title)
                ).first()
            ):
                continue
            db.session.add(
                Listing(
                    owner_id=user.id,
                    kind=kind,
                    title=title,
                    category=category,
                    dong=user.dong,
                    description=description,
                    price=price,
                    price_per_day=ppd,
                    deposit=deposit,
                )
            )
            created += 1
        founder = users.get("junho")
        for org_name, title, category, description, ppd in ORG_SAMPLES:
            org = db.session.execute(select(Organization).where(Organization.name == org_name)).scalar()
            if org is None or founder is None or not founder.member_of(org.id):
                continue
            if db.session.execute(select(Listing.id).where(Listing.title == title)).first():
                continue
            db.session.add(
                Listing(
                    owner_id=founder.id,
                    organization_id=org.id,
                    kind="rent",
                    title=title,
                    category=category,
                    dong=org.dong,
                    description=description,
                    price_per_day=ppd,
                    deposit="신분증 확인",
                )
            )
            created += 1
    return created


def _seed_loans(users: dict) -> None:
    """A returned loan with a review, an accepted one and a waiting one, once."""
    minji, junho, seoyeon = users.get("minji"), users.get("junho"), users.get("seoyeon")
    if not (minji and junho and seoyeon):
        return
    drill = db.session.execute(
        select(Listing).where(Listing.owner_id == minji.id, Listing.title == "전동드릴 (충전식)")
    ).scalar()
    ladder = db.session.execute(
        select(Listing).where(Listing.owner_id == junho.id, Listing.title == "접이식 사다리 2m")
    ).scalar()
    if drill is None or ladder is None:
        return
    if db.session.execute(select(Loan.id).where(Loan.listing_id.in_((drill.id, ladder.id)))).first():
        return
    now, day = utcnow(), today()
    with transaction():
        done = Loan(
            listing_id=drill.id,
            borrower_id=junho.id,
            status="returned",
            start_date=day - timedelta(days=20),
            end_date=day - timedelta(days=18),
            message="주말에 선반 달 때 쓰려고요.",
            decided_at=now,
            handed_over_at=now,
            returned_at=now,
        )
        db.session.add(done)
        db.session.flush()
        db.session.add(
            LoanReview(
                loan_id=done.id,
                listing_id=drill.id,
                author_id=junho.id,
                subject_id=minji.id,
                role="borrower",
                rating=5,
                comment="배터리도 넉넉하고 친절하셨어요.",
            )
        )
        drill.rating_sum, drill.rating_count = 5, 1
        db.session.add(
            Loan(
                listing_id=drill.id,
                borrower_id=seoyeon.id,
                status="accepted",
                decided_at=now,
                start_date=day + timedelta(days=3),
                end_date=day + timedelta(days=5),
            )
        )
        db.session.add(
            Loan(
                listing_id=ladder.id,
                borrower_id=minji.id,
                status="requested",
                start_date=day + timedelta(days=7),
                end_date=day + timedelta(days=7),
                message="전등 갈 때 하루만 빌릴 수 있을까요?",
            )
        )


def _seed_scale(scale: int, users: dict) -> int:
    have = db.session.execute(
        select(func.count()).select_from(Listing).where(Listing.description.like(f"%{SCALE_MARK}%"))
    ).scalar_one()
    missing = max(0, scale - have)
    if not missing or not users:
        return 0
    rng = random.Random(have)
    owners = list(users.values())
    kinds = [k for k, w in KIND_WEIGHTS for _ in range(w)]
    now = utcnow()
    rows = []
    for n in range(have, have + missing):
        item, category = SCALE_ITEMS[n % len(SCALE_ITEMS)]
        kind = kinds[rng.randrange(len(kinds))]
        dong = DONGS[rng.randrange(len(DONGS))]
        created = now - timedelta(minutes=rng.randrange(60 * 24 * 540))
        adjective = ADJECTIVES[rng.randrange(len(ADJECTIVES))]
        rows.append(
            {
                "owner_id": owners[n % len(owners)].id,
                "kind": kind,
                "title": f"{adjective} {item} {n + 1}",
                "description": f"{dong}에서 {item}을(를) 이웃과 나눕니다. 상태 좋아요. {SCALE_MARK}",
                "category": category,
                "dong": dong,
                "condition": CONDITIONS[rng.randrange(len(CONDITIONS))],
                "price": rng.randrange(1, 50) * 1000 if kind == "sell" else None,
                "price_per_day": rng.randrange(1, 10) * 1000 if kind == "rent" else None,
                "deposit": None,
                "status": "active",
                "photo_count": 0,
                "rating_sum": 0,
                "rating_count": 0,
                "created_at": created,
                "updated_at": created,
            }
        )
    with transaction():
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Listing), rows[start : start + 5000])
    return missing


def seed(scale: int, echo) -> None:
    users = _users()
    created = _seed_samples(users, echo)
    _seed_loans(users)
    bulk = _seed_scale(scale, users) if scale else 0
    echo(f"market: {created} sample listings, {bulk} scale listings created")
