"""The moderation flow against the real features: each one's provider is registered by create_app,
and a provider or an API that goes missing fails here (nothing is skipped)."""

import pytest

from sharing.core.extensions import db
from sharing.records import moderation
from sharing.records.models import REPORT_TARGETS, AuditLog, Report


def _moderation(target_type: str):
    owner = moderation.provider(target_type)
    assert owner is not None, f"no moderation provider registered for {target_type}"
    assert owner.describe is not None and owner.set_hidden is not None, target_type


def test_every_report_target_has_a_provider_after_create_app(app):
    assert set(moderation.PROVIDERS) == set(REPORT_TARGETS)
    for target_type in REPORT_TARGETS:
        assert moderation.provider(target_type).describe is not None, target_type
    assert moderation.provider("user").set_hidden is None  # accounts are suspended, not hidden


def test_only_report_targets_can_be_registered():
    with pytest.raises(ValueError):
        moderation.register_provider("organization", moderation.Provider())


def _report_and_hide(client, auth, make, centre, target_type, target_id, public_path):
    reporter = make.user()
    r = client.post(
        "/api/v1/reports",
        json={"target_type": target_type, "target_id": target_id, "reason": "spam"},
        headers=auth.headers(reporter),
    )
    assert r.status_code == 201, r.json
    report_id = r.json["id"]
    assert client.get(public_path).status_code == 200

    queue = client.get("/api/v1/admin/reports", headers=auth.headers(centre)).json
    assert [(g["target_type"], g["target_id"]) for g in queue["items"]] == [(target_type, target_id)]
    missing = client.post(
        "/api/v1/reports",
        json={"target_type": target_type, "target_id": target_id + 10_000, "reason": "spam"},
        headers=auth.headers(reporter),
    )
    assert missing.status_code == 404  # the feature's describe_target knows what exists

    r = client.post(
        f"/api/v1/admin/reports/{report_id}/resolve", json={"action": "hide"}, headers=auth.headers(centre)
    )
    assert r.status_code == 200, r.json
    assert client.get(public_path).status_code == 404
    db.session.rollback()
    assert db.session.get(Report, report_id).status == "actioned"
    actions = {a.action for a in db.session.query(AuditLog).filter(AuditLog.target_id == target_id)}
    assert {"report.hide", f"{target_type}.hide"} <= actions

    r = client.post(
        f"/api/v1/admin/reports/{report_id}/resolve", json={"action": "restore"}, headers=auth.headers(centre)
    )
    assert r.status_code == 200, r.json
    assert client.get(public_path).status_code == 200


def test_real_listing(client, auth, make, centre):
    _moderation("listing")
    owner = make.user()
    r = client.post(
        "/api/v1/listings",
        json={
            "title": "전동 드릴 빌려드려요",
            "description": "주말에 쓰실 분",
            "kind": "share",
            "category": "tools",
            "dong": "정릉3동",
        },
        headers=auth.headers(owner),
    )
    assert r.status_code == 201, r.json
    listing_id = r.json["id"]
    _report_and_hide(client, auth, make, centre, "listing", listing_id, f"/api/v1/listings/{listing_id}")


def test_real_post(client, auth, make, centre):
    _moderation("post")
    member = make.user()
    org = make.org(member)
    r = client.post(
        "/api/v1/posts",
        json={
            "title": "마을 장터 안내",
            "body": "토요일에 만나요",
            "category": "notice",
            "organization_id": org.id,
        },
        headers=auth.headers(member),
    )
    assert r.status_code == 201, r.json
    post_id = r.json["id"]
    _report_and_hide(client, auth, make, centre, "post", post_id, f"/api/v1/posts/{post_id}")


def test_real_resource(client, auth, make, centre):
    _moderation("resource")
    owner = make.user()
    r = client.post(
        "/api/v1/resources",
        json={
            "kind": "equipment",
            "name": "정릉 공구함",
            "description": "공구 빌려드려요",
            "category": "culture",
            "dong": "정릉3동",
        },
        headers=auth.headers(owner),
    )
    assert r.status_code == 201, r.json
    resource_id = r.json["id"]
    _report_and_hide(client, auth, make, centre, "resource", resource_id, f"/api/v1/resources/{resource_id}")
