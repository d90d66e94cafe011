"""The inbox page: notifications listed, unread count in the header, mark all read, open one."""

from __future__ import annotations

from sharing.core.db import transaction
from sharing.core.extensions import db
from sharing.notify.models import Notification
from sharing.notify.services import notify, unread_count


def test_inbox_lists_and_marks_read(client, make, auth):
    user, other = make.user(), make.user()
    with transaction():
        notify(user, "market.request", "새 요청이 왔습니다", "본문", "/market/requests/1")
        notify(user, "market.message", "https://evil.example 링크", "", "https://evil.example/")
        notify(other, "market.request", "다른 사람 알림", "", "/market")
    auth.login(user)
    page = client.get("/")
    assert 'href="/inbox"' in page.get_data(as_text=True)
    r = client.get("/inbox")
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "새 요청이 왔습니다" in html and "다른 사람 알림" not in html
    assert "읽지 않은 알림 2개" in html
    mine = db.session.query(Notification).filter_by(user_id=user.id).order_by(Notification.id).all()
    r = client.post(f"/inbox/{mine[0].id}/open")
    assert r.status_code == 302 and r.headers["Location"].endswith("/market/requests/1")
    r = client.post(f"/inbox/{mine[1].id}/open")
    assert r.headers["Location"].endswith("/inbox")  # no open redirect
    theirs = db.session.query(Notification).filter_by(user_id=other.id).one()
    assert client.post(f"/inbox/{theirs.id}/open").status_code == 404
    db.session.rollback()
    notify_user = db.session.get(type(user), user.id)
    assert unread_count(notify_user) == 0
    with transaction():
        notify(user, "x", "또 하나", "", "")
    assert client.post("/inbox/read").status_code == 302
    db.session.rollback()
    assert unread_count(db.session.get(type(user), user.id)) == 0
    assert unread_count(db.session.get(type(other), other.id)) == 1
    assert "알림이 없습니다" not in client.get("/inbox").get_data(as_text=True)


def test_inbox_needs_sign_in_and_empty_state(client, make, auth):
    assert client.get("/inbox").status_code == 302
    assert client.post("/inbox/read").status_code in (302, 400)
    auth.login(make.user())
    assert "알림이 없습니다" in client.get("/inbox").get_data(as_text=True)
