"""개인정보 보호법: a resident's data as one JSON download, and deleting an account.

Deleting keeps what the law keeps: the card ledger's entries stay and still point at the user row,
which is anonymised (e-mail and name replaced, password unusable). Listings are deleted, posts and
archive entries hidden, and what only served the person (tokens, notifications, follows,
memberships, queued mail) is erased. A card balance or an open loan must be settled first.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import delete, inspect, select, update

from ..core.db import transaction, utcnow
from ..core.errors import Conflict, Invalid
from ..core.extensions import db
from .models import ApiToken, User
from .passwords import password_matches
from .services import revoke_all_tokens, revoke_sessions

DELETED_NAME = "탈퇴한 주민"
UNUSABLE_PASSWORD = "!deleted"  # no hash method matches it: check_password_hash is always False

PROFILE_FIELDS = (
    "id",
    "email",
    "name",
    "dong",
    "role",
    "created_at",
    "email_verified_at",
    "privacy_consent_version",
    "privacy_consent_at",
    "terms_consent_version",
    "terms_consent_at",
)


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj, skip=()) -> dict:
    return {c.key: _value(getattr(obj, c.key)) for c in inspect(obj).mapper.column_attrs if c.key not in skip}


def _personal_tables():
    """(section, model, the column naming the user) for every table that holds a resident's own rows."""
    from ..archive.models import Resource
    from ..market.models import Listing, Loan, LoanMessage, LoanReview
    from ..news.models import Follow, Post
    from ..notify.models import Notification
    from ..orgs.models import Membership
    from ..records.models import Report

    return (
        ("organizations", Membership, Membership.user_id),
        ("listings", Listing, Listing.owner_id),
        ("loan_requests", Loan, Loan.borrower_id),
        ("loan_messages", LoanMessage, LoanMessage.author_id),
        ("reviews", LoanReview, LoanReview.author_id),
        ("posts", Post, Post.author_id),
        ("resources", Resource, Resource.owner_id),
        ("reports", Report, Report.reporter_id),
        ("follows", Follow, Follow.user_id),
        ("notifications", Notification, Notification.user_id),
    )


def _card_history(user) -> list[dict]:
    from ..card import services as card

    rows, page = [], 1
    while True:
        items, total = card.history(user, page=page, per_page=100)
        rows += [
            {"id": i.id, "kind": i.kind, "amount": i.amount, "card": i.card, "mileage": i.mileage,
             "organization_id": i.organization_id, "created_at": _value(i.created_at)}
            for i in items
        ]  # fmt: skip
        if not items or len(rows) >= total:
            return rows
        page += 1


def export(user: User) -> dict:
    """Everything the platform keeps about ``user``, as plain JSON values."""
    from ..card import services as card

    data = {"profile": {f: _value(getattr(user, f)) for f in PROFILE_FIELDS}}
    for section, model, column in _personal_tables():
        rows = db.session.execute(select(model).where(column == user.id).order_by(model.id)).scalars()
        data[section] = [_row(r) for r in rows]
    summary = card.card_summary(user)
    data["card"] = {
        "balance": summary.balance,
        "mileage": summary.mileage,
        "transactions": _card_history(user),
    }
    data["api_tokens"] = [
        _row(t, skip=("token_hash",))
        for t in db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalars()
    ]
    return data


def deletion_blockers(user: User) -> list[str]:
    """What must be settled before the account can go (Korean sentences); [] when nothing."""
    from ..card import services as card
    from ..market import services as market

    problems = []
    balance = card.card_summary(user).balance
    if balance:
        problems.append(
            _(
                "지역거래카드에 %(balance)s원이 남아 있습니다. 가맹점에서 모두 쓰거나 센터에 환급을 받은 뒤 탈퇴해 주세요. 거래 기록은 법에 따라 보관됩니다.",
                balance=f"{balance:,}",
            )
        )
    loans = market.open_loans_count(user.id)
    if loans:
        problems.append(_("진행 중인 대여가 %(n)s건 있습니다. 반납하거나 취소한 뒤 탈퇴해 주세요.", n=loans))
    return problems


def delete_account(user: User, password: str) -> None:
    """Delete the account (confirmed with its password): erase or anonymise what is personal."""
    from ..archive.models import Resource
    from ..market import services as market
    from ..news.models import Follow, Post
    from ..notify.models import Notification, OutboxMail
    from ..orgs.models import Membership

    if user.is_centre:
        raise Conflict(_("센터 계정은 운영자가 정리합니다."), code="centre_account")
    if not password_matches(user, password):
        raise Invalid(fields={"password": [_("비밀번호가 올바르지 않습니다.")]})
    problems = deletion_blockers(user)
    if problems:
        raise Conflict(" ".join(problems), code="account_not_settled")
    now = utcnow()
    with transaction():
        market.withdraw_account(user.id)
        db.session.execute(
            update(Post).where(Post.author_id == user.id, Post.hidden_at.is_(None)).values(hidden_at=now)
        )
        db.session.execute(
            update(Resource)
            .where(Resource.owner_id == user.id, Resource.hidden_at.is_(None))
            .values(hidden_at=now)
        )
        for model, column in (
            (Notification, Notification.user_id),
            (Follow, Follow.user_id),
            (Membership, Membership.user_id),
        ):
            db.session.execute(delete(model).where(column == user.id))
        db.session.execute(
            delete(OutboxMail).where(OutboxMail.to_address == user.email, OutboxMail.sent_at.is_(None))
        )
        revoke_all_tokens(user)
        revoke_sessions(user)
        user.email = f"deleted-{user.id}@deleted.invalid"
        user.name = DELETED_NAME
        user.password_hash = UNUSABLE_PASSWORD
        user.email_verified_at = None
        user.deleted_at = now
