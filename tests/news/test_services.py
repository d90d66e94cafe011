"""The news services without HTTP: who may write, validation, schedules, follows, moderation, metrics."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from sharing.core.db import utcnow
from sharing.core.errors import Forbidden, Invalid, NotFound, Unauthorized
from sharing.core.extensions import db
from sharing.core.time import SEOUL, seoul_today
from sharing.news import services
from sharing.news.models import Post
from sharing.notify.models import Notification, OutboxMail
from sharing.records.models import AuditLog, Report
from tests.helpers import has_korean
from tests.news.conftest import ROLES, future, make_due

BASE = {"title": "녹색장터 소식", "body": "**장터**가 열립니다.", "category": "social_economy"}

# role -> (expected exception or None, error code)
CREATE_OUTCOME = {
    "anonymous": (Unauthorized, "unauthorized"),
    "resident": (Forbidden, "not_a_publisher"),
    "unverified_member": (Forbidden, "organization_not_verified"),
    "author": (None, None),
    "other_member": (Forbidden, "not_member"),
    "centre": (None, None),
}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_write(cast, role):
    user = cast.user(role)
    org_id = {"unverified_member": cast.unverified_org.id, "centre": None}.get(role, cast.org.id)
    error, code = CREATE_OUTCOME[role]
    if error is None:
        post = services.create(user, {**BASE, "organization_id": org_id})
        assert post.id and post.organization_id == org_id and post.author_id == user.id
        assert services.is_public(post)
    else:
        with pytest.raises(error) as info:
            services.create(user, {**BASE, "organization_id": org_id})
        assert info.value.code == code
        assert has_korean(info.value.message)
        assert db.session.execute(select(func.count()).select_from(Post)).scalar_one() == 0


def test_unverified_message_says_verification_is_pending(cast):
    with pytest.raises(Forbidden) as info:
        services.create(cast.unverified_member, {**BASE, "organization_id": cast.unverified_org.id})
    assert "인증" in info.value.message and "기다" in info.value.message


def test_members_must_name_their_organisation(cast):
    with pytest.raises(Invalid) as info:
        services.create(cast.author, BASE)
    assert "organization_id" in info.value.fields


def test_centre_may_post_for_a_verified_organisation_only(cast):
    assert (
        services.create(cast.centre, {**BASE, "organization_id": cast.org.id}).organization_id == cast.org.id
    )
    with pytest.raises(NotFound):
        services.create(cast.centre, {**BASE, "organization_id": cast.unverified_org.id})
    assert db.session.execute(select(AuditLog.action)).scalars().all().count("post.create") == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "gossip"}, "category"),
        ({"category": None}, "category"),
        ({"title": ""}, "title"),
        ({"title": "   "}, "title"),
        ({"title": "가" * 201}, "title"),
        ({"body": ""}, "body"),
        ({"body": "가" * 20_001}, "body"),
        ({"title": 5}, "title"),
        ({"dong": "역삼동"}, "dong"),
        ({"event_date": seoul_today() - timedelta(days=1), "event_place": "공원"}, "event_date"),
        ({"category": "market_day", "event_place": "공원"}, "event_date"),
        ({"category": "market_day", "event_date": future()}, "event_place"),
        ({"event_time": time(10, 0)}, "event_date"),
        ({"event_date": future(), "event_time": time(10), "event_end_time": time(9)}, "event_end_time"),
        ({"event_date": future(), "event_end_time": time(9)}, "event_end_time"),
        ({"event_place": "가" * 201, "event_date": future()}, "event_place"),
        ({"status": "archived"}, "status"),
        ({"publish_at": "tomorrow"}, "publish_at"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_422_in_korean(cast, changes, field):
    with pytest.raises(Invalid) as info:
        services.create(cast.author, {**BASE, "organization_id": cast.org.id, **changes})
    assert field in info.value.fields, info.value.fields
    assert all(has_korean(m) for m in info.value.fields[field])


def test_event_earlier_today_is_in_the_past(cast):
    now = datetime.now(SEOUL)
    if now.hour == 0 and now.minute < 5:
        pytest.skip("too close to midnight to have an earlier time today")
    with pytest.raises(Invalid) as info:
        services.create(
            cast.author,
            {**BASE, "organization_id": cast.org.id, "event_date": now.date(), "event_time": time(0, 0)},
        )
    assert "event_date" in info.value.fields


def test_market_day_with_date_and_place_and_markdown_rendered(cast):
    post = services.create(
        cast.author,
        {
            **BASE,
            "organization_id": cast.org.id,
            "category": "market_day",
            "event_date": future(3),
            "event_time": time(10, 30),
            "event_end_time": time(15, 0),
            "event_place": "정릉천 개울장 마당",
            "dong": "정릉3동",
        },
    )
    assert post.body_html == "<p><strong>장터</strong>가 열립니다.</p>\n"
    assert post.excerpt == "장터가 열립니다."
    assert services.upcoming_events(5) == [post]


def test_drafts_and_scheduled_posts_are_invisible_until_published(cast, write):
    draft = write(status="draft")
    scheduled = write(publish_at=utcnow() + timedelta(hours=2))
    for post_id, state in ((draft, "draft"), (scheduled, "scheduled")):
        post = services.get(post_id)
        assert services.state(post) == state
        for role in ("anonymous", "resident", "unverified_member", "other_member"):
            with pytest.raises(NotFound):
                services.get_visible(cast.user(role), post_id)
        for role in ("author", "centre"):
            assert services.get_visible(cast.user(role), post_id).id == post_id
    assert db.session.execute(services.search()).scalars().all() == []
    assert services.metrics() == {"posts": 0}
    make_due(scheduled)
    assert services.get_visible(None, scheduled).id == scheduled
    assert services.metrics() == {"posts": 1}


def test_a_naive_publish_at_is_seoul_time(cast, write):
    local = (datetime.now(SEOUL) + timedelta(days=1)).replace(tzinfo=None, microsecond=0)
    post = services.get(write(publish_at=local))
    stored = (
        post.publish_at if post.publish_at.tzinfo else post.publish_at.replace(tzinfo=SEOUL.utcoffset(None))
    )
    assert services.state(post) == "scheduled"
    assert stored.astimezone(SEOUL).replace(tzinfo=None) == local


def test_publishing_a_draft_and_editing_marks(cast, write):
    post_id = write(status="draft")
    post = services.update(cast.author, post_id, {"title": "고친 제목"})
    assert post.edited_at is None  # a draft's edits are not "수정됨"
    post = services.update(cast.author, post_id, {"status": "published"})
    assert services.state(post) == "published" and post.edited_at is None
    post = services.update(cast.author, post_id, {"body": "새 **본문**"})
    assert post.edited_at is not None and "<strong>본문</strong>" in post.body_html


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_and_delete(cast, write, role):
    post_id = write()
    user = cast.user(role)
    allowed = role in ("author", "centre")
    if allowed:
        assert services.update(user, post_id, {"title": "고침"}).title == "고침"
        services.delete(user, post_id)
        assert db.session.get(Post, post_id) is None
    else:
        error = Unauthorized if user is None else Forbidden
        with pytest.raises(error):
            services.update(user, post_id, {"title": "고침"})
        with pytest.raises(error):
            services.delete(user, post_id)
        assert services.get(post_id).title == "마을 소식"


def test_the_organisation_cannot_be_changed_and_edits_validate(cast, write):
    post_id = write()
    with pytest.raises(Invalid):
        services.update(cast.author, post_id, {"organization_id": cast.other_org.id})
    with pytest.raises(Invalid):
        services.update(cast.author, post_id, {"category": "market_day"})  # no date, no place
    with pytest.raises(Invalid):
        services.update(cast.author, post_id, {"event_date": seoul_today() - timedelta(days=2)})


def test_an_old_event_does_not_block_other_edits(cast, write):
    post_id = write(event_date=future(1), event_place="공원")
    db.session.execute(
        Post.__table__.update().where(Post.id == post_id).values(event_date=seoul_today() - timedelta(days=3))
    )
    db.session.commit()
    assert services.update(cast.author, post_id, {"title": "후기"}).title == "후기"


def test_pin_and_hide_are_the_centres_and_audited(cast, write):
    first, second = write(title="첫 글"), write(title="둘째 글")
    for role in ("resident", "author", "other_member"):
        with pytest.raises(Forbidden):
            services.set_post_pinned(cast.user(role), first, True)
        with pytest.raises(Forbidden):
            services.set_post_hidden(cast.user(role), first, True)
    with pytest.raises(Unauthorized):
        services.set_post_hidden(None, first, True)
    assert [p.id for p in db.session.execute(services.search()).scalars()] == [second, first]
    services.set_post_pinned(cast.centre, first, True)
    assert [p.id for p in db.session.execute(services.search()).scalars()] == [first, second]
    assert services.MODERATION["post"] is services.set_post_hidden
    services.MODERATION["post"](cast.centre, second, True)
    assert [p.id for p in db.session.execute(services.search()).scalars()] == [first]
    with pytest.raises(NotFound):
        services.get_visible(cast.resident, second)
    assert services.get_visible(cast.author, second).hidden_at is not None  # its authors still see it
    services.set_post_hidden(cast.centre, second, False)
    actions = db.session.execute(select(AuditLog.action, AuditLog.target_id).order_by(AuditLog.id)).all()
    assert [a for a in actions if a[0].startswith("post.")] == [
        ("post.pin", first),
        ("post.hide", second),
        ("post.unhide", second),
    ]


def test_reports_go_to_the_moderation_queue(cast, write):
    post_id = write()
    report = services.report(cast.resident, post_id, "spam", "광고입니다")
    row = db.session.get(Report, report.id)
    assert (row.target_type, row.target_id, row.reason, row.reporter_id) == (
        "post",
        post_id,
        "spam",
        cast.resident.id,
    )
    with pytest.raises(Invalid):
        services.report(cast.resident, post_id, "boring")
    with pytest.raises(Unauthorized):
        services.report(None, post_id, "spam")
    draft = write(status="draft")
    with pytest.raises(NotFound):
        services.report(cast.resident, draft, "spam")


# --- follows and notifications ----------------------------------------------------------------------


def _notes(user):
    """The user's news notices (members are also told when their organisation is verified)."""
    return (
        db.session.execute(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == "news.post")
        )
        .scalars()
        .all()
    )


