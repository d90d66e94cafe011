"""Accounts: registration, sign-in, bearer tokens, profiles, roles and suspension."""

from __future__ import annotations

import functools
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from ..db import transaction, utcnow
from ..errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from ..extensions import db
from ..vocab import DONGS, ROLES
from .models import ApiToken, User

PASSWORD_MIN = 8
PASSWORD_MAX = 128


@dataclass(frozen=True)
class Registration:
    email: str
    password: str
    name: str
    dong: str


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


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


def _check_registration(reg: Registration) -> None:
    problems = {}
    if not valid_email(reg.email):
        problems["email"] = [_("올바른 이메일 주소를 입력해 주세요.")]
    if not (PASSWORD_MIN <= len(reg.password or "") <= PASSWORD_MAX):
        problems["password"] = [_("비밀번호는 8자 이상 128자 이하여야 합니다.")]
    if reg.dong not in DONGS:
        problems["dong"] = [_("성북구의 행정동이 아닙니다.")]
    if not (1 <= len((reg.name or "").strip()) <= 50):
        problems["name"] = [_("이름은 1자 이상 50자 이하로 입력해 주세요.")]
    if problems:
        raise Invalid(fields=problems)


def register(reg: Registration, *, role: str = "resident") -> User:
    """Create an account. 409 when the e-mail is taken (case-insensitively)."""
    _check_registration(reg)
    if role not in ROLES:
        raise Invalid(fields={"role": [_("알 수 없는 역할입니다.")]})
    with transaction():
        if find_by_email(reg.email):
            raise Conflict(_("이미 가입된 이메일입니다."), code="email_taken")
        user = User(
            email=normalise_email(reg.email),
            password_hash=hash_password(reg.password),
            name=reg.name.strip(),
            dong=reg.dong,
            role=role,
        )
        db.session.add(user)
    return user


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User:
    """The account for these credentials; 401 otherwise (the same answer for every failure)."""
    user = find_by_email(email)
    if user is None:
        # Spend the same scrypt time as a real check, so timing does not tell which e-mails exist.
        check_password_hash(_dummy_hash(), password or "")
    if user is None or not check_password_hash(user.password_hash, password or ""):
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


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def user_for_token(token: str) -> User | None:
    row = db.session.execute(
        select(ApiToken)
        .options(joinedload(ApiToken.user))  # one round trip for the token and its user
        .where(ApiToken.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= utcnow():
        return None
    user = row.user
    return user if user.suspended_at is None else None


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


def set_role(actor: User, user_id: int, role: str) -> User:
    from ..admin.log import record_action

    require_centre(actor)
    if role not in ROLES:
        raise Invalid(fields={"role": [_("알 수 없는 역할입니다.")]})
    with transaction():
        user = get_user(user_id)
        user.role = role
        record_action(actor, "user.role", "user", user.id, role=role)
    return user


def set_suspended(actor: User, user_id: int, suspended: bool) -> User:
    from ..admin.log import record_action

    require_centre(actor)
    with transaction():
        user = get_user(user_id)
        if user.id == actor.id:
            raise Conflict(_("자기 계정은 정지할 수 없습니다."))
        user.suspended_at = utcnow() if suspended else None
        record_action(actor, "user.suspend" if suspended else "user.restore", "user", user.id)
    return user


def create_admin(email: str, password: str, name: str = "마을사회적경제센터") -> User:
    """A centre account (operator command); an existing account is promoted and its password set."""
    user = find_by_email(email)
    if user is None:
        return register(Registration(email, password, name, "종암동"), role="centre")
    if not (PASSWORD_MIN <= len(password) <= PASSWORD_MAX):
        raise Invalid(fields={"password": [_("비밀번호는 8자 이상 128자 이하여야 합니다.")]})
    with transaction():
        user.role = "centre"
        user.password_hash = hash_password(password)
    return user
