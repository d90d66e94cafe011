"""Keeping an uploaded CSV between the import page's preview and its commit, under its SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ..auth.services import require_centre
from ..errors import Invalid, TooLarge
from .importer import MAX_BYTES


def _staging_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "archive-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def stage(actor, data: bytes) -> str:
    """Keep an uploaded file between its preview and its commit; returns its token (content hash)."""
    require_centre(actor)
    if len(data) > MAX_BYTES:
        raise TooLarge(_("CSV 파일은 5MB까지 가져올 수 있습니다."))
    token = hashlib.sha256(data).hexdigest()
    (_staging_dir() / f"{token}.csv").write_bytes(data)
    return token


def staged(actor, token: str) -> bytes:
    require_centre(actor)
    if len(token) != 64 or any(c not in "0123456789abcdef" for c in token):
        raise Invalid(fields={"token": [_("미리보기를 다시 해 주세요.")]})
    path = _staging_dir() / f"{token}.csv"
    if not path.exists():
        raise Invalid(
            _("미리보기한 파일이 없습니다. 다시 올려 주세요."),
            fields={"token": [_("미리보기를 다시 해 주세요.")]},
        )
    return path.read_bytes()


def discard(token: str) -> None:
    path = _staging_dir() / f"{token}.csv"
    if len(token) == 64 and path.exists():
        path.unlink()
