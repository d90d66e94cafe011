"""개인정보 보호법: a resident's data as one JSON download, and deleting an account.

Deleting keeps what the law keeps: the card ledger's entries stay and still point at the user row,
which is anonymised (e-mail and name replaced, password unusable). Listings are deleted, posts and
archive entries hidden, and what only served the person (tokens, notifications, follows,
memberships, queued mail) is erased. A card balance or an open loan must be settled first.

The accounts floor does not know the features: each feature offers its share of a resident's data
as a :class:`PersonalData` (in its own ``privacy`` module) and ``create_app`` registers them, in the
order their sections are exported, their refusals listed and their rows erased.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import Flask, current_app
from flask_babel import gettext as _

from ..core.db import transaction, utcnow
from ..core.errors import Conflict, Invalid
from ..core.rows import owned_rows, plain
from ..records.models import Report
from .models import ApiToken, User
from .passwords import password_matches
from .services import revoke_all_tokens, revoke_sessions

DELETED_NAME = "탈퇴한 주민"
UNUSABLE_PASSWORD = "!deleted"  # no hash method matches it: check_password_hash is always False
EXTENSION = "sharing_personal_data"

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


@dataclass(frozen=True)
class PersonalData:
    """One feature's share of a resident's data.

    ``export(user)`` returns its sections of the download ({section: JSON value}); ``blockers(user)``
    what must be settled before the account can go (Korean sentences); ``erase(user, now)`` deletes or
    hides its rows inside the deletion's transaction (before the user row is anonymised).
    """

    name: str
    export: Callable[[User], dict] | None = None
    blockers: Callable[[User], list[str]] | None = None
    erase: Callable[[User, datetime], None] | None = None


def register(app: Flask, *parts: PersonalData) -> None:
    """Add ``parts`` to the app's list (the order of the calls is the order of the work)."""
    registered = app.extensions.setdefault(EXTENSION, [])
    names = {p.name for p in registered}
    for part in parts:
        if part.name in names:
            raise ValueError(f"personal data {part.name!r} is registered twice")
        names.add(part.name)
        registered.append(part)


def registered() -> tuple[PersonalData, ...]:
    return tuple(current_app.extensions.get(EXTENSION, ()))


def _reports(user: User) -> dict:
    return {"reports": owned_rows(Report, Report.reporter_id, user.id)}


# The reports a resident filed: kept on the records floor, below the accounts.
REPORTS = PersonalData("reports", export=_reports)


def export(user: User) -> dict:
    """Everything the platform keeps about ``user``, as plain JSON values."""
    data = {"profile": {f: plain(getattr(user, f)) for f in PROFILE_FIELDS}}
    for part in registered():
        if part.export is not None:
            data.update(part.export(user))
    data["api_tokens"] = owned_rows(ApiToken, ApiToken.user_id, user.id, skip=("token_hash",))
    return data


def deletion_blockers(user: User) -> list[str]:
    """What must be settled before the account can go (Korean sentences); [] when nothing."""
    return [problem for part in registered() if part.blockers is not None for problem in part.blockers(user)]


def delete_account(user: User, password: str) -> None:
    """Delete the account (confirmed with its password): erase or anonymise what is personal."""
    if user.is_centre:
        raise Conflict(_("센터 계정은 운영자가 정리합니다."), code="centre_account")
    if not password_matches(user, password):
        raise Invalid(fields={"password": [_("비밀번호가 올바르지 않습니다.")]})
    problems = deletion_blockers(user)
    if problems:
        raise Conflict(" ".join(problems), code="account_not_settled")
    now = utcnow()
    with transaction():
        for part in registered():
            if part.erase is not None:
                part.erase(user, now)
        revoke_all_tokens(user)
        revoke_sessions(user)
        user.email = f"deleted-{user.id}@deleted.invalid"
        user.name = DELETED_NAME
        user.password_hash = UNUSABLE_PASSWORD
        user.email_verified_at = None
        user.deleted_at = now
