"""Fixtures for the centre's console: accounts and a fake feature that owns reportable targets."""

from __future__ import annotations

import pytest

from sharing.core.errors import Conflict
from sharing.records import moderation


class FakeFeature:
    """A stand-in for a feature: its moderation provider (describe, hide/restore) over a dict."""

    def __init__(self):
        self.items: dict[int, dict] = {}
        self.calls: list[tuple] = []
        self.fail_next = False
        self.provider = moderation.Provider(describe=self._describe, set_hidden=self._moderate)

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
    monkeypatch.setitem(moderation.PROVIDERS, "listing", fake.provider)
    monkeypatch.setitem(moderation.PROVIDERS, "message", fake.provider)
    monkeypatch.delitem(moderation.PROVIDERS, "post", raising=False)
    monkeypatch.delitem(moderation.PROVIDERS, "resource", raising=False)
    return fake


@pytest.fixture
def centre(make):
    return make.centre()


@pytest.fixture
def resident(make):
    return make.user(name="김민지")
