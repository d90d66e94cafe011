"""Accounts: registration, sign-in, bearer tokens, revocable sessions, profiles, roles and suspension.

Passwords and signed links are in ``passwords``; e-mail verification and "may pay or post" in
``verification``; consent, data download and deletion in ``privacy``."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash

from ..core.db import transaction, utcnow
from ..core.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from ..core.extensions import db
from ..core.time import aware
from ..core.vocab import DONGS, ROLES
from .models import ApiToken, User
from .passwords import PASSWORD_MAX, PASSWORD_MIN, check_new_password, hash_password, password_problems

__all__ = ["PASSWORD_MAX", "PASSWORD_MIN", "hash_password"]

# The versions of the privacy notice (개인정보 수집·이용 동의) and of the terms of use (이용약관) that
# registration asks for; a new text gets a new version, and each account records the one it agreed to.
PRIVACY_VERSION = "2026-12-04"
TERMS_VERSION = "2026-12-04"


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    name: str
    dong: str
    privacy_consent: bool = False
    terms_consent: bool = False


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


def valid_email(email: str) -> bool:
    try:
        # test_environment: accept the reserved ``.test`` domain (test and staging addresses);
        # the other special-use names (localhost, .local, .invalid ...) are still refused.
        validate_email(email or "", check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return len(email) <= 254


def registration_problems(reg: Registration, *, resident: bool = True) -> dict[str, list[str]]:
    """Field name -> why it is refused, for every field at once ({} when the sign-up may go ahead;
    the e-mail being taken is found later, by ``register``)."""
    problems = {}
    if not valid_email(reg.email):
        problems["email"] = [_("올바른 이메일 주소를 입력해 주세요.")]
    weak = password_problems(reg.password, hints=(reg.email, reg.name))
    if weak:
        problems["password"] = weak
    if reg.dong not in DONGS:
        problems["dong"] = [_("성북구의 행정동이 아닙니다.")]
    if not (1 <= len((reg.name or "").strip()) <= 50):
        problems["name"] = [_("이름은 1자 이상 50자 이하로 입력해 주세요.")]
    # Residents agree themselves; centre accounts are staff made by the operator's command.
    if resident and reg.privacy_consent is not True:
        problems["privacy_consent"] = [_("개인정보 수집·이용에 동의해야 가입할 수 있습니다.")]
    if resident and reg.terms_consent is not True:
        problems["terms_consent"] = [_("이용약관에 동의해야 가입할 수 있습니다.")]
    return problems


def _check_registration(reg: Registration, *, resident: bool) -> None:
    problems = registration_problems(reg, resident=resident)
    if problems:
        raise Invalid(fields=problems)


def register(reg: Registration, *, role: str = "resident", welcome: bool = False) -> User:
    """Create an account. 409 when the e-mail is taken (case-insensitively). Both consents are
    required and their versions recorded. When ``REQUIRE_EMAIL_VERIFICATION`` is on, the account
    may not pay or post until the address is confirmed (a link is queued in the outbox).

    ``welcome``: the home page shows the first-visit hint until it is dismissed (the web form's
    sign-up; not the API, the operator's commands or the demo data)."""
    from . import verification

    _check_registration(reg, resident=role == "resident")
    if role not in ROLES:
        raise Invalid(fields={"role": [_("알 수 없는 역할입니다.")]})
    now = utcnow()
    consented = reg.privacy_consent is True and reg.terms_consent is True
    with transaction():
        if find_by_email(reg.email):
            raise Conflict(_("이미 가입된 이메일입니다."), code="email_taken")
        user = User(
            email=normalise_email(reg.email),
            password_hash=hash_password(reg.password),
            name=reg.name.strip(),
            dong=reg.dong,
            role=role,
            privacy_consent_version=PRIVACY_VERSION if consented else None,
            privacy_consent_at=now if consented else None,
            terms_consent_version=TERMS_VERSION if consented else None,
            terms_consent_at=now if consented else None,
            welcome_pending=welcome,
        )
        db.session.add(user)
        db.session.flush()
        verification.on_registration(user)
    return user


def dismiss_welcome(user: User) -> None:
    """The resident has read the first-visit hint: the home page no longer shows it."""
    if not user.welcome_pending:
        return
    with transaction():
        user.welcome_pending = False


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User:
    """The account for these credentials; 401 otherwise (the same answer for every failure)."""
    user = find_by_email(email)
    if user is None:
        # Spend the same scrypt time as a real check, so timing does not tell which e-mails exist.
        check_password_hash(_dummy_hash(), password or "")
    if (
        user is None
        or user.deleted_at is not None
        or not check_password_hash(user.password_hash, password or "")
    ):
        raise Unauthorized(_("이메일 또는 비밀번호가 올바르지 않습니다."), code="invalid_credentials")
    if user.suspended_at is not None:
        raise Forbidden(_("이용이 정지된 계정입니다. 마을사회적경제센터에 문의해 주세요."), code="suspended")
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, datetime]:
    """A new bearer token for ``user``: (token, expires_at). Only the hash is stored."""
    token = secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=current_app.config["TOKEN_LIFETIME_DAYS"])
    with transaction():
        db.session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), expires_at=expires_at))
    return token, expires_at


