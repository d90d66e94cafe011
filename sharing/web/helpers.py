"""What the HTML views share: answering a service's refusal (a flash, or the error page) after a
POST button, reading the on/off flag such a button sends, the page argument and the signed-in user.

Views stay thin: the service decides, these helpers only show its answer.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, request
from flask_login import current_user

from ..core.errors import DomainError
from .api import PAGE_MAX

ERROR_PAGES = (401, 403, 404)


def page_arg() -> int:
    """The ``?page=`` of an HTML list: 1 when missing or not a number, clamped to 1..PAGE_MAX + 1."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), PAGE_MAX + 1)


def current_user_or_none():
    """The signed-in user, or None for a visitor."""
    return current_user._get_current_object() if current_user.is_authenticated else None


def error_text(err: DomainError) -> str:
    """The refusal's message followed by its field messages, on one line."""
    details = " ".join(str(m) for ms in (err.fields or {}).values() for m in ms)
    return f"{err.message} {details}".strip()


def flash_error(err: DomainError) -> None:
    flash(error_text(err), "error")


def form_flag(name: str) -> bool:
    """A button's on/off field (``hidden``, ``pinned``, ``archived`` ...): on unless it sends ``0``."""
    return request.form.get(name, "1") == "1"


def run_action(
    action: Callable[[], object],
    back: str,
    done: str | None = None,
    *,
    pages: tuple[int, ...] = ERROR_PAGES,
    abort_pages: bool = False,
):
    """Call a service for a POST button, then redirect to ``back``.

    A refusal whose status is in ``pages`` is answered as the error page: raised again (the error
    handler shows its message) or, with ``abort_pages``, as the plain HTTP error page. Any other
    refusal is flashed; on success ``done`` is flashed.
    """
    try:
        action()
    except DomainError as err:
        if err.status in pages:
            if abort_pages:
                abort(err.status)
            raise
        flash_error(err)
    else:
        if done is not None:
            flash(done, "success")
    return redirect(back)
