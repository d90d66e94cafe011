"""The moderation providers of every reportable target type, registered in one place.

``create_app`` calls :func:`register_all` once. Each feature keeps its own hide/restore functions
(``MODERATION``) and ``describe_target`` in its services; accounts are described here, from the
accounts floor's services, and have no hide (the console suspends their owner instead).
"""

from __future__ import annotations

from ..archive import services as archive_services
from ..auth import services as auth_services
from ..market import services as market_services
from ..news import services as news_services
from ..records.moderation import Provider, register_provider


def describe_user(target_type: str, target_id: int) -> dict:
    """A reported account: its name, itself as author, no public page (NotFound when it is gone)."""
    user = auth_services.get_user(target_id)
    return {"title": user.name, "author_id": user.id, "url": None, "hidden": user.suspended_at is not None}


def register_all() -> None:
    for target_type, feature in (
        ("listing", market_services),
        ("message", market_services),
        ("post", news_services),
        ("resource", archive_services),
    ):
        register_provider(
            target_type,
            Provider(describe=feature.describe_target, set_hidden=feature.MODERATION[target_type]),
        )
    register_provider("user", Provider(describe=describe_user))
