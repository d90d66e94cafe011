"""Keeping an uploaded CSV between the import page's preview and its commit, under its SHA-256.

A preview that is never committed is removed by the next upload once it is a day old
(``STAGED_FOR``), so abandoned previews do not pile up under the upload directory."""

from __future__ import annotations

import contextlib
import hashlib
import time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from ...auth.services import require_centre
from ...core.errors import Invalid, TooLarge
from .import_file import MAX_BYTES


def _staging_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"]) / "archive-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


STAGED_FOR = 24 * 3600  # seconds a preview's file is kept for its commit


def stage(actor, data: bytes) -> str:
    """Keep an uploaded file between its preview and its commit; returns its token (content hash).
    Files of previews older than ``STAGED_FOR`` are removed first."""
    require_centre(actor)
    if len(data) > MAX_BYTES:
        raise TooLarge(_("CSV 파일은 5MB까지 가져올 수 있습니다."))
    directory = _staging_dir()
    expired = time.time() - STAGED_FOR
    for old in directory.glob("*.csv"):
        with contextlib.suppress(FileNotFoundError):  # another worker removed it first
            if old.stat().st_mtime < expired:
                old.unlink()
    token = hashlib.sha256(data).hexdigest()
    (directory / f"{token}.csv").write_bytes(data)
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
