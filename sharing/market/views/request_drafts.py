"""A refused request, kept for the listing page it goes back to (Post/Redirect/Get): the days and the
message as typed and the errors per field, in the session until that page shows them once."""

from __future__ import annotations

from datetime import date

from flask import session
from flask_babel import gettext as _

from ..forms import request_form_for

KEY = "market_request_draft"
# The session is a cookie (4 KB at most, with the sign-in): a longer message is not kept, and the
# page says so at the field.
MESSAGE_KEEP_BYTES = 1200


def keep(listing_id: int, form) -> None:
    message = form.message.data or ""
    errors = {name: [str(e) for e in errs] for name, errs in form.errors.items() if name != "csrf_token"}
    dropped = len(message.encode()) > MESSAGE_KEEP_BYTES
    session[KEY] = {
        "listing": listing_id,
        "start": form.start_date.data.isoformat() if form.start_date.data else "",
        "end": form.end_date.data.isoformat() if form.end_date.data else "",
        "message": "" if dropped else message,
        "dropped": dropped,
        "errors": errors,
    }


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def restore(listing):
    """The listing's refused request form, once (None when there is none for this listing)."""
    draft = session.get(KEY)
    if not draft or draft.get("listing") != listing.id:
        return None
    session.pop(KEY)
    data = {"start_date": _day(draft["start"]), "message": draft["message"]}
    if listing.borrowable:
        data["end_date"] = _day(draft["end"])
    form = request_form_for(listing, formdata=None, data=data)
    for name, errors in draft["errors"].items():
        if name in form:
            form[name].errors = list(errors)
        elif name == "end_date":  # a one-day request: its day is the start
            form.start_date.errors = [*form.start_date.errors, *errors]
    if draft["dropped"]:
        form.message.errors = [
            *form.message.errors,
            _("메시지가 길어 보관하지 못했습니다. 다시 적어 주세요."),
        ]
    return form
