"""Photos: EXIF (GPS) removal, type and size checks, the limit of eight, deletion by the owner."""

from __future__ import annotations

import io

from PIL import Image

from sharing.core.extensions import db
from sharing.market.models import Listing


def jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (640, 480), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (37.0, 35.0, 20.0)
    gps[3] = "E"
    gps[4] = (127.0, 1.0, 0.0)
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the fixture really carries GPS
        assert check.getexif().get_ifd(0x8825)
    return data


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 50), (0, 0, 255)).save(out, "PNG")
    return out.getvalue()


def upload(client, listing_id, data, headers, name="photo.jpg"):
    return client.post(
        f"/api/v1/listings/{listing_id}/photos",
        data={"file": (io.BytesIO(data), name)},
        headers=headers,
        content_type="multipart/form-data",
    )


def test_exif_and_gps_are_stripped(client, make, auth, market, app):
    owner = make.user()
    listing = market.listing(owner)
    r = upload(client, listing.id, jpeg_with_gps(), auth.headers(owner))
    assert r.status_code == 201, r.json
    stored = client.get(r.json["url"])
    assert stored.status_code == 200 and "immutable" in stored.headers["Cache-Control"]
    with Image.open(io.BytesIO(stored.data)) as img:
        assert img.format == "JPEG"
        exif = img.getexif()
        assert not exif.get_ifd(0x8825)
        assert 0x010F not in exif
        assert "exif" not in img.info
    assert b"TestCamera" not in stored.data
    thumb = client.get(r.json["thumb_url"])
    assert thumb.status_code == 200 and b"TestCamera" not in thumb.data
    got = client.get(f"/api/v1/listings/{listing.id}").json
    assert len(got["photos"]) == 1
    assert db.session.get(Listing, listing.id).cover_thumb_key == r.json["thumb_url"].rsplit("/", 1)[1]


def test_photo_rules(client, make, auth, market, app):
    owner, other = make.user(), make.user()
    listing = market.listing(owner)
    assert upload(client, listing.id, png(), {}).status_code == 401
    assert upload(client, listing.id, png(), auth.headers(other)).status_code == 403
    assert upload(client, listing.id, png(), auth.headers(make.centre())).status_code == 403
    assert upload(client, 99999, png(), auth.headers(owner)).status_code == 404
    r = upload(client, listing.id, b"GIF89a not really", auth.headers(owner), "x.gif")
    assert r.status_code == 422 and "file" in r.json["error"]["fields"]
    gif = io.BytesIO()
    Image.new("RGB", (10, 10)).save(gif, "GIF")
    assert upload(client, listing.id, gif.getvalue(), auth.headers(owner), "x.gif").status_code == 422
    r = client.post(
        f"/api/v1/listings/{listing.id}/photos",
        data={},
        headers=auth.headers(owner),
        content_type="multipart/form-data",
    )
    assert r.status_code == 422
    app.config["IMAGE_MAX_BYTES"] = 1000
    assert upload(client, listing.id, jpeg_with_gps() + b"\0" * 2000, auth.headers(owner)).status_code == 413
    app.config["IMAGE_MAX_BYTES"] = 5 * 1024 * 1024
    assert db.session.get(Listing, listing.id).photo_count == 0


def test_eight_photos_at_most_and_delete(client, make, auth, market, app):
    owner, other = make.user(), make.user()
    listing = market.listing(owner)
    ids = []
    for n in range(8):
        out = io.BytesIO()
        Image.new("RGB", (20, 20), (n * 20, 0, 0)).save(out, "PNG")
        r = upload(client, listing.id, out.getvalue(), auth.headers(owner), f"{n}.png")
        assert r.status_code == 201
        ids.append(r.json["id"])
    r = upload(client, listing.id, png(), auth.headers(owner))
    assert r.status_code == 409 and r.json["error"]["code"] == "too_many_photos"
    url = f"/api/v1/listings/{listing.id}/photos/{ids[0]}"
    assert client.delete(url, headers=auth.headers(other)).status_code == 403
    first_key = client.get(f"/api/v1/listings/{listing.id}").json["photos"][0]["url"]
    assert client.delete(url, headers=auth.headers(owner)).status_code == 204
    assert client.delete(url, headers=auth.headers(owner)).status_code == 404
    assert client.get(first_key).status_code == 404
    got = client.get(f"/api/v1/listings/{listing.id}").json
    assert len(got["photos"]) == 7 and ids[0] not in [p["id"] for p in got["photos"]]
    assert upload(client, listing.id, png(), auth.headers(owner)).status_code == 201
