"""A resolved report closes the loop: every reporter gets an inbox notice and its e-mail saying what
they reported and what came of it, without the centre's private note."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sharing.admin import services
from sharing.admin.report_notices import KIND
from sharing.core.db import transaction
from sharing.core.errors import Conflict
from sharing.core.extensions import db
from sharing.notify.models import Notification, OutboxMail

NOTE = "비공개 메모: 작성자와 통화함"


def _notices(user):
    db.session.expire_all()
    return (
        db.session.execute(
            select(Notification).where(Notification.user_id == user.id, Notification.kind == KIND)
        )
        .scalars()
        .all()
    )


def _mails(user):
    return db.session.execute(select(OutboxMail).where(OutboxMail.to_address == user.email)).scalars().all()


@pytest.fixture
def reported(make, fake_feature):
    """A listing (#7, by its author) reported by two residents."""
    author = make.user(name="작성자")
    first, second = make.user(name="신고자1"), make.user(name="신고자2")
    fake_feature.add(7, title="수상한 중고폰 팝니다", author_id=author.id)
    ids = [services.create_report(who, "listing", 7, "spam").id for who in (first, second)]
    return author, first, second, ids


def test_hiding_tells_every_reporter_what_and_the_outcome(centre, reported):
    author, first, second, ids = reported
    services.resolve(centre, ids[0], "hide", note=NOTE)
    for reporter in (first, second):
        (notice,) = _notices(reporter)
        text = notice.title + notice.body
        assert "장터 물품 '수상한 중고폰 팝니다'" in text
        assert "숨겼습니다" in notice.body
        assert NOTE not in text and "통화" not in text and centre.name not in text
        assert notice.link == ""  # a hidden listing has no page for the reporter
        (mail,) = _mails(reporter)
        assert "수상한 중고폰 팝니다" in mail.subject and NOTE not in mail.body
    assert _notices(author) == [] and _notices(centre) == []


def test_dismissing_says_it_stays_and_links_to_it(centre, reported):
    _author, first, _second, ids = reported
    services.resolve(centre, ids[1], "dismiss", note=NOTE)
    (notice,) = _notices(first)
    assert "그대로 두기로 했습니다" in notice.body and "숨겼습니다" not in notice.body
    assert notice.link == "/market/7" and NOTE not in notice.body


def test_suspending_the_author_says_the_author_was_restricted(centre, reported):
    _author, first, _second, ids = reported
    services.resolve(centre, ids[0], "suspend")
    (notice,) = _notices(first)
    assert "작성자의 이용을 제한했습니다" in notice.body


def test_a_reported_account_suspended(centre, make):
    target = make.user(name="괴롭히는 계정")
    reporter = make.user()
    report = services.create_report(reporter, "user", target.id, "abuse")
    services.resolve(centre, report.id, "suspend")
    (notice,) = _notices(reporter)
    assert "사용자 계정 '괴롭히는 계정'" in notice.title and "이 계정의 이용을 제한했습니다" in notice.body
    assert notice.link == ""


def test_only_the_reports_closed_now_are_told(centre, reported):
    _author, first, second, ids = reported
    services.resolve(centre, ids[0], "hide")
    services.resolve(centre, ids[0], "restore")  # no open report left: nobody is told again
    assert len(_notices(first)) == 1 and len(_notices(second)) == 1


def test_a_deleted_reporter_is_not_told(centre, reported):
    from sharing.core.db import utcnow

    _author, first, second, ids = reported
    with transaction():
        db.session.get(type(first), first.id).deleted_at = utcnow()
    services.resolve(centre, ids[0], "dismiss")
    assert _notices(first) == [] and len(_notices(second)) == 1


def test_a_long_title_is_shortened(centre, make, fake_feature):
    fake_feature.add(8, title="가" * 150, author_id=None)
    reporter = make.user()
    report = services.create_report(reporter, "listing", 8, "spam")
    services.resolve(centre, report.id, "dismiss")
    (notice,) = _notices(reporter)
    assert "가" * 59 + "…" in notice.title and "가" * 61 not in notice.title


def test_a_refused_resolution_tells_nobody(centre, reported, fake_feature):
    _author, first, _second, ids = reported
    fake_feature.fail_next = True
    with pytest.raises(Conflict):
        services.resolve(centre, ids[0], "hide")
    db.session.rollback()
    assert _notices(first) == []
