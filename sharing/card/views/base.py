"""What the card's pages share: the blueprint ``card``, the page size, how a refusal is shown, the
CSV download, the template filters, and the guards of a shop's and the centre's pages."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash
from flask_login import current_user

from ...core import csv as csvfile
from ...core.errors import DomainError
from ...core.i18n import number as won  # noqa: F401  (the card pages' flash messages)
from ...core.time import seoul
from ...web.forms import apply_errors
from .. import services

bp = Blueprint("card", __name__, url_prefix="/card")
PER_PAGE = 20


def fail(err: DomainError, form=None) -> None:
    """403/404 become the error page; anything else is told beside the form."""
    if err.status in (403, 404):
        abort(err.status)
    if form is not None:
        apply_errors(form, err)
    flash(err.message, "error")


def csv_download(rows, filename: str) -> Response:
    return csvfile.download(csvfile.text(rows), filename, private=True)


def local_time(ts) -> str:
    """A stored timestamp as Seoul wall-clock time, to the minute ("" for none)."""
    return "" if ts is None else seoul(ts).strftime("%Y-%m-%d %H:%M")


def own_shop(organization_id: int):
    """The organisation whose shop pages the signed-in user may see (403/404 otherwise)."""
    try:
        return services.shop_for(current_user, organization_id)
    except DomainError as err:
        abort(err.status)


def centre_only() -> None:
    """403 unless the signed-in user works at the centre."""
    try:
        services.require_centre_for_fund(current_user)
    except DomainError as err:
        abort(err.status)
