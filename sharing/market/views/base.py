"""What the market's pages share: the page size and how a POST button answers a refusal."""

from __future__ import annotations

from ...web.helpers import run_action

PER_PAGE = 20


def act(action, back: str):
    """Run a service action from a POST: 403/404 as error pages, anything else flashed on ``back``."""
    return run_action(action, back, pages=(403, 404), abort_pages=True)
