"""The archive's rules without HTTP: validation, who registers what, revisions, keeping it alive."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from sharing.archive import services
from sharing.archive.models import Resource, ResourceRevision, ResourceTag
from sharing.archive.services import queries
from sharing.core.db import transaction, utcnow
from sharing.core.errors import Conflict, Forbidden, Invalid, Unauthorized
from sharing.core.extensions import db
from sharing.records.models import AuditLog, Report

from .conftest import new_resource


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "robot"),
        ("category", "tools"),  # a listing category, not a resource one
        ("dong", "역삼동"),
        ("name", ""),
        ("name", "가" * 101),
        ("description", "가" * 5001),
        ("contact", "1" * 201),
        ("availability", "가" * 201),
        ("tags", [f"태그{i}" for i in range(11)]),
        ("tags", ["가" * 31]),
        ("tags", [3]),
        ("organization_id", "x"),
    ],
)
def test_invalid_fields_are_rejected(make, field, value):
    user = make.user()
    with pytest.raises(Invalid) as err:
        new_resource(user, **{field: value})
    assert field in err.value.fields
    assert db.session.execute(select(Resource)).first() is None


def test_limits_are_inclusive(make):
    user = make.user()
    r = new_resource(
        user,
        name="가" * 100,
        description="나" * 5000,
        contact="1" * 200,
        tags=[f"{i}" + "다" * 29 for i in range(10)],
    )
    assert len(r.tag_list) == 10


def test_anonymous_cannot_create():
    with pytest.raises(Unauthorized):
        new_resource(None)


def test_tags_are_normalised_and_kept_twice(make):
    r = new_resource(make.user(), tags=" #공구, 대여 ,공구,, 전동  드릴 ")
    assert r.tag_list == ["공구", "대여", "전동 드릴"]
    assert r.tags_text == "공구, 대여, 전동 드릴"
    rows = db.session.execute(select(ResourceTag.tag).where(ResourceTag.resource_id == r.id)).scalars()
    assert sorted(rows) == sorted(["공구", "대여", "전동 드릴"])
    services.update(make.centre(), r.id, {"tags": ["돌봄"]})
    rows = db.session.execute(select(ResourceTag.tag).where(ResourceTag.resource_id == r.id)).scalars()
    assert list(rows) == ["돌봄"]


def test_residents_register_skills_and_things_not_spaces(make):
    resident = make.user()
    assert new_resource(resident, kind="person").owner_id == resident.id
    assert new_resource(resident, kind="equipment", name="사다리").owner_id == resident.id
    for kind in ("space", "program", "organization"):
        with pytest.raises(Invalid) as err:
            new_resource(resident, kind=kind)
        assert "organization_id" in err.value.fields


def test_only_members_link_their_organisation(make):
    member = make.user()
    outsider = make.user()
    org = make.org(member)
    r = new_resource(member, kind="space", organization_id=org.id)
    assert r.organization_id == org.id
    with pytest.raises(Forbidden):
        new_resource(outsider, kind="space", name="남의 공간", organization_id=org.id)
    with pytest.raises(Forbidden):
        new_resource(outsider, kind="person", name="남의 조직 재능", organization_id=org.id)
    with pytest.raises(Invalid) as err:
        new_resource(member, kind="space", name="없는 조직", organization_id=99999)
    assert "organization_id" in err.value.fields


def test_centre_registers_anything(make):
    centre = make.centre()
    org = make.org()
    for kind in ("person", "space", "equipment", "organization", "program"):
        assert new_resource(centre, kind=kind, name=f"센터 {kind}").kind == kind
    assert new_resource(centre, kind="space", name="연결", organization_id=org.id).organization_id == org.id


def test_only_owner_or_centre_edits(cast):
    with pytest.raises(Forbidden):
        services.update(cast.neighbour, cast.resource.id, {"name": "가로채기"})
    with pytest.raises(Forbidden):
        services.update(cast.member, cast.resource.id, {"name": "가로채기"})
    with pytest.raises(Unauthorized):
        services.update(None, cast.resource.id, {"name": "가로채기"})
    assert services.update(cast.owner, cast.resource.id, {"name": "새 이름"}).name == "새 이름"
    assert services.update(cast.centre, cast.resource.id, {"name": "센터 수정"}).name == "센터 수정"


def test_owner_cannot_turn_a_thing_into_a_space_without_organisation(cast):
    with pytest.raises(Invalid):
        services.update(cast.owner, cast.resource.id, {"kind": "space"})
    assert services.update(cast.centre, cast.resource.id, {"kind": "space"}).kind == "space"


def test_external_id_is_for_the_centre(cast):
    with pytest.raises(Forbidden):
        services.update(cast.owner, cast.resource.id, {"external_id": "SE-1"})
    services.update(cast.centre, cast.resource.id, {"external_id": "SE-1"})
    with pytest.raises(Conflict):
        services.update(cast.centre, cast.org_resource.id, {"external_id": "SE-1"})


def test_every_change_is_a_revision_with_a_field_diff(cast):
    rid = cast.resource.id
    services.update(
        cast.owner,
        rid,
        {"name": "충전 드릴", "tags": ["공구"], "description": "충전식 전동드릴과 비트 세트입니다."},
    )
    services.update(cast.owner, rid, {"name": "충전 드릴"})  # nothing changes: no revision
    services.confirm(cast.owner, rid)
    history = services.history(rid)
    assert [h.action for h in history] == ["confirm", "update", "create"]
    confirm, update, create = history
    assert update.actor_id == cast.owner.id
    assert update.changes["name"] == ["전동드릴 빌려드려요", "충전 드릴"]
    assert update.changes["tags"] == [["공구", "대여"], ["공구"]]
    assert "description" not in update.changes
    assert set(confirm.changes) == {"confirmed_at"}
    assert create.changes["name"] == [None, "전동드릴 빌려드려요"]
    assert update.created_at is not None


def test_confirm_is_owner_or_centre_and_resets_the_date(cast):
    old = utcnow() - timedelta(days=500)
    with transaction():
        db.session.get(Resource, cast.resource.id).confirmed_at = old
    with pytest.raises(Forbidden):
        services.confirm(cast.neighbour, cast.resource.id)
    r = services.confirm(cast.owner, cast.resource.id)
    assert not services.is_stale(r)
    services.confirm(cast.centre, cast.resource.id)


def test_stale_entries_and_archiving(cast):
    with transaction():
        db.session.get(Resource, cast.resource.id).confirmed_at = utcnow() - timedelta(days=366)
    with pytest.raises(Forbidden):
        services.stale_query(cast.owner)
    stale = db.session.execute(services.stale_query(cast.centre)).scalars().all()
    assert [r.id for r in stale] == [cast.resource.id]
    with pytest.raises(Forbidden):
        services.set_archived(cast.owner, cast.resource.id, True)
    assert services.archive_many(cast.centre, [cast.resource.id]) == 1
    assert db.session.execute(services.stale_query(cast.centre)).first() is None
    public = db.session.execute(queries.search(queries.Filters())).scalars().all()
    assert cast.resource.id not in [r.id for r in public]
    assert services.get_visible(cast.owner, cast.resource.id).status == "archived"
    with pytest.raises(Exception) as err:
        services.get_visible(cast.neighbour, cast.resource.id)
    assert err.value.status == 404
    services.set_archived(cast.centre, cast.resource.id, False)
    assert services.get_visible(None, cast.resource.id).status == "active"
    actions = db.session.execute(select(AuditLog.action)).scalars().all()
    assert "resource.archive" in actions and "resource.restore" in actions


def test_moderation_hides_for_the_centre_only_and_logs(cast):
    assert services.MODERATION["resource"] is services.set_resource_hidden
    with pytest.raises(Forbidden):
        services.set_resource_hidden(cast.owner, cast.resource.id, True)
    services.set_resource_hidden(cast.centre, cast.resource.id, True)
    assert queries.metrics() == {"resources": 1}
    log = db.session.execute(select(AuditLog).where(AuditLog.action == "resource.hide")).scalar_one()
    assert (log.actor_id, log.target_type, log.target_id) == (cast.centre.id, "resource", cast.resource.id)
    services.set_resource_hidden(cast.centre, cast.resource.id, False)
    assert queries.metrics() == {"resources": 2}


def test_report_once_while_open(cast):
    report = services.report(cast.neighbour, cast.resource.id, "wrong_info", "없어졌어요")
    assert (report.target_type, report.target_id, report.reason) == (
        "resource",
        cast.resource.id,
        "wrong_info",
    )
    with pytest.raises(Conflict):
        services.report(cast.neighbour, cast.resource.id, "spam")
    with pytest.raises(Invalid):
        services.report(cast.member, cast.resource.id, "nonsense")
    with pytest.raises(Unauthorized):
        services.report(None, cast.resource.id, "spam")
    assert db.session.execute(select(Report)).scalars().all().__len__() == 1


def test_delete_removes_the_entry_and_its_history(cast):
    with pytest.raises(Forbidden):
        services.delete_resource(cast.neighbour, cast.resource.id)
    services.delete_resource(cast.owner, cast.resource.id)
    assert db.session.get(Resource, cast.resource.id) is None
    assert (
        db.session.execute(
            select(ResourceRevision).where(ResourceRevision.resource_id == cast.resource.id)
        ).first()
        is None
    )
    services.delete_resource(cast.centre, cast.org_resource.id)
    assert db.session.execute(select(AuditLog.action).where(AuditLog.action == "resource.delete")).first()


def test_indicators(cast):
    assert services.metrics() == {"resources": 2}
    month = utcnow().strftime("%Y-%m")
    monthly = services.monthly_metrics()
    assert sum(v["resources"] for v in monthly.values()) == 2
    assert all(len(k) == 7 and k[4] == "-" for k in monthly)
    assert month in monthly or len(monthly) == 1  # the Seoul month may be the next one near midnight
    counts = services.resource_counts_by_kind_and_dong()
    assert counts["equipment"]["정릉3동"] == 1
    assert counts["space"]["장위1동"] == 1
    assert counts["program"]["석관동"] == 0
    assert len(counts) == 5 and all(len(v) == 20 for v in counts.values())
    items = services.home_items(1)
    assert [r.id for r in items] == [cast.org_resource.id]


def test_monthly_metrics_use_seoul_months(make):
    from datetime import UTC, datetime

    r = new_resource(make.user())
    with transaction():
        # 2024-01-31 16:00 UTC is 2024-02-01 01:00 in Seoul
        db.session.get(Resource, r.id).created_at = datetime(2024, 1, 31, 16, 0, tzinfo=UTC)
    assert services.monthly_metrics() == {"2024-02": {"resources": 1}}


def test_classification_counts_and_gaps(cast):
    counts = queries.classification()
    assert counts["cells"][("repair", "정릉3동")] == 1
    assert counts["by_zone"]["정릉"] == 1
    assert counts["by_zone"]["장위-석관"] == 1
    assert counts["by_zone"]["outside"] == 0
    assert counts["total"] == 2
    assert counts["empty_cells"] == 14 * 20 - 2
    assert queries.classification("space")["total"] == 1
    assert queries.heat_level(0, 5) == 0
    assert queries.heat_level(1, 5) == 1
    assert queries.heat_level(5, 5) == 4
