"""The resource archive's operations: the surface the archive's own pages and API, and other
features (the home page, the plan's indicators, the centre's moderation queue), call.

Topics:

- ``resources``: who registers what, edits, confirmation, archiving, hiding, reports
- ``validation`` and ``revisions``: an entry's checked values and its field-level history
- ``queries``: search with facets, the classification counts, the indicators
- ``export``: open data (CSV and JSON), ``importer`` (with ``import_file`` and ``import_plan``) and
  ``staging``: the centre's CSV import
"""

from __future__ import annotations

from ..vocab import RESOURCE_KINDS
from . import export, importer, queries, revisions, staging
from .queries import (
    home_items,
    metrics,
    monthly_metrics,
    resource_counts_by_kind_and_dong,
    search_preview,
)
from .resources import (
    MODERATION,
    apply_values,
    archive_many,
    can_manage,
    confirm,
    create,
    delete_resource,
    describe_target,
    get,
    get_visible,
    history,
    is_stale,
    organizations_for,
    report,
    set_archived,
    set_resource_hidden,
    set_tags,
    stale_cutoff,
    stale_query,
    update,
)

__all__ = [
    "MODERATION",
    "RESOURCE_KINDS",
    "apply_values",
    "archive_many",
    "can_manage",
    "confirm",
    "create",
    "delete_resource",
    "describe_target",
    "export",
    "get",
    "get_visible",
    "history",
    "home_items",
    "importer",
    "is_stale",
    "metrics",
    "monthly_metrics",
    "organizations_for",
    "queries",
    "report",
    "resource_counts_by_kind_and_dong",
    "revisions",
    "search_preview",
    "set_archived",
    "set_resource_hidden",
    "set_tags",
    "staging",
    "stale_cutoff",
    "stale_query",
    "update",
]
