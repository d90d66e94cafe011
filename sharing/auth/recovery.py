"""Changing a password, and resetting a forgotten one through a signed link sent by e-mail.

A reset link carries the account id and a digest of the password hash it was made for: it expires
after an hour and stops working once used (the hash changes), without a table of issued links. The
answer to "send me a link" is the same whether the address has an account or not.
"""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from ..core.db import transaction
from ..core.errors import Invalid
from ..core.extensions import db
from .models import User
from .passwords import check_new_password, hash_fingerprint, hash_password, password_matches, sign, unsign
from .services import find_by_email, revoke_all_tokens, revoke_sessions

PURPOSE = "reset-password"
LINK_MAX_AGE = 3600  # an hour


def _set_password(user: User, new_password: str) -> None:
    """The new password, and every session and API token of the account ends (caller's transaction)."""
    user.password_hash = hash_password(new_password)
    revoke_sessions(user)
    revoke_all_tokens(user)


def change_password(user: User, current_password: str, new_password: str) -> User:
    """Asks for the current password; every other session and token of the account ends."""
    if not password_matches(user, current_password):
        raise Invalid(fields={"current_password": [_("현재 비밀번호가 올바르지 않습니다.")]})
    check_new_password(new_password, hints=(user.email, user.name))
    with transaction():
        _set_password(user, new_password)
    return user


def request_reset(email: str) -> None:
    """Queue a reset link when ``email`` belongs to a usable account; nothing otherwise. The caller
    answers the same in both cases."""
    from ..notify.services import queue_mail

    user = find_by_email(email)
    if user is None or not user.is_active:
        return
    token = sign(PURPOSE, {"u": user.id, "h": hash_fingerprint(user.password_hash)})
    link = url_for("auth.reset_password", token=token, _external=True)
    with transaction():
        queue_mail(
            user.email,
            _("비밀번호 재설정 안내"),
            _("아래 링크에서 새 비밀번호를 정해 주세요. 링크는 1시간 동안 한 번만 쓸 수 있습니다.")
            + "\n"
            + _("비밀번호 재설정을 요청하지 않았다면 이 메일을 무시해 주세요.")
            + "\n\n"
            + link,
        )


def user_for_reset(token: str) -> User:
    """The account a reset link was made for; 422 when the link is forged, expired or already used."""
    payload = unsign(PURPOSE, token, LINK_MAX_AGE)
    user_id = payload.get("u") if payload else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or payload.get("h") != hash_fingerprint(user.password_hash):
        raise Invalid(
            _("재설정 링크가 올바르지 않거나 이미 쓰였거나 기한이 지났습니다. 다시 요청해 주세요."),
            code="invalid_link",
        )
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset(token)
    check_new_password(new_password, hints=(user.email, user.name))
    with transaction():
        _set_password(user, new_password)
    return user
