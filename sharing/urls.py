"""Redirect targets: only local paths, never another site (no open redirect)."""

from urllib.parse import urlsplit

from flask_babel import gettext as _

from .errors import BadRequest
from .inputs import CONTROL


def safe_next(target: str | None, default: str = "/") -> str:
    if not target:
        return default
    if "\r" in target or "\n" in target:  # would split the Location header: a malformed request
        raise BadRequest(_("이동할 주소에 쓸 수 없는 문자가 들어 있습니다."))
    if CONTROL.search(target):  # browsers drop tabs from URLs ("/\t/evil.com" is "//evil.com")
        return default
    target = target.strip().replace("\\", "/")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