def test_followers_are_notified_once_per_post(cast, write, make):
    by_category = make.user(name="분류구독")
    by_dong = make.user(name="동구독")
    by_org = make.user(name="조직구독")
    by_all = make.user(name="모두구독")
    unrelated = make.user(name="무관")
    services.follow(by_category, category="market_day")
    services.follow(by_dong, dong="정릉3동")
    services.follow(by_org, organization_id=cast.org.id)
    services.follow(unrelated, category="culture")
    for kw in ({"category": "market_day"}, {"dong": "정릉3동"}, {"organization_id": cast.org.id}):
        services.follow(by_all, **kw)
    services.follow(cast.author, organization_id=cast.org.id)  # the author is not told about their own post
    post_id = write(category="market_day", dong="정릉3동", event_date=future(), event_place="개울장 마당")
    for user in (by_category, by_dong, by_org, by_all):
        notes = _notes(user)
        assert len(notes) == 1 and notes[0].link == f"/news/{post_id}" and "마을 소식" in notes[0].title
    assert _notes(unrelated) == [] and _notes(cast.author) == []
    news_mail = select(OutboxMail.dedupe_key).where(OutboxMail.dedupe_key.like("news:%"))
    keys = set(db.session.execute(news_mail).scalars())
    assert f"news:post:{post_id}:user:{by_all.id}" in keys and len(keys) == 4
    assert services.publish_due() == 0  # already told
    services.update(cast.author, post_id, {"title": "고친 제목"})
    assert len(_notes(by_all)) == 1  # edits do not notify again


