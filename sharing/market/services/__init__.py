"""The market's services: the surface the rest of the platform (and the market's own views and API)
calls. Other features import only this package.

Topic modules inside: ``access`` (who may see and manage a listing), ``listings`` (listings, hiding),
``search``, ``photos``, ``notices`` (a request's link, declining waiting requests), ``loan_queries``
(reading requests), ``loan_requests`` (asking), ``loans`` (the lifecycle, card payment), ``reminders``,
``questions`` (asking the owner before a request), ``message_body`` (a message's text rule),
``trust`` (messages, reviews, reports), ``moderation`` (the console's ``MODERATION`` and
``describe_target``), ``figures`` (the plan's ``metrics``/``monthly_metrics``) and ``accounts``
(an account being deleted). Imports between them go one way: access and notices at the bottom.
"""

from __future__ import annotations

from .access import can_see, manages
from .accounts import open_loans_count, withdraw_account
from .figures import metrics, monthly_metrics
from .listings import (
    ListingInput,
    by_owner_stmt,
    create,
    delete,
    get,
    owned_stmt,
    set_listing_hidden,
    set_status,
    update,
)
from .loan_queries import (
    booked_ranges,
    borrowing_stmt,
    is_overdue,
    is_participant,
    lending_stmt,
)
from .loan_queries import get as get_request
from .loan_requests import MAX_AHEAD_DAYS, MAX_LOAN_DAYS, request
from .loans import accept, cancel, decline, handover, return_
from .moderation import MODERATION, describe_target
from .photos import MAX_PHOTOS, add_photo, delete_photo
from .questions import ask as ask_question
from .questions import get as get_question
from .questions import is_open as question_open
from .questions import is_unread as question_unread
from .questions import of_listing as question_of_listing
from .questions import read as read_question
from .questions import reply as reply_question
from .questions import role as question_role
from .questions import threads_stmt as question_threads_stmt
from .reminders import remind
from .search import home_items, search, search_preview, search_stmt
from .trust import (
    appeal_hidden,
    messages,
    post_message,
    report_listing,
    report_message,
    review,
    reviews_of_listing,
    reviews_of_loan,
    set_message_hidden,
    user_ratings,
)

__all__ = [
    "MAX_AHEAD_DAYS",
    "MAX_LOAN_DAYS",
    "MAX_PHOTOS",
    "MODERATION",
    "ListingInput",
    "accept",
    "add_photo",
    "appeal_hidden",
    "ask_question",
    "booked_ranges",
    "borrowing_stmt",
    "by_owner_stmt",
    "can_see",
    "cancel",
    "create",
    "decline",
    "delete",
    "delete_photo",
    "describe_target",
    "get",
    "get_question",
    "get_request",
    "handover",
    "home_items",
    "is_overdue",
    "is_participant",
    "lending_stmt",
    "manages",
    "messages",
    "metrics",
    "monthly_metrics",
    "open_loans_count",
    "owned_stmt",
    "post_message",
    "question_of_listing",
    "question_open",
    "question_role",
    "question_threads_stmt",
    "question_unread",
    "read_question",
    "remind",
    "reply_question",
    "report_listing",
    "report_message",
    "request",
    "return_",
    "review",
    "reviews_of_listing",
    "reviews_of_loan",
    "search",
    "search_preview",
    "search_stmt",
    "set_listing_hidden",
    "set_message_hidden",
    "set_status",
    "update",
    "user_ratings",
    "withdraw_account",
]
