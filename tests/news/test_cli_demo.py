"""Operator commands: ``news publish-due`` (cron) and the demo data (idempotent, --scale)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from sharing.core.db import utcnow
from sharing.core.extensions import db
from sharing.core.time import seoul_today
from sharing.news import demo, services
from sharing.news.models import Post
from sharing.notify.models import Notification
from tests.news.conftest import make_due


def test_publish_due_command_is_idempotent(runner, cast, write, make):
    follower = make.user()
    services.follow(follower, organization_id=cast.org.id)
    post_id = write(publish_at=utcnow() + timedelta(hours=1))
    result = runner.invoke(args=["news", "publish-due"])
    assert result.exit_code == 0 and "published 0" in result.output
    make_due(post_id)
    result = runner.invoke(args=["news", "publish-due"])
    assert result.exit_code == 0 and "published 1" in result.output
    assert "published 0" in runner.invoke(args=["news", "publish-due"]).output
    db.session.rollback()
    count = db.session.execute(
        select(func.count()).select_from(Notification).where(Notification.user_id == follower.id)
    ).scalar_one()
    assert count == 1


def test_rerender_command(runner, write):
    post_id = write(body="**굵게**")
    db.session.execute(Post.__table__.update().where(Post.id == post_id).values(body_html="stale"))
    db.session.commit()
    result = runner.invoke(args=["news", "rerender"])
    assert result.exit_code == 0 and "re-rendered 1" in result.output
    db.session.rollback()
    assert db.session.get(Post, post_id).body_html == "<p><strong>굵게</strong></p>\n"


def _seed_orgs(make):
    from sharing.orgs.demo import VILLAGE_ENTERPRISES

    member = make.user()
    for name, kind, dong, *_ in VILLAGE_ENTERPRISES:
        make.org(member, name=name, kind=kind, dong=dong)
    make.centre(email="centre@demo.sharing.kr")


def test_demo_is_idempotent_with_market_days_ahead(make):
    _seed_orgs(make)
    lines = []
    demo.seed(0, lines.append)
    first = db.session.execute(select(func.count()).select_from(Post)).scalar_one()
    assert first == len(demo.DEMO_POSTS)
    demo.seed(0, lines.append)
    assert db.session.execute(select(func.count()).select_from(Post)).scalar_one() == first
    markets = db.session.execute(select(Post).where(Post.category == "market_day")).scalars().all()
    names = " ".join(p.title for p in markets)
    assert "개울장" in names and "녹색장터" in names and "벼룩시장" in names
    today = seoul_today()
    assert all(today < p.event_date <= today + timedelta(days=35) and p.event_place for p in markets)
    assert len(services.upcoming_events(20)) >= 3
    assert services.metrics()["posts"] == first


def test_demo_scale_adds_bulk_posts_once(make):
    _seed_orgs(make)
    demo.seed(300, lambda _line: None)
    total = db.session.execute(select(func.count()).select_from(Post)).scalar_one()
    assert total == len(demo.DEMO_POSTS) + 300
    demo.seed(300, lambda _line: None)
    assert db.session.execute(select(func.count()).select_from(Post)).scalar_one() == total
    assert services.metrics()["posts"] == total
    page = db.session.execute(services.search().limit(20)).scalars().all()
    assert len(page) == 20
