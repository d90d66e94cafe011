"""Questions before a request: a signed-in resident asks a listing's owner, and they talk it over.

- One thread per (listing, asker): asking again adds to it. Its messages are ``LoanMessage`` rows
  with ``question_id`` set, so reports and the centre's hiding treat them as any message.
- Who asks: a signed-in resident who can see the listing and does not manage it (403 ``own_listing``
  otherwise), while the listing is active and not hidden (409 ``listing_unavailable``).
- Who reads and writes: the asker and the listing's managers (its owner and its organisation's
  members); 403 anyone else, 404 no such thread. A thread stays readable after a request is made.
- A hidden or deleted listing makes its threads read-only (409 ``thread_closed`` on a new message).
- The other side is told of each new message (``market.question``); each side's read marker says
  what is unread.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import or_, select

from ...core.db import transaction, utcnow
from ...core.errors import Conflict, Forbidden, NotFound
from ...core.extensions import db
from ...notify.services import notify
from ..models import Listing, ListingQuestion, LoanMessage
from . import message_body
from .access import manages
from .listings import get as get_listing


def link(question: ListingQuestion) -> str:
    """The thread's page, as notices store it (a path inside the site)."""
    return f"/market/questions/{question.id}"


def is_open(question: ListingQuestion) -> bool:
    """New messages are taken while the listing is neither hidden nor deleted."""
    return question.listing.status != "deleted" and question.listing.hidden_at is None


def role(user, question: ListingQuestion) -> str | None:
    """``asker``, ``owner`` (a manager of the listing), or None for anyone else."""
    if user is None or not getattr(user, "is_authenticated", True):
        return None
    if question.asker_id == user.id:
        return "asker"
    return "owner" if manages(user, question.listing) else None


def is_unread(user, question: ListingQuestion) -> bool:
    seen = question.asker_read_at if role(user, question) == "asker" else question.owner_read_at
    return seen is None or seen < question.updated_at


def get(actor, question_id: int) -> ListingQuestion:
    """A thread its asker or the listing's managers may read; 404 missing, 403 anyone else."""
    question = db.session.get(ListingQuestion, question_id)
    if question is None:
        raise NotFound(_("문의를 찾을 수 없습니다."), code="question_not_found")
    if role(actor, question) is None:
        raise Forbidden(_("문의한 분과 물건을 올린 분만 볼 수 있습니다."))
    return question


def of_listing(listing_id: int, asker_id: int) -> ListingQuestion | None:
    """The asker's thread about a listing, if they asked (the listing and request pages link it)."""
    return db.session.execute(
        select(ListingQuestion).where(
            ListingQuestion.listing_id == listing_id, ListingQuestion.asker_id == asker_id
        )
    ).scalar_one_or_none()


def read(actor, question_id: int) -> tuple[ListingQuestion, list[LoanMessage]]:
    """The thread and its messages, oldest first; the reader's side is marked read up to now."""
    question = get(actor, question_id)
    if is_unread(actor, question):
        with transaction():
            question = get(actor, question_id)
            setattr(question, f"{role(actor, question)}_read_at", utcnow())
    thread = (
        db.session.execute(
            select(LoanMessage).where(LoanMessage.question_id == question.id).order_by(LoanMessage.id)
        )
        .scalars()
        .all()
    )
    return question, thread


def _add(actor, question: ListingQuestion, body: str) -> LoanMessage:
    """Add a message, mark the writer's side read and tell the other side. Joins the transaction."""
    now = utcnow()
    message = LoanMessage(question_id=question.id, author_id=actor.id, body=body, created_at=now)
    db.session.add(message)
    question.updated_at = now
    listing = question.listing
    if role(actor, question) == "asker":
        question.asker_read_at = now
        other = listing.owner
    else:
        question.owner_read_at = now
        other = question.asker
    if other.id != actor.id:
        notify(
            other,
            "market.question",
            _("'%(title)s' 문의에 새 메시지가 왔습니다", title=listing.title),
            _("%(name)s: %(text)s", name=actor.name, text=body[:100]),
            link(question),
        )
    return message


def ask(actor, listing_id: int, body: str) -> ListingQuestion:
    """Ask a listing's owner a question: the asker's thread about it, made if new."""
    body = message_body.clean(body)
    with transaction():
        listing = get_listing(listing_id, actor)
        if manages(actor, listing):
            raise Forbidden(_("자기 물건에는 문의할 수 없습니다."), code="own_listing")
        if listing.status != "active" or listing.hidden_at is not None:
            raise Conflict(_("지금은 문의를 받지 않는 물건입니다."), code="listing_unavailable")
        question = of_listing(listing.id, actor.id)
        if question is None:
            question = ListingQuestion(listing_id=listing.id, asker_id=actor.id)
            question.listing = listing
            db.session.add(question)
            db.session.flush()
        _add(actor, question, body)
    return question


def reply(actor, question_id: int, body: str) -> LoanMessage:
    """A message in a thread, by its asker or the listing's managers; 409 once the listing is
    hidden or deleted (the thread is read-only)."""
    body = message_body.clean(body)
    with transaction():
        question = get(actor, question_id)
        if not is_open(question):
            raise Conflict(_("물건이 내려가 이 문의에는 더 쓸 수 없습니다."), code="thread_closed")
        return _add(actor, question, body)


def threads_stmt(user):
    """The user's threads, as asker and as a manager of the listing, last message first."""
    org_ids = [m.organization_id for m in user.memberships]
    mine = Listing.owner_id == user.id
    if org_ids:
        mine = or_(mine, Listing.organization_id.in_(org_ids))
    return (
        select(ListingQuestion)
        .join(ListingQuestion.listing)
        .where(or_(ListingQuestion.asker_id == user.id, mine))
        .order_by(ListingQuestion.updated_at.desc(), ListingQuestion.id.desc())
    )
