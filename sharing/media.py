"""Uploaded images: decoded and checked, re-encoded without EXIF, thumbnailed, stored by content hash.

Used by the market's photos and the news' cover images. Storage sits behind :class:`Storage`, so a
deployment can put the files on S3-compatible object storage by providing another implementation.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import Invalid, TooLarge

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding them
FULL_SIZE = 1600
THUMB_SIZE = 400


def media_url(key: str) -> str:
    """Where ``main.media`` serves a stored image (the API's ``url``/``thumb_url``, the pages' ``src``;
    written out, not built by url_for: a results page shows dozens; a test keeps the two equal)."""
    return f"/media/{key}"


@dataclass(frozen=True)
class StoredImage:
    key: str  # content-hash file name of the full image, e.g. "ab12....jpg"
    thumb_key: str
    width: int
    height: int
    content_type: str
    size: int


class Storage:
    """Where image bytes live. The default keeps them in ``UPLOAD_DIR`` on local disk."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if "/" in key or "\\" in key or key.startswith("."):
            raise ValueError("bad key")
        return self.root / key[:2] / key

    def put(self, key: str, data: bytes) -> None:
        target = self.path(key)
        if target.exists():
            return  # content-addressed: the same bytes are already there
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(target.suffix + ".tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except ValueError:
            return False

    def delete(self, key: str) -> None:
        with contextlib.suppress(ValueError):
            self.path(key).unlink(missing_ok=True)


def storage() -> Storage:
    return Storage(current_app.config["UPLOAD_DIR"])


def _read_limited(stream, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(_("사진은 한 장에 %(mb)sMB까지 올릴 수 있습니다.", mb=limit // (1024 * 1024)))
    return data


def _encode(img: Image.Image, fmt: str, max_side: int) -> bytes:
    img = img.copy()
    img.thumbnail((max_side, max_side))
    out = io.BytesIO()
    if fmt == "JPEG":
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        img.save(out, "JPEG", quality=85, optimize=True)
    elif fmt == "PNG":
        img.save(out, "PNG", optimize=True)
    else:
        img.save(out, "WEBP", quality=85)
    return out.getvalue()  # no exif= argument: metadata (GPS included) is dropped


def save_image(file_storage, *, field: str = "file") -> StoredImage:
    """Check, clean and store one uploaded image (a werkzeug FileStorage or a binary stream).

    413 past ``IMAGE_MAX_BYTES``; 422 for anything that is not a decodable JPEG, PNG or WebP.
    """
    if file_storage is None:
        raise Invalid(fields={field: [_("사진 파일을 선택해 주세요.")]})
    stream = getattr(file_storage, "stream", file_storage)
    data = _read_limited(stream, current_app.config["IMAGE_MAX_BYTES"])
    if not data:
        raise Invalid(fields={field: [_("빈 파일입니다.")]})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in ALLOWED_FORMATS:
                raise Invalid(fields={field: [_("JPEG, PNG, WebP 사진만 올릴 수 있습니다.")]})
            if probe.width * probe.height > MAX_PIXELS:
                raise Invalid(fields={field: [_("사진의 해상도가 너무 큽니다.")]})
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            img = ImageOps.exif_transpose(img)  # keep the photo upright once EXIF is gone
            full = _encode(img, fmt, FULL_SIZE)
            thumb = _encode(img, fmt, THUMB_SIZE)
            width, height = img.size
    except Invalid:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Invalid(
            fields={field: [_("사진 파일을 읽을 수 없습니다. JPEG, PNG, WebP만 됩니다.")]}
        ) from None
    ext = ALLOWED_FORMATS[fmt]
    digest = hashlib.sha256(full).hexdigest()
    key, thumb_key = f"{digest}.{ext}", f"{digest}.thumb.{ext}"
    store = storage()
    store.put(key, full)
    store.put(thumb_key, thumb)
    return StoredImage(key, thumb_key, width, height, Image.MIME[fmt], len(full))
