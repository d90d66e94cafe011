"""Stored photo files: shared by content hash, so deleted only when no row uses them; served only to a
viewer who may see a listing (or post) using them; large images refused or decoded at reduced size."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from sharing.core import media
from sharing.market import services
from tests.market.test_photos import upload

SAME = Image.new("RGB", (60, 40), (10, 200, 30))


def _png(img=SAME) -> bytes:
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


def test_deleting_my_photo_keeps_the_file_another_listing_uses(client, make, auth, market):
    mine, theirs = make.user(), make.user()
    a, b = market.listing(mine), market.listing(theirs)
    first = upload(client, a.id, _png(), auth.headers(mine)).json
    second = upload(client, b.id, _png(), auth.headers(theirs)).json
    assert first["url"] == second["url"]  # one file for the same bytes
    r = client.delete(f"/api/v1/listings/{a.id}/photos/{first['id']}", headers=auth.headers(mine))
    assert r.status_code == 204
    assert client.get(second["url"]).status_code == 200 and client.get(second["thumb_url"]).status_code == 200
    r = client.delete(f"/api/v1/listings/{b.id}/photos/{second['id']}", headers=auth.headers(theirs))
    assert r.status_code == 204
    assert not media.storage().exists(second["url"].rsplit("/", 1)[1])  # no row left: gone


def test_deleting_my_photo_keeps_a_news_cover_with_the_same_bytes(client, make, auth, market):
    author = make.user()
    org = make.org(author)
    headers = auth.headers(author)
    post = client.post(
        "/api/v1/posts",
        json={"title": "장터", "body": "본문", "category": "notice", "organization_id": org.id},
        headers=headers,
    ).json
    cover = client.post(
        f"/api/v1/posts/{post['id']}/cover",
        data={"file": (io.BytesIO(_png()), "cover.png")},
        headers=headers,
        content_type="multipart/form-data",
    ).json
    listing = market.listing(author)
    photo = upload(client, listing.id, _png(), headers).json
    assert photo["url"] == cover["cover_url"]
    assert (
        client.delete(f"/api/v1/listings/{listing.id}/photos/{photo['id']}", headers=headers).status_code
        == 204
    )
    assert client.get(cover["cover_url"]).status_code == 200


@pytest.mark.parametrize("how", ["hidden", "deleted"])
def test_photos_of_hidden_or_deleted_listings_are_not_served(client, make, auth, market, how):
    owner, stranger, centre = make.user(), make.user(), make.centre()
    listing = market.listing(owner)
    photo = upload(client, listing.id, _png(Image.new("RGB", (30, 30), (1, 2, 3))), auth.headers(owner)).json
    assert client.get(photo["url"]).headers["Cache-Control"].startswith("public")
    if how == "hidden":
        services.set_listing_hidden(centre, listing.id, True)
    else:
        services.delete(owner, listing.id)
    for url in (photo["url"], photo["thumb_url"]):
        assert client.get(url).status_code == 404  # anonymous
        assert client.get(url, headers=auth.headers(stranger)).status_code == 404
    if how == "hidden":  # the owner and the centre still see the listing, so its photos
        for viewer in (owner, centre):
            r = client.get(photo["url"], headers=auth.headers(viewer))
            assert r.status_code == 200 and r.headers["Cache-Control"] == "private, no-store"


def test_two_uploads_of_the_same_bytes_at_once_both_store_the_file(app, tmp_path, monkeypatch):
    """Both pass the "already there?" check before either renames its copy into place."""
    store = media.Storage(tmp_path)
    replace = media.os.replace
    calls = []

    def interleaved(src, dst):
        calls.append(src)
        if len(calls) == 1:  # the other upload finishes in between
            store.put("ab" + "c" * 62, b"same bytes")
        replace(src, dst)

    monkeypatch.setattr(media.os, "replace", interleaved)
    store.put("ab" + "c" * 62, b"same bytes")
    assert len(calls) == 2 and calls[0] != calls[1]
    assert store.path("ab" + "c" * 62).read_bytes() == b"same bytes"
    assert [p.name for p in (tmp_path / "ab").iterdir()] == ["ab" + "c" * 62]  # no copy left behind


def test_a_stored_file_no_row_uses_is_not_served(client, app):
    media.storage().put("ab" + "0" * 62 + ".png", _png())
    assert client.get("/media/ab" + "0" * 62 + ".png").status_code == 404


def test_the_pixel_cap_is_configurable_and_lower(client, make, auth, market, app):
    owner = make.user()
    listing = market.listing(owner)
    assert app.config["IMAGE_MAX_PIXELS"] <= 24_000_000
    app.config["IMAGE_MAX_PIXELS"] = 100 * 100
    big = _png(Image.new("RGB", (101, 100)))
    r = upload(client, listing.id, big, auth.headers(owner), "big.png")
    assert r.status_code == 422 and "file" in r.json["error"]["fields"]
    assert (
        upload(client, listing.id, _png(Image.new("RGB", (100, 100))), auth.headers(owner)).status_code == 201
    )


def test_large_jpegs_are_decoded_at_reduced_size(app, monkeypatch):
    """draft() before load: a 4000×3000 JPEG is decoded at 1/2 scale (2000×1500, still past the
    1600-pixel full size), a quarter of the memory."""
    decoded = []
    real_transpose = media.ImageOps.exif_transpose

    def spy(img, **kw):
        decoded.append(img.size)  # the image as decoded, before any resizing
        return real_transpose(img, **kw)

    monkeypatch.setattr(media.ImageOps, "exif_transpose", spy)
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (90, 90, 90)).save(out, "JPEG", quality=60)
    with app.test_request_context():
        stored = media.save_image(io.BytesIO(out.getvalue()))
    assert decoded == [(2000, 1500)]
    assert (stored.width, stored.height) == (1600, 1200)


def test_decoding_past_the_budget_waits_for_the_others(app):
    """Two decodes that together pass IMAGE_DECODE_BUDGET_MB do not run at the same time."""
    import threading

    app.config["IMAGE_DECODE_BUDGET_MB"] = 1
    budget = media.DecodeBudget()
    first_in, release_first, second_in = threading.Event(), threading.Event(), threading.Event()

    def hold(event_in, until=None):
        with app.app_context(), budget.reserve(700_000):
            event_in.set()
            if until is not None:
                until.wait(30)

    first = threading.Thread(target=hold, args=(first_in, release_first))
    first.start()
    assert first_in.wait(30)
    second = threading.Thread(target=hold, args=(second_in,))
    second.start()
    assert not second_in.wait(0.3)  # 0.7 MB + 0.7 MB > 1 MB: it waits
    release_first.set()
    assert second_in.wait(30)
    first.join(30)
    second.join(30)
    with app.app_context(), budget.reserve(5_000_000):  # larger than the whole budget: runs alone
        pass
