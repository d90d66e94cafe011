"""An archive entry's change history on a 390 px phone: what changed, in words people read (the
kind's and category's labels, the organisation's name, tags, days), never the stored codes or ids."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import text_of

pytestmark = pytest.mark.browser

CODE = re.compile(r"[a-z_]+|\d+|demo-\d+|\d{4}-\d\d-\d\dT\S*")


def _entry_of_an_organisation(live_server) -> tuple[int, str]:
    """A demo entry linked to an organisation: (its id, the organisation's name)."""
    from sqlalchemy import select

    from sharing.archive.models import Resource
    from sharing.core.extensions import db

    with live_server.app_context():
        resource = db.session.execute(
            select(Resource).where(Resource.organization_id.is_not(None)).order_by(Resource.id).limit(1)
        ).scalar_one()
        found = (resource.id, resource.organization.name)
        db.session.remove()
    return found


def test_the_history_shows_labels_and_names_not_codes(page, live_server):
    resource_id, org_name = _entry_of_an_organisation(live_server)
    live_server.login_as(page, "minji", next_path=f"/archive/{resource_id}")
    history = page.locator("section[aria-labelledby='history-h']")
    history.scroll_into_view_if_needed()
    rows = history.locator("table tbody tr")
    assert rows.count() > 0, text_of(page)
    values = [v.strip() for v in history.locator("table tbody td").all_inner_texts()]
    assert not [v for v in values if CODE.fullmatch(v)], values
    organisation = rows.filter(has=page.locator("th", has_text="연결된 조직")).inner_text()
    assert org_name in organisation, organisation
    heads = history.locator("table tbody th").all_inner_texts()
    assert "외부 식별자" not in heads  # the import's key is the centre's, not a resident's