def test_scheduled_posts_notify_when_their_time_comes(cast, write, make):
    follower = make.user()
    services.follow(follower, category="education")
    post_id = write(category="education", publish_at=utcnow() + timedelta(hours=1))
    draft_id = write(category="education", status="draft")
    assert services.publish_due() == 0 and _notes(follower) == []
    make_due(post_id)
    assert services.publish_due() == 1
    assert [n.link for n in _notes(follower)] == [f"/news/{post_id}"]
    assert services.publish_due() == 0  # idempotent
    assert len(_notes(follower)) == 1
    services.update(cast.author, draft_id, {"status": "published"})
    assert len(_notes(follower)) == 2


def test_hidden_posts_are_not_announced_until_shown(cast, write, make):
    follower = make.user()
    services.follow(follower, category="culture")
    post_id = write(category="culture", publish_at=utcnow() + timedelta(hours=1))
    services.set_post_hidden(cast.centre, post_id, True)
    make_due(post_id)
    assert services.publish_due() == 0 and _notes(follower) == []
    services.set_post_hidden(cast.centre, post_id, False)
    assert len(_notes(follower)) == 1


def test_follow_rules(cast, make):
    user = make.user()
    row, created = services.follow(user, dong="성북동")
    again, created_again = services.follow(user, dong="성북동")
    assert created and not created_again and again.id == row.id
    for kw in ({}, {"dong": "성북동", "category": "culture"}, {"dong": "역삼동"}, {"category": "x"}):
        with pytest.raises(Invalid):
            services.follow(user, **kw)
    with pytest.raises(NotFound):
        services.follow(user, organization_id=cast.unverified_org.id)
    with pytest.raises(Unauthorized):
        services.follow(None, dong="성북동")
    other = make.user()
    with pytest.raises(NotFound):
        services.unfollow(other, row.id)
    services.unfollow(user, row.id)
    assert services.follows_of(user) == []


def test_suspended_followers_are_skipped(cast, write, make):
    from sharing.auth import services as auth_services

    follower = make.user()
    services.follow(follower, category="notice")
    auth_services.set_suspended(cast.centre, follower.id, True)
    write(actor=cast.centre, category="notice")
    assert _notes(follower) == []


# --- figures for the plan and the home page ---------------------------------------------------------


def test_metrics_home_items_and_upcoming_events(cast, write):
    assert services.metrics() == {"posts": 0} and services.monthly_metrics() == {}
    a = write(title="가")
    b = write(title="나", event_date=future(10), event_place="공원")
    c = write(title="다", event_date=future(2), event_place="마당", event_time=time(9))
    write(title="임시", status="draft", event_date=future(1))
    hidden = write(title="숨김")
    services.set_post_hidden(cast.centre, hidden, True)
    assert services.metrics() == {"posts": 3}
    month = datetime.now(SEOUL).strftime("%Y-%m")
    assert services.monthly_metrics() == {month: {"posts": 3}}
    assert [p.id for p in services.home_items(2)] == [c, b]
    assert [p.id for p in services.upcoming_events(10)] == [c, b]
    assert a not in [p.id for p in services.upcoming_events(10)]
