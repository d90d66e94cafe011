"""The centre's console on a 390 px phone, in words: the audit log is searched by who acted (name
or e-mail) and filtered by a menu of Korean action names, and the report queue names a deleted
account "(삭제된 계정)", never its stand-in name."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import text_of
from tests.browser.helpers import submit

pytestmark = pytest.mark.browser

PASSWORD = "maeul-gongyu-4821"


def _register(tag: str, who: str):
    from sharing.auth import services as auth

    return auth.register(
        auth.Registration(f"{who}-{tag}@example.kr", PASSWORD, f"{who}{tag}", "정릉3동", True, True)
    )


def test_the_audit_log_is_searched_by_who_acted(page, live_server):
    from sharing.auth.services import find_by_email
    from sharing.core.db import transaction
    from sharing.core.extensions import db
    from sharing.records.log import record_action

    tag = uuid.uuid4().hex[:6]
    with live_server.app_context():
        officer = _register(tag, "officer")
        centre = find_by_email(live_server.accounts["centre"][0])
        with transaction():
            record_action(officer, "post.pin", "post", 1)
            record_action(centre, "post.unpin", "post", 1)
        name = officer.name
        db.session.remove()

    live_server.login_as(page, "centre", next_path="/admin/audit-log")
    search = page.get_by_label("처리한 사람 (이름 또는 이메일)")
    search.fill(f"OFFICER-{tag}@")  # part of the e-mail, in capitals
    submit(page, page.get_by_role("button", name="보기"))
    rows = page.locator("table.admin-table tbody tr")
    assert rows.count() == 1, text_of(page)
    assert name in rows.first.inner_text() and "마을소식 글 고정" in rows.first.inner_text()

    # the action menu shows Korean names and still sends the code
    search.fill("")
    page.get_by_label("작업").select_option(label="마을소식 글 고정 해제")
    submit(page, page.get_by_role("button", name="보기"))
    assert "action=post.unpin" in page.url
    shown = page.locator("table.admin-table tbody tr")
    assert shown.count() >= 1 and shown.filter(has_text="마을소식 글 고정 해제").count() == shown.count()
    actions = shown.locator("td:nth-child(3)").all_inner_texts()
    assert not [a for a in actions if re.search(r"[a-z]+\.[a-z_]+", a)], actions  # no code beside the name


def test_a_deleted_account_is_named_so_in_the_report_queue(page, live_server):
    from sharing.archive import services as archive
    from sharing.auth.privacy import delete_account
    from sharing.core.extensions import db
    from sharing.records.log import add_report

    tag = uuid.uuid4().hex[:6]
    with live_server.app_context():
        author = _register(tag, "author")
        reporter = _register(tag, "reporter")
        resource = archive.create(
            author,
            {"kind": "equipment", "category": "repair", "name": f"수상한 공구 {tag}", "dong": "정릉3동"},
        )
        from sharing.core.db import transaction

        with transaction():
            add_report(reporter, "resource", resource.id, "spam")
        title = resource.name
        delete_account(author, PASSWORD)
        delete_account(reporter, PASSWORD)
        db.session.remove()

    live_server.login_as(page, "centre", next_path="/admin/reports")
    group = page.locator("ul.report-queue > li").filter(has=page.get_by_role("heading", name=title))
    assert group.count() == 1, text_of(page)
    group.locator("summary").click()
    body = group.inner_text()
    assert "작성자 (삭제된 계정)" in body, body
    assert "(삭제된 계정) ·" in group.locator(".report-items").inner_text()
    assert "탈퇴한 주민" not in body and "계정 #" not in body
