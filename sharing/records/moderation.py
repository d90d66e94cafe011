"""Who answers for each kind of reportable target: an explicit registry, filled once at start-up.

Reports live on this floor, but what they point at (a listing, a post, a resource, an account)
belongs to a feature above it. Each feature offers a :class:`Provider` for its target types and
``sharing.admin.providers.register_all`` (called by ``create_app``) registers them by name; the
console asks :func:`provider` when it needs one. A type nobody registered has no provider: the
queue shows it by its id and refuses to hide it (409), rather than failing at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .models import REPORT_TARGETS


@dataclass(frozen=True)
class Provider:
    """A feature's answers about one target type.

    ``describe(target_type, target_id)`` gives ``{title, author_id, url, hidden}`` (a mapping or an
    object with those attributes), or None (or raises NotFound) when the target does not exist.
    ``set_hidden(actor, target_id, hidden)`` hides or restores it, writing the audit log; None when
    the type cannot be hidden (an account is suspended instead).
    """

    describe: Callable[[str, int], Any] | None = None
    set_hidden: Callable[[Any, int, bool], Any] | None = None


PROVIDERS: dict[str, Provider] = {}


def register_provider(target_type: str, provider: Provider) -> None:
    """Make ``provider`` answer for ``target_type`` (registering again replaces it)."""
    if target_type not in REPORT_TARGETS:
        raise ValueError(f"not a report target type: {target_type!r}")
    PROVIDERS[target_type] = provider


def provider(target_type: str) -> Provider | None:
    return PROVIDERS.get(target_type)
