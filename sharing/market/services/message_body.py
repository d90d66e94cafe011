"""The one rule of a message's text, for a request's thread and a question's alike."""

from __future__ import annotations

from flask_babel import gettext as _

from ...core.errors import Invalid

MESSAGE_MAX = 2000


def clean(body: str | None) -> str:
    """The message as sent (trimmed): 422 at ``body`` when empty or longer than ``MESSAGE_MAX``."""
    body = (body or "").strip()
    if not 1 <= len(body) <= MESSAGE_MAX:
        raise Invalid(fields={"body": [_("메시지는 1자 이상 2000자 이하로 입력해 주세요.")]})
    return body