def user_for_token(token: str) -> User | None:
    row = db.session.execute(
        select(ApiToken)
        .options(joinedload(ApiToken.user))  # one round trip for the token and its user
        .where(ApiToken.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None or aware(row.expires_at) <= utcnow():
        return None
    user = row.user
    return user if user.is_active else None


def user_for_session(session_id: str) -> User | None:
    """The user a session cookie names (``"<id>:<generation>"``, see ``User.get_id``), or None when
    the account is gone, suspended or deleted, or its sessions were revoked since the cookie was made."""
    user_id, _sep, generation = (session_id or "").partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None  # includes cookies from before revocable sessions: they sign in again
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_generation != int(generation):
        return None
    return user


def revoke_sessions(user: User) -> None:
    """Sign out every copy of the user's session cookie (inside the caller's transaction)."""
    db.session.execute(
        update(User).where(User.id == user.id).values(session_generation=User.session_generation + 1)
    )
    db.session.refresh(user)


def revoke_all_tokens(user: User) -> None:
    db.session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def sign_out(user: User) -> None:
    """Sign-out from the web: every session of this account ends, not only this browser's."""
    with transaction():
        revoke_sessions(user)


def sign_out_everywhere(user: User) -> None:
    """모든 기기에서 로그아웃: every session cookie and every API token of the account stop working."""
    with transaction():
        revoke_sessions(user)
        revoke_all_tokens(user)


def revoke_token(token: str) -> None:
    with transaction():
        row = db.session.execute(
            select(ApiToken).where(ApiToken.token_hash == _token_hash(token))
        ).scalar_one_or_none()
        if row is not None and row.revoked_at is None:
            row.revoked_at = utcnow()


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("사용자를 찾을 수 없습니다."))
    return user


def update_profile(user: User, *, name: str | None = None, dong: str | None = None) -> User:
    problems = {}
    if name is not None and not (1 <= len(name.strip()) <= 50):
        problems["name"] = [_("이름은 1자 이상 50자 이하로 입력해 주세요.")]
    if dong is not None and dong not in DONGS:
        problems["dong"] = [_("성북구의 행정동이 아닙니다.")]
    if problems:
        raise Invalid(fields=problems)
    with transaction():
        if name is not None:
            user.name = name.strip()
        if dong is not None:
            user.dong = dong
    return user


def require_centre(actor) -> None:
    if actor is None or not actor.is_centre:
        raise Forbidden(_("마을사회적경제센터 담당자만 할 수 있습니다."))


def set_suspended(actor: User, user_id: int, suspended: bool) -> User:
    """Suspend or restore a resident. A centre account is never suspended by another: centre
    accounts are the operator's (``flask users create-admin``). Suspension ends the account's sessions."""
    from ..records.log import record_action

    require_centre(actor)
    with transaction():
        user = get_user(user_id)
        if user.id == actor.id:
            raise Conflict(_("자기 계정은 정지할 수 없습니다."))
        if user.is_centre:
            raise Forbidden(
                _("센터 계정은 정지할 수 없습니다. 센터 계정은 운영자가 관리합니다."), code="centre_account"
            )
        user.suspended_at = utcnow() if suspended else None
        if suspended:
            revoke_sessions(user)
        record_action(actor, "user.suspend" if suspended else "user.restore", "user", user.id)
    return user


def operator_suspend(email: str, suspended: bool) -> User:
    """The operator's command (``flask users suspend``): any account, centre accounts included."""
    user = find_by_email(email)
    if user is None:
        raise NotFound(_("사용자를 찾을 수 없습니다."))
    with transaction():
        user.suspended_at = utcnow() if suspended else None
        if suspended:
            revoke_sessions(user)
    return user


def create_admin(email: str, password: str, name: str = "마을사회적경제센터") -> User:
    """A centre account (the operator's command, the only way one is made); an existing account is
    promoted and its password set, which ends its sessions (a role change)."""
    user = find_by_email(email)
    if user is None:
        return register(Registration(email, password, name, "종암동"), role="centre")
    check_new_password(password, hints=(email, name))
    with transaction():
        user.role = "centre"
        user.password_hash = hash_password(password)
        revoke_sessions(user)
    return user
