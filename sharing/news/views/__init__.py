"""The news pages, one module per topic, all on the ``news`` blueprint:

- ``reading``: the list with its filters, a post, an organisation's posts, the writers' drafts
- ``writing``: the post form and a post's POST buttons
- ``following``: follows
- ``calendar``: the events calendar, iCalendar files and the Atom feed

Each topic module only defines its views and a ``register(bp)`` naming their rules; this module
creates the blueprint and wires them, so no topic module imports it back.
"""

from __future__ import annotations

from flask import Blueprint

from ...core.vocab import label
from .. import render
from ..models import CATEGORIES
from . import calendar, following, reading, writing

bp = Blueprint("news", __name__, url_prefix="/news")
for _topic in (reading, writing, following, calendar):
    _topic.register(bp)


@bp.app_template_filter("news_html")
def _news_html(fragment):
    return render.safe_html(fragment)


@bp.app_template_filter("news_text")
def _news_text(text):
    return render.safe_text(text)


@bp.app_template_global("news_category_label")
def _category_label(code: str) -> str:
    return label(CATEGORIES, code)
