"""Demo news: posts by the plan's village enterprises and the centre, market days in the coming weeks.

Idempotent: a post is recognised by its title and author organisation. ``scale`` N adds N posts in
bulk (rendered once per template body, inserted with executemany) for load tests.
"""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import func, insert, select

from ..auth.services import find_by_email
from ..core.db import transaction
from ..core.extensions import db
from ..core.time import now, seoul_today
from ..core.vocab import DONGS
from ..orgs.models import Organization
from . import render
from .models import CATEGORIES, Post

# (org name or None for the centre, title, category, dong, days from today or None, time, place, body)
DEMO_POSTS = (
    (
        None,
        "이번 달 개울장이 열립니다",
        "market_day",
        "정릉3동",
        9,
        time(11, 0),
        "정릉천 개울장 마당",
        "정릉천 옆 **개울장**이 열립니다.\n\n- 마을 먹거리와 수공예품\n- 집에서 쓰지 않는 물건 나눔\n\n"
        "장바구니를 챙겨 오세요. 문의는 [마을사회적경제센터](https://www.sb.go.kr)로.",
    ),
    (
        "나무와 열매",
        "녹색장터: 친환경 먹거리와 나눔",
        "market_day",
        "삼선동",
        16,
        time(10, 30),
        "삼선동 주민센터 앞",
        "## 녹색장터\n\n제철 채소, 친환경 먹거리, 다회용기 나눔이 있습니다. 지역거래카드로 결제하면 할인됩니다.",
    ),
    (
        "협동조합 성북신나",
        "석관동 벼룩시장 판매자를 모집합니다",
        "market_day",
        "석관동",
        23,
        None,
        "석관동 공원",
        "아이 옷, 책, 장난감을 나누고 파는 **벼룩시장**입니다. 판매자 신청은 장터 전날까지 받습니다.",
    ),
    (
        None,
        "마을사회적경제센터 운영 시간 안내",
        "notice",
        None,
        None,
        None,
        None,
        "센터는 평일 오전 9시부터 오후 6시까지 문을 엽니다. 사회적경제조직 인증 상담은 예약해 주세요.",
    ),
    (
        "동네목수",
        "주민 목공 교실 수강생 모집",
        "education",
        "장위1동",
        12,
        time(14, 0),
        "동네목수 공방",
        "직접 의자를 만들어 보는 4주 과정입니다.\n\n1. 공구 다루기\n2. 재단과 조립\n3. 마감\n4. 전시",
    ),
    (
        "키득키득",
        "아이들과 함께하는 마을 놀이 축제",
        "culture",
        "정릉3동",
        20,
        time(13, 0),
        "정릉3동 놀이터",
        "온 가족이 함께하는 놀이 축제입니다. 비가 오면 실내 공간에서 진행합니다.",
    ),
    (
        "협동조합 에너토피아",
        "에너지 자립 마을 이야기",
        "social_economy",
        "장위2동",
        None,
        None,
        None,
        "베란다 태양광으로 전기 요금을 줄인 이웃들의 이야기를 모았습니다. 설치 상담도 받습니다.",
    ),
    (
        "성북어린이돌봄협동조합",
        "공동육아 설명회",
        "education",
        "길음1동",
        6,
        time(19, 0),
        "길음1동 공동육아 사랑방",
        "공동육아와 돌봄 협동조합에 관심 있는 부모님을 초대합니다.",
    ),
)

BULK_PREFIX = "마을소식 모음 #"


def seed(scale: int, echo) -> None:
    centre = find_by_email("centre@demo.sharing.kr")
    orgs = {o.name: o for o in db.session.execute(select(Organization)).scalars()}
    today = seoul_today()
    created = 0
    with transaction():
        for org_name, title, category, dong, days, at_time, place, body in DEMO_POSTS:
            org = orgs.get(org_name) if org_name else None
            if org_name and org is None:
                continue  # the organisations' demo did not run
            org_id = org.id if org else None
            exists = db.session.execute(
                select(Post.id).where(
                    Post.title == title,
                    Post.organization_id.is_(None) if org_id is None else Post.organization_id == org_id,
                )
            ).first()
            if exists:
                continue
            html = render.render_markdown(body)
            db.session.add(
                Post(
                    title=title,
                    body=body,
                    body_html=html,
                    excerpt=render.excerpt(html),
                    category=category,
                    dong=dong,
                    organization_id=org_id,
                    author_id=centre.id if (centre and org is None) else None,
                    event_date=today + timedelta(days=days) if days is not None else None,
                    event_time=at_time,
                    event_place=place,
                    status="published",
                    publish_at=now() - timedelta(hours=len(DEMO_POSTS) - created),
                    notified_at=now(),
                    pinned_at=now() if category == "notice" else None,
                )
            )
            created += 1
    echo(f"news: {created} demo posts created")
    if scale:
        _bulk(scale, list(orgs.values()), echo)


def _bulk(scale: int, orgs: list, echo) -> None:
    existing = db.session.execute(
        select(func.count()).select_from(Post).where(Post.title.startswith(BULK_PREFIX))
    ).scalar_one()
    missing = scale - existing
    if missing <= 0:
        echo(f"news: {existing} bulk posts already there")
        return
    verified = [o.id for o in orgs if o.verified] or [None]
    categories = list(CATEGORIES)
    bodies = [
        "마을 소식입니다. **사회적경제** 조직의 새 소식을 전합니다.",
        "교육 프로그램 안내입니다.\n\n- 일정\n- 장소\n- 신청 방법",
        "문화 행사 소식입니다. [자세히 보기](https://www.sb.go.kr)",
    ]
    rendered = [(b, h, render.excerpt(h)) for b in bodies for h in [render.render_markdown(b)]]
    stamp = now()
    rows = []
    for n in range(existing + 1, scale + 1):
        body, html, excerpt = rendered[n % len(rendered)]
        category = categories[n % len(categories)]
        rows.append(
            {
                "title": f"{BULK_PREFIX}{n}",
                "body": body,
                "body_html": html,
                "excerpt": excerpt,
                "category": "notice" if category == "market_day" else category,
                "dong": DONGS[n % len(DONGS)] if n % 3 else None,
                "organization_id": verified[n % len(verified)],
                "status": "published",
                "publish_at": stamp - timedelta(minutes=n),
                "notified_at": stamp,
                "cover_alt": "",
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
    with transaction():
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Post), rows[start : start + 5000])
    echo(f"news: {len(rows)} bulk posts created")
