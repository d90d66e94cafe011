"""An organisation's members hear of its verification, and of a refusal with the reason."""

from __future__ import annotations

from sqlalchemy import select

from sharing.core.extensions import db
from sharing.notify.models import Notification, OutboxMail
from sharing.orgs import services


def _notes(user):
    db.session.expire_all()
    return db.session.execute(select(Notification).where(Notification.user_id == user.id)).scalars().all()


def test_members_are_told_when_the_centre_verifies(make):
    founder = make.user(name="나무")
    org = make.org(founder, verified=False)
    services.set_verified(make.centre(), org.id, True)
    notes = _notes(founder)
    assert [n.kind for n in notes] == ["organization.verified"]
    assert "인증을 받았습니다" in notes[0].title and notes[0].link == f"/organizations/{org.id}"
    mail = db.session.execute(select(OutboxMail).where(OutboxMail.to_address == founder.email)).scalar_one()
    assert "인증을 받았습니다" in mail.subject
    services.set_verified(make.centre(), org.id, True)  # already verified: no second message
    assert len(_notes(founder)) == 1


def test_members_are_told_the_reason_of_a_refusal(make):
    founder = make.user(name="나무")
    org = make.org(founder, verified=True)
    before = len(_notes(founder))
    services.set_verified(make.centre(), org.id, False, reason="  사업자등록증이 흐려 읽을 수 없습니다. ")
    notes = [n for n in _notes(founder)][before:]
    assert [n.kind for n in notes] == ["organization.refused"]
    assert "사유: 사업자등록증이 흐려 읽을 수 없습니다." in notes[0].body
    assert "센터에 문의" in notes[0].body


def test_a_too_long_reason_is_refused(make):
    import pytest

    from sharing.core.errors import Invalid

    org = make.org(make.user(), verified=True)
    with pytest.raises(Invalid) as err:
        services.set_verified(make.centre(), org.id, False, reason="가" * 501)
    assert "reason" in err.value.fields
