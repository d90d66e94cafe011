"""The archive's pages, one module per topic, all on the ``archive`` blueprint:

- ``search``: the search page with its facets, and the classification counts (anyone)
- ``entries``: an entry with its history, the forms, and its POST buttons
- ``centre``: the centre's CSV import and stale entries
- ``open_data``: the CSV and JSON exports

Each topic module only defines its views and a ``register(bp)`` naming their rules; this module
creates the blueprint and wires them, so no topic module imports it back.
"""

from __future__ import annotations

from flask import Blueprint

from ..vocab import RESOURCE_KINDS, zone_code, zone_label
from . import centre, entries, open_data, search

bp = Blueprint("archive", __name__, url_prefix="/archive")
for _topic in (search, entries, centre, open_data):
    _topic.register(bp)


@bp.app_context_processor
def _archive_globals():
    return {"archive_kinds": RESOURCE_KINDS, "archive_zone_label": zone_label, "archive_zone_code": zone_code}
