"""Uploaded images: decoded and checked, re-encoded without EXIF, thumbnailed, stored by content hash.

Used by the market's photos and the news' cover images. Storage sits behind :class:`Storage`, so a
deployment can put the files on S3-compatible object storage by providing another implementation.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import hashlib
import io
import math
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import or_, select

from .errors import Invalid, TooLarge
from .extensions import db

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Refuse decompression bombs before decoding them (``IMAGE_MAX_PIXELS``): a 24 MP PNG decodes to
# ~100 MB of RGBA; JPEGs are decoded at reduced size (``draft``), never whole.
MAX_PIXELS = 24_000_000
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
    # The bytes written, kept until the row using them commits (``kept``): a release() of the same
    # bytes running meanwhile may have deleted the files, which are then written again.
    data: bytes = field(default=b"", repr=False, compare=False)
    thumb_data: bytes = field(default=b"", repr=False, compare=False)


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
        # A temporary name of its own: two uploads of the same bytes at once each write their copy
        # and the second rename simply replaces the first (a shared name made one of them fail).
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{key}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def exists(self, key: str) -> bool:
        try:
            return self.path(key).is_file()
        except ValueError:
            return False

    def delete(self, key: str) -> None:
        with contextlib.suppress(ValueError):
            self.path(key).unlink(missing_ok=True)

    def move_aside(self, key: str) -> Path | None:
        """Rename ``key``'s file to a unique hidden name (None when there is no file)."""
        target = self.path(key)
        aside = target.with_name(f".{key}.{os.getpid()}.{threading.get_ident()}.released")
        try:
            os.rename(target, aside)
        except FileNotFoundError:
            return None
        return aside

    def restore(self, key: str, aside: Path) -> None:
        """Put a moved-aside file back (a new copy written meanwhile holds the same bytes)."""
        os.replace(aside, self.path(key))


def storage() -> Storage:
    return Storage(current_app.config["UPLOAD_DIR"])


