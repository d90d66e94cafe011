"""What the home page shows: the newest of each feature, when the feature is there."""

from __future__ import annotations

from ..optional import optional_import


def home_sections() -> dict:
    """Each feature may offer ``home_items(limit)`` in its services; missing ones are skipped."""
    sections = {}
    for feature in ("news", "market", "archive"):
        services = optional_import(f"sharing.{feature}.services")
        if services is not None and hasattr(services, "home_items"):
            sections[feature] = services.home_items(4)
    return sections
