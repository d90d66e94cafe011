"""Photos for the demo listings: simple illustrations drawn with Pillow (a coloured background and an
icon-like drawing of the listing's category), stored through the same path as an upload
(``services.add_photo`` -> ``core.media.save_image``: checked, re-encoded, thumbnailed, tracked), so
``/market`` looks alive and the photo pages, thumbnails and link previews are exercised for real."""

from __future__ import annotations

import hashlib
import io

from PIL import Image, ImageDraw
from sqlalchemy import select

from ..core.extensions import db
from .models import Listing

SIZE = (800, 600)
# Soft backgrounds with enough contrast for the dark drawing on top.
PALETTE = (
    (255, 214, 165),
    (202, 255, 191),
    (155, 246, 255),
    (189, 178, 255),
    (255, 198, 255),
    (253, 255, 182),
)
INK = (40, 48, 60)
LIGHT = (250, 250, 250)


def _tools(d: ImageDraw.ImageDraw) -> None:  # a drill
    d.rounded_rectangle((220, 200, 560, 300), 30, fill=INK)
    d.rectangle((560, 235, 660, 265), fill=(120, 120, 120))
    d.rounded_rectangle((300, 300, 380, 460), 20, fill=INK)
    d.rectangle((280, 440, 420, 480), fill=INK)


def _books(d: ImageDraw.ImageDraw) -> None:  # a stack of books
    for n, colour in enumerate(((200, 60, 60), (40, 90, 170), (30, 130, 80), (220, 150, 30))):
        top = 420 - n * 70
        d.rounded_rectangle((230 + n * 12, top, 570 - n * 12, top + 60), 8, fill=colour, outline=INK, width=4)


def _kids(d: ImageDraw.ImageDraw) -> None:  # a bicycle
    for cx in (280, 520):
        d.ellipse((cx - 90, 330, cx + 90, 510), outline=INK, width=14)
    d.line((280, 420, 390, 300, 520, 420, 420, 420, 280, 420), fill=INK, width=12)
    d.line((390, 300, 380, 260, 430, 260), fill=INK, width=12)


def _leisure(d: ImageDraw.ImageDraw) -> None:  # a tent
    d.polygon(((400, 150), (620, 470), (180, 470)), fill=(30, 110, 80), outline=INK)
    d.polygon(((400, 260), (460, 470), (340, 470)), fill=INK)
    d.line((120, 475, 680, 475), fill=INK, width=8)


def _electronics(d: ImageDraw.ImageDraw) -> None:  # a screen with a speaker
    d.rounded_rectangle((200, 170, 600, 420), 18, fill=INK)
    d.rectangle((225, 195, 575, 395), fill=(120, 200, 230))
    d.rectangle((370, 420, 430, 470), fill=INK)
    d.rectangle((300, 470, 500, 490), fill=INK)


def _furniture(d: ImageDraw.ImageDraw) -> None:  # a table
    d.rectangle((170, 260, 630, 300), fill=(140, 90, 50), outline=INK, width=4)
    for x in (200, 570):
        d.rectangle((x, 300, x + 30, 480), fill=(140, 90, 50), outline=INK, width=4)


def _clothing(d: ImageDraw.ImageDraw) -> None:  # a shirt
    d.polygon(
        (
            (320, 170),
            (480, 170),
            (620, 250),
            (570, 330),
            (520, 300),
            (520, 480),
            (280, 480),
            (280, 300),
            (230, 330),
            (180, 250),
        ),
        fill=(60, 110, 190),
        outline=INK,
    )


def _food(d: ImageDraw.ImageDraw) -> None:  # a bowl
    d.chord((220, 200, 580, 520), 0, 180, fill=(230, 120, 60), outline=INK, width=6)
    d.line((200, 360, 600, 360), fill=INK, width=8)
    for x in (330, 400, 470):
        d.arc((x - 20, 220, x + 20, 330), 90, 270, fill=INK, width=6)


def _other(d: ImageDraw.ImageDraw) -> None:  # a parcel
    d.rectangle((250, 220, 550, 460), fill=(190, 140, 80), outline=INK, width=6)
    d.rectangle((385, 220, 415, 460), fill=INK)
    d.rectangle((250, 300, 550, 320), fill=INK)


DRAWINGS = {
    "tools": _tools,
    "books": _books,
    "kids": _kids,
    "leisure": _leisure,
    "electronics": _electronics,
    "furniture": _furniture,
    "clothing": _clothing,
    "food": _food,
}


def illustration(title: str, category: str) -> bytes:
    """A JPEG: a background chosen by the title (stable from run to run) and the category's drawing."""
    digest = hashlib.sha256(title.encode()).digest()
    image = Image.new("RGB", SIZE, PALETTE[digest[0] % len(PALETTE)])
    draw = ImageDraw.Draw(image)
    for n in range(6):  # a few soft dots so two listings of a category differ
        x, y = digest[1 + n] * 3, digest[8 + n] * 2
        draw.ellipse((x, y, x + 40, y + 40), fill=LIGHT)
    DRAWINGS.get(category, _other)(draw)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    out.seek(0)
    return out.getvalue()


def add_demo_photos(titles: set[str]) -> int:
    """One illustration for each listing titled in ``titles`` that has no photo yet, uploaded as its
    owner. Answers how many were added; a second run adds none."""
    from . import services

    listings = db.session.execute(
        select(Listing).where(Listing.title.in_(titles), Listing.photo_count == 0).order_by(Listing.id)
    ).scalars()
    added = 0
    for listing in list(listings):
        data = illustration(listing.title, listing.category)
        services.add_photo(listing.owner, listing.id, io.BytesIO(data))
        added += 1
    return added
