"""The market's photo pages: photos uploaded with a listing's form, added one by one, deleted."""

from __future__ import annotations

from flask import flash, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.errors import DomainError
from .. import services
from .base import act


def upload_photos(listing_id: int, files) -> list[str]:
    """Store each uploaded file of a listing's form; the problems, one line per file."""
    problems = []
    for file in files or []:
        if not getattr(file, "filename", ""):
            continue
        try:
            services.add_photo(current_user, listing_id, file)
        except DomainError as err:
            details = " ".join(str(m) for ms in (err.fields or {}).values() for m in ms)
            problems.append(f"{file.filename}: {details or err.message}")
    return problems


@login_required
def add_photo(listing_id: int):
    def run():
        services.add_photo(current_user, listing_id, request.files.get("file"))
        flash(_("사진을 올렸습니다."), "success")

    return act(run, url_for("market.edit", listing_id=listing_id))


@login_required
def delete_photo(listing_id: int, photo_id: int):
    def run():
        services.delete_photo(current_user, listing_id, photo_id)
        flash(_("사진을 지웠습니다."), "success")

    return act(run, url_for("market.edit", listing_id=listing_id))
