"""A resident's listings: my listings (any status) and a neighbour's market profile."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user, login_required
from sqlalchemy.orm import noload

from ...auth.services import get_user
from ...core.errors import DomainError
from ...web.api import paginate
from ...web.helpers import page_arg
from .. import services
from ..models import Listing
from .base import PER_PAGE
from .result_cards import result_cards


@login_required
def mine():
    page = page_arg()
    rows, total = paginate(
        services.owned_stmt(current_user).options(noload(Listing.photos)), page=page, per_page=PER_PAGE
    )
    return render_template(
        "market/mine.html",
        cards=result_cards(rows, show_status=True),
        total=total,
        page=page,
        per_page=PER_PAGE,
    )


def profile(user_id: int):
    try:
        person = get_user(user_id)
    except DomainError:
        abort(404)
    page = page_arg()
    rows, total = paginate(
        services.by_owner_stmt(person.id).options(noload(Listing.photos)), page=page, per_page=PER_PAGE
    )
    return render_template(
        "market/profile.html",
        person=person,
        ratings=services.user_ratings(person.id),
        cards=result_cards(rows),
        total=total,
        page=page,
        per_page=PER_PAGE,
    )
