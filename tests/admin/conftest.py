"""Fixtures for the centre's console: accounts and a fake feature that owns reportable targets."""

from __future__ import annotations

import sys
import types

import pytest

from sharing.admin import moderation
from sharing.core.errors import Conflict


class FakeFeature:
    """A stand-in for a feature's services module: MODERATION and describe_target over a dict."""

    MODULE = "tests_admin_fake_feature"

    def __init__(self):
        self.items: dict[int, dict] = {}
        self.calls: list[tuple] = []
        self.fail_next = False
        self.module = types.ModuleType(self.MODULE)
        self.module.MODERATION = {"listing": self._moderate, "message": self._moderate}
        self.module.describe_target = self._describe

    def add(self, target_id: int, *, title: str, author_id: int | None, hidden: bool = False):
        self.items[target_id] = {"title": title, "author_id": author_id, "hidden": hidden}

    def _moderate(self, actor, target_id, hidden):
        self.calls.append((actor.id, target_id, hidden))
        if self.fail_next:
            raise Conflict("기능 쪽에서 거절했습니다.", code="feature_refused")
        self.items[target_id]["hidden"] = hidden

    def _describe(self, target_type, target_id):
        item = self.items.get(target_id)
        if item is None:
            return None
        return {**item, "url": f"/market/{target_id}"}


@pytest.fixture
def fake_feature(monkeypatch):
    """Listings and messages are owned by the fake feature; posts and resources by nobody."""
    fake = FakeFeature()
    monkeypatch.setitem(sys.modules, FakeFeature.MODULE, fake.module)
    monkeypatch.setitem(moderation.PROVIDERS, "listing", FakeFeature.MODULE)
    monkeypatch.setitem(moderation.PROVIDERS, "message", FakeFeature.MODULE)
    monkeypatch.setitem(moderation.PROVIDERS, "post", "tests_admin_missing_feature")
    monkeypatch.setitem(moderation.PROVIDERS, "resource", "tests_admin_missing_feature")
    return fake


@pytest.fixture
def centre(make):
    return make.centre()


@pytest.fixture
def resident(make):
    return make.user(name="김민지")
