"""The change history as people read it: every tracked field's old and new value in words, names and
days, never a code, an id or an ISO instant."""

from __future__ import annotations

import re

from sharing.archive import services
from sharing.archive.services import change_log
from sharing.archive.services.revisions import TRACKED


def _latest(resource_id, **who):
    return change_log.entries(services.history(resource_id), **who)[0]


def _by_field(entry):
    return {c.name: c for c in entry.changes}


def test_kind_and_category_read_as_their_labels(cast):
    services.update(cast.centre, cast.org_resource.id, {"kind": "program", "category": "education"})
    entry = _latest(cast.org_resource.id, signed_in=True)
    rows = _by_field(entry)
    assert (rows["kind"].label, rows["kind"].old, rows["kind"].new) == ("유형", "공간", "프로그램")
    assert (rows["category"].old, rows["category"].new) == ("문화", "교육")
    assert entry.action_label == "수정" and entry.actor_name == cast.centre.name


def test_the_organisation_reads_as_its_name(cast, make):
    other = make.org(cast.member, name="마을공방협동조합")
    services.update(cast.centre, cast.org_resource.id, {"organization_id": other.id})
    row = _by_field(_latest(cast.org_resource.id, signed_in=False))["organization_id"]
    assert (row.label, row.old, row.new) == ("연결된 조직", "동네목수", "마을공방협동조합")


def test_a_deleted_organisation_is_said_so_not_shown_as_a_number():
    rows = change_log.field_changes({"organization_id": [None, 99999]}, signed_in=True, organizations={})
    assert (rows[0].old, rows[0].new) == ("", "(삭제된 조직)")


def test_dong_tags_and_text_fields(cast):
    services.update(
        cast.owner,
        cast.resource.id,
        {"dong": "석관동", "tags": ["공구", "수리"], "name": "충전 드릴", "availability": "평일 저녁"},
    )
    rows = _by_field(_latest(cast.resource.id, signed_in=True))
    assert (rows["dong"].old, rows["dong"].new) == ("정릉3동", "석관동")
    assert (rows["tags"].old, rows["tags"].new) == ("#공구 #대여", "#공구 #수리")
    assert (rows["name"].old, rows["name"].new) == ("전동드릴 빌려드려요", "충전 드릴")
    assert (rows["availability"].old, rows["availability"].new) == ("주말 오전", "평일 저녁")


def test_a_long_description_is_shortened():
    rows = change_log.field_changes({"description": ["", "가" * 500]}, signed_in=True)
    assert rows[0].old == "" and len(rows[0].new) == change_log.TEXT_LIMIT and rows[0].new.endswith("…")


def test_the_contact_is_withheld_from_readers_not_signed_in(cast):
    services.update(cast.owner, cast.resource.id, {"contact": "010-9999-9999"})
    hidden = _by_field(_latest(cast.resource.id, signed_in=False))["contact"]
    assert hidden.private and hidden.old == hidden.new == ""
    shown = _by_field(_latest(cast.resource.id, signed_in=True))["contact"]
    assert not shown.private and (shown.old, shown.new) == ("010-1234-5678", "010-9999-9999")


def test_the_external_id_is_the_centres_alone(cast):
    services.update(cast.centre, cast.resource.id, {"external_id": "demo-01"})
    assert "external_id" not in _by_field(_latest(cast.resource.id, signed_in=True))
    row = _by_field(_latest(cast.resource.id, signed_in=True, centre=True))["external_id"]
    assert row.new == "demo-01"


def test_the_confirmation_day_reads_as_a_day(app, cast):
    rows = change_log.field_changes(
        {"confirmed_at": ["2026-01-31T15:30:00+00:00", "2026-12-04T13:32:00+00:00"]}, signed_in=True
    )
    assert (rows[0].old, rows[0].new) == ("2026.02.01", "2026.12.04")  # Seoul days


def test_the_creation_lists_every_field_in_words(cast):
    entry = change_log.entries(services.history(cast.org_resource.id), signed_in=True)[-1]
    assert entry.action == "create"
    rows = _by_field(entry)
    assert rows["kind"].new == "공간" and rows["category"].new == "문화"
    assert rows["organization_id"].new == "동네목수" and rows["tags"].new == "#대관"
    # no code, id or ISO instant left in any value
    values = [c.new for c in entry.changes] + [c.old for c in entry.changes]
    assert not [v for v in values if re.fullmatch(r"[a-z_]+|\d+|\d{4}-\d\d-\d\dT.*", v)], values


def test_every_tracked_field_has_a_label_and_a_reading():
    labels = {
        n: c.label
        for n in TRACKED
        for c in change_log.field_changes({n: [None, "x"]}, signed_in=True, centre=True)
    }
    assert set(labels) == set(TRACKED)
    assert not [n for n, text in labels.items() if text == n], labels


def test_the_page_shows_the_history_in_words(client, cast, make):
    other = make.org(cast.member, name="마을공방협동조합")
    services.update(cast.centre, cast.org_resource.id, {"organization_id": other.id, "category": "care"})
    page = client.get(f"/archive/{cast.org_resource.id}").get_data(as_text=True)
    history = page[page.index('id="history-h"') :]
    assert "마을공방협동조합" in history and "동네목수" in history and "돌봄" in history
    assert ">culture<" not in history and ">care<" not in history and f">{other.id}<" not in history