def _read_limited(stream, limit: int) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLarge(_("사진은 한 장에 %(mb)sMB까지 올릴 수 있습니다.", mb=limit // (1024 * 1024)))
    return data


def _encode(img: Image.Image, fmt: str, max_side: int) -> bytes:
    """Shrink ``img`` in place to fit ``max_side`` (no copy of a large image) and encode it."""
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


def decoded_bytes(img: Image.Image) -> int:
    """The memory an image takes decoded and then shrunk: Pillow keeps 4 bytes a pixel for every
    multi-band mode (RGB included) and 1 for L/P, and ``thumbnail`` first reduces into a new image
    of at most a quarter of the pixels."""
    per_pixel = 1 if img.mode in ("1", "L", "P") else 4
    return img.width * img.height * per_pixel * 5 // 4


class DecodeBudget:
    """How many bytes of decoded pixels the threads of one process may hold at once
    (``IMAGE_DECODE_BUDGET_MB``). A PNG cannot be decoded at reduced size: four 24 MP uploads
    decoded together in one gthread worker would take ~400 MB; past the budget, a decode waits for
    the others to finish (an image larger than the whole budget runs alone)."""

    def __init__(self) -> None:
        self._used = 0
        self._cond = threading.Condition()

    @contextlib.contextmanager
    def reserve(self, size: int):
        limit = int(current_app.config.get("IMAGE_DECODE_BUDGET_MB", 100)) * 1024 * 1024
        with self._cond:
            self._cond.wait_for(lambda: self._used == 0 or self._used + size <= limit)
            self._used += size
        try:
            yield
        finally:
            with self._cond:
                self._used -= size
                self._cond.notify_all()


DECODING = DecodeBudget()
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter


def _release_large_blocks_at_once() -> None:
    """Have glibc serve every allocation of 4 MB or more (a decoded image's blocks) by mmap, so that
    freeing it returns the memory to the system. By default glibc raises that threshold after the
    first large free, and the next images land in per-thread heaps that keep their peak: with four
    upload threads a worker's memory then grew by one decoded image per thread."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024)
    except (OSError, AttributeError):  # not glibc: its allocator has its own policy
        pass


_release_large_blocks_at_once()


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
            if probe.width * probe.height > current_app.config.get("IMAGE_MAX_PIXELS", MAX_PIXELS):
                raise Invalid(fields={field: [_("사진의 해상도가 너무 큽니다.")]})
            probe.verify()
        with Image.open(io.BytesIO(data)) as img:
            if fmt == "JPEG":
                # Decode at 1/2, 1/4 or 1/8 scale, still at least FULL_SIZE: a 24 MP photo takes
                # ~18 MB instead of ~72 MB (four uploads at once must fit one worker).
                ratio = FULL_SIZE / max(img.size)
                img.draft(None, (math.ceil(img.width * ratio), math.ceil(img.height * ratio)))
            with DECODING.reserve(decoded_bytes(img)):
                img.load()
                ImageOps.exif_transpose(img, in_place=True)  # upright once EXIF is gone; no copy
                full = _encode(img, fmt, FULL_SIZE)
                width, height = img.size  # the stored image's size
                thumb = _encode(img, fmt, THUMB_SIZE)
                del img
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
    return StoredImage(key, thumb_key, width, height, Image.MIME[fmt], len(full), full, thumb)


# --- Who uses a stored file -----------------------------------------------------------------------
# Files are shared by content hash: the same bytes uploaded twice (two listings, a listing photo and
# a news cover) are one file. Each feature declares the rows that hold keys and who may see them;
# a file is deleted only when no row refers to it, and served only to a viewer who may see one.


@dataclass(frozen=True)
class Holder:
    model: type
    columns: tuple
    visible: Callable[[object, object], bool]  # (row, viewer) -> may the viewer see the row


_HOLDERS: dict[type, Holder] = {}


def track(model: type, *columns, visible: Callable[[object, object], bool]) -> None:
    """Declare ``model``'s ``columns`` as holding stored keys, visible to whom ``visible`` says."""
    _HOLDERS[model] = Holder(model, columns, visible)


def _holders_of(key: str):
    for holder in _HOLDERS.values():
        stmt = select(holder.model).where(or_(*(column == key for column in holder.columns)))
        for row in db.session.execute(stmt).scalars():
            yield holder, row


def access(key: str, viewer) -> str | None:
    """``"public"`` when anyone may see a row using ``key``, ``"private"`` when only ``viewer`` (its
    owner, the centre) may, None when no row the viewer may see uses it (a 404)."""
    seen = None
    for holder, row in _holders_of(key):
        if holder.visible(row, None):
            return "public"
        if viewer is not None and holder.visible(row, viewer):
            seen = "private"
    return seen


def release(*keys: str | None) -> None:
    """Delete the files of ``keys`` that no row refers to any more (call it after the rows' commit).

    A new upload of the same bytes may be between its write and its row's commit. So the file is first
    moved aside (one atomic rename), and only then are the rows read: a row committed before that read
    puts the file back; an upload committing after it finds the file gone in ``kept`` and writes it
    again. Either way the file a committed row names exists."""
    store = storage()
    for key in keys:
        if not key or next(_holders_of(key), None) is not None:
            continue
        aside = store.move_aside(key)
        if aside is None:
            continue  # already gone
        db.session.rollback()  # end the read transaction: see rows committed since the first look
        if next(_holders_of(key), None) is None:
            aside.unlink(missing_ok=True)
        else:
            store.restore(key, aside)


@contextlib.contextmanager
def kept(image: StoredImage | None):
    """Around the transaction that stores ``image``'s keys in a row. If it fails, the files go again
    (unless another row uses them): nothing half-written. If it commits, files that a concurrent
    ``release`` of the same bytes removed in the meantime are written back."""
    try:
        yield image
    except BaseException:
        if image is not None:
            db.session.rollback()
            release(image.key, image.thumb_key)
        raise
    if image is not None:
        store = storage()
        for key, data in ((image.key, image.data), (image.thumb_key, image.thumb_data)):
            if data and not store.exists(key):
                store.put(key, data)
