"""The market's pages (blueprint ``market``), one module per topic: ``listings`` (search, a listing,
new/edit, status, delete, report, hide), ``photos``, ``people`` (my listings, a neighbour's profile)
``loans`` (asking, borrowing and lending, a request with its messages and review) and ``questions``
(asking the owner before a request, my threads, a thread).

The topic modules hold plain view functions; the routes are wired here, in one table, so every
address of the market reads in one place and no module imports the blueprint back.
"""

from __future__ import annotations

from flask import Blueprint

from ..common import Labels
from . import listings, loans, people, photos, questions
from .result_cards import result_cards

bp = Blueprint("market", __name__, url_prefix="/market")
bp.add_app_template_global(Labels, "market_labels")
bp.add_app_template_global(result_cards, "market_result_cards")  # the home page's section

GET, POST, FORM = ("GET",), ("POST",), ("GET", "POST")
ROUTES = (
    ("", listings.index, GET),
    ("/<int:listing_id>", listings.show, GET),
    ("/new", listings.new, FORM),
    ("/<int:listing_id>/edit", listings.edit, FORM),
    ("/<int:listing_id>/status", listings.set_status, POST),
    ("/<int:listing_id>/delete", listings.delete, POST),
    ("/<int:listing_id>/photos", photos.add_photo, POST),
    ("/<int:listing_id>/photos/<int:photo_id>/delete", photos.delete_photo, POST),
    ("/<int:listing_id>/report", listings.report, POST),
    ("/<int:listing_id>/hide", listings.hide, POST),
    ("/<int:listing_id>/appeal", listings.appeal, POST),
    ("/mine", people.mine, GET),
    ("/users/<int:user_id>", people.profile, GET),
    ("/<int:listing_id>/requests", loans.ask, POST),
    ("/borrowing", loans.borrowing, GET),
    ("/lending", loans.lending, GET),
    ("/requests/<int:loan_id>", loans.request_page, GET),
    (
        "/requests/<int:loan_id>/<any(accept, decline, handover, return, cancel):action>",
        loans.transition,
        POST,
    ),
    ("/requests/<int:loan_id>/messages", loans.message, POST),
    ("/requests/<int:loan_id>/review", loans.review, POST),
    ("/messages/<int:message_id>/report", loans.report_message, POST),
    ("/<int:listing_id>/questions", questions.ask_question, POST),
    ("/questions", questions.questions, GET),
    ("/questions/<int:question_id>", questions.question_page, GET),
    ("/questions/<int:question_id>/messages", questions.reply_question, POST),
)
for rule, view, methods in ROUTES:
    bp.add_url_rule(rule, view_func=view, methods=methods)  # the endpoint is the function's name
