"""Listing photos: up to eight per listing, stored through ``sharing.core.media.save_image``."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...core.db import transaction
from ...core.errors import Conflict, Forbidden, NotFound
from ...core.extensions import db
from ...core.media import kept, release, save_image, track
from ..common import for_update
from ..models import Listing, ListingPhoto
from .access import can_see, manages
from .listings import _locked, _require_manage

MAX_PHOTOS = 8


def _refresh_cover(listing: Listing) -> None:
    first = db.session.execute(
        select(ListingPhoto)
        .where(ListingPhoto.listing_id == listing.id)
        .order_by(ListingPhoto.position, ListingPhoto.id)
        .limit(1)
    ).scalar_one_or_none()
    listing.cover_thumb_key = first.thumb_key if first else None
    listing.photo_count = db.session.execute(
        select(func.count()).select_from(ListingPhoto).where(ListingPhoto.listing_id == listing.id)
    ).scalar_one()


def add_photo(actor, listing_id: int, file_storage) -> ListingPhoto:
    """Check and store one image (413 past the size limit, 422 unless JPEG/PNG/WebP); 409 past eight."""
    listing = db.session.get(Listing, listing_id)
    if listing is None or listing.status == "deleted":
        raise NotFound(_("물건을 찾을 수 없습니다."), code="listing_not_found")
    if not manages(actor, listing):
        raise Forbidden(_("물건을 올린 분만 사진을 올릴 수 있습니다."))
    if listing.photo_count >= MAX_PHOTOS:
        raise Conflict(_("사진은 %(n)s장까지 올릴 수 있습니다.", n=MAX_PHOTOS), code="too_many_photos")
    stored = save_image(file_storage)  # decoding happens before the write transaction opens
    with kept(stored), transaction():
        listing = _locked(actor, listing_id)
        _require_manage(actor, listing, centre_ok=False)
        count = db.session.execute(
            select(func.count()).select_from(ListingPhoto).where(ListingPhoto.listing_id == listing.id)
        ).scalar_one()
        if count >= MAX_PHOTOS:
            raise Conflict(_("사진은 %(n)s장까지 올릴 수 있습니다.", n=MAX_PHOTOS), code="too_many_photos")
        photo = ListingPhoto(
            listing_id=listing.id,
            key=stored.key,
            thumb_key=stored.thumb_key,
            width=stored.width,
            height=stored.height,
            content_type=stored.content_type,
            size=stored.size,
            position=count,
        )
        db.session.add(photo)
        db.session.flush()
        _refresh_cover(listing)
    return photo


def delete_photo(actor, listing_id: int, photo_id: int) -> None:
    """The owner removes a photo; its files go too unless another row still uses them."""
    with transaction():
        listing = _locked(actor, listing_id)
        _require_manage(actor, listing, centre_ok=False)
        photo = for_update(ListingPhoto, photo_id)
        if photo is None or photo.listing_id != listing.id:
            raise NotFound(_("사진을 찾을 수 없습니다."))
        keys = (photo.key, photo.thumb_key)
        db.session.delete(photo)
        db.session.flush()
        _refresh_cover(listing)
    db.session.expire(listing, ["photos"])
    release(*keys)  # only files no other row (a photo, a news cover) still uses


track(
    ListingPhoto,
    ListingPhoto.key,
    ListingPhoto.thumb_key,
    visible=lambda photo, viewer: can_see(viewer, photo.listing),
)
