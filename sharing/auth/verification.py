"""E-mail verification: a signed link sent at registration, and the one check every feature calls
before a resident pays or posts (``require_can_act``).

``REQUIRE_EMAIL_VERIFICATION`` is on in production; development and testing leave it off so the demo
and API clients work at once (accounts are then usable before their address is confirmed).
"""

from __future__ import annotations

from flask import current_app, has_request_context, url_for
from flask_babel import gettext as _

from ..core.db import transaction, utcnow
from ..core.errors import Forbidden, Invalid
from ..core.extensions import db
from .models import User
from .passwords import sign, unsign

PURPOSE = "verify-email"
LINK_MAX_AGE = 7 * 24 * 3600  # a week


def required() -> bool:
    return bool(current_app.config.get("REQUIRE_EMAIL_VERIFICATION"))


def require_can_act(user) -> None:
    """May ``user`` pay or post (card payments, news posts, market listings)? Forbidden until the
    address is confirmed, when verification is required. Centre accounts are made by the operator."""
    if not required() or user is None:
        return
    if user.email_verified_at is None and not user.is_centre:
        raise Forbidden(
            _("이메일 주소를 확인한 뒤에 이용할 수 있습니다. 가입할 때 받은 메일의 링크를 눌러 주세요."),
            code="email_unverified",
        )


def verification_link(user: User) -> str:
    token = sign(PURPOSE, {"u": user.id, "e": user.email})
    return url_for("auth.verify_email", token=token, _external=True)


def queue_verification_mail(user: User) -> None:
    """Queue the confirmation link in the outbox (inside the caller's transaction)."""
    from ..notify.services import queue_mail

    queue_mail(
        user.email,
        _("이메일 주소를 확인해 주세요"),
        _("아래 링크를 열면 가입이 끝납니다. 링크는 7일 동안 쓸 수 있습니다.")
        + "\n\n"
        + verification_link(user),
    )


def on_registration(user: User) -> None:
    """At registration (inside its transaction): centre accounts count as confirmed; residents get
    the link when verification is required. Outside a request (an operator's command) there is no
    address to build the link from: the resident asks for it from the profile page."""
    if user.is_centre:
        user.email_verified_at = utcnow()
    elif required() and has_request_context():
        queue_verification_mail(user)


def verify(token: str) -> User:
    """Confirm the address a link was made for. The link names the address too, so it does nothing
    once the account's e-mail changed or the account was deleted."""
    payload = unsign(PURPOSE, token, LINK_MAX_AGE)
    user = db.session.get(User, payload.get("u")) if payload and isinstance(payload.get("u"), int) else None
    if user is None or user.deleted_at is not None or user.email != payload.get("e"):
        raise Invalid(
            _("확인 링크가 올바르지 않거나 기한이 지났습니다. 다시 받아 주세요."), code="invalid_link"
        )
    with transaction():
        if user.email_verified_at is None:
            user.email_verified_at = utcnow()
    return user


def resend(user: User) -> None:
    with transaction():
        if user.email_verified_at is None:
            queue_verification_mail(user)
