"""A news cover's files: a replaced, removed or deleted post's cover goes from the disk unless another
row uses the same bytes; a failed write leaves no file behind; and a ``release`` of the same bytes
racing a new upload never leaves a committed row naming a missing file."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage

from sharing.core import media
from sharing.core.db import transaction
from sharing.core.extensions import db
from sharing.news import services
from sharing.news.models import Post


def _png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, "PNG")
    return out.getvalue()


def _file(colour) -> FileStorage:
    return FileStorage(io.BytesIO(_png(colour)), filename="cover.png", content_type="image/png")


def _on_disk(*keys) -> list[bool]:
    store = media.storage()
    return [store.exists(k) for k in keys]


def test_replacing_a_cover_deletes_the_old_files(app, cast, write, client):
    post_id = write()
    first = services.set_cover(cast.author, post_id, _file((200, 10, 10)))
    old = (first.cover_key, first.cover_thumb_key)
    assert _on_disk(*old) == [True, True]
    second = services.set_cover(cast.author, post_id, _file((10, 10, 200)))
    assert second.cover_key != old[0]
    assert _on_disk(*old) == [False, False]
    assert _on_disk(second.cover_key, second.cover_thumb_key) == [True, True]
    assert client.get(f"/media/{old[0]}").status_code == 404
    assert client.get(f"/media/{second.cover_key}").status_code == 200


def test_the_same_cover_uploaded_again_stays(app, cast, write):
    post_id = write()
    first = services.set_cover(cast.author, post_id, _file((1, 2, 3)))
    again = services.set_cover(cast.author, post_id, _file((1, 2, 3)))
    assert again.cover_key == first.cover_key
    assert _on_disk(again.cover_key, again.cover_thumb_key) == [True, True]


def test_removing_the_cover_and_deleting_the_post_delete_the_files(app, cast, write):
    kept_id, deleted_id = write(), write()
    a = services.set_cover(cast.author, kept_id, _file((5, 150, 5)))
    a_keys = (a.cover_key, a.cover_thumb_key)
    services.remove_cover(cast.author, kept_id)
    assert _on_disk(*a_keys) == [False, False]
    b = services.set_cover(cast.author, deleted_id, _file((5, 5, 150)))
    b_keys = (b.cover_key, b.cover_thumb_key)
    services.delete(cast.author, deleted_id)
    assert _on_disk(*b_keys) == [False, False]


def test_a_cover_another_post_shares_is_kept(app, cast, write):
    one, two = write(), write()
    shared = services.set_cover(cast.author, one, _file((9, 9, 9)))
    services.set_cover(cast.author, two, _file((9, 9, 9)))
    services.delete(cast.author, one)
    assert _on_disk(shared.cover_key, shared.cover_thumb_key) == [True, True]


def test_a_failed_write_leaves_no_file(app, cast, write):
    post_id = write()
    image = media.save_image(_file((78, 1, 1)))
    with pytest.raises(RuntimeError), media.kept(image), transaction():
        db.session.get(Post, post_id).cover_key = image.key
        raise RuntimeError("the write fails after the files are on disk")
    assert _on_disk(image.key, image.thumb_key) == [False, False]
    assert db.session.get(Post, post_id).cover_key is None


def test_a_release_between_the_upload_and_its_commit_is_undone(app, cast, write):
    """The upload wrote the files (the same bytes as a file another row just let go), then a release
    of those bytes ran before the upload's row committed: the files are written again."""
    post_id = write()
    image = media.save_image(_file((40, 80, 120)))
    media.release(image.key, image.thumb_key)  # no committed row names them yet: deleted
    assert _on_disk(image.key, image.thumb_key) == [False, False]
    with media.kept(image), transaction():
        post = db.session.get(Post, post_id)
        post.cover_key, post.cover_thumb_key = image.key, image.thumb_key
    assert _on_disk(image.key, image.thumb_key) == [True, True]


def test_a_row_committed_while_the_release_looks_keeps_the_file(app, cast, write, monkeypatch):
    """The release saw no row, then the upload's row committed before the file was gone: the release
    looks again after moving the file aside, finds the row, and puts the file back."""
    post_id = write()
    image = media.save_image(_file((120, 80, 40)))
    looks = []
    real = media._holders_of

    def holders(key):
        looks.append(key)
        if len(looks) == 1:  # the first look: the upload's row is not committed yet
            with transaction():
                post = db.session.get(Post, post_id)
                post.cover_key, post.cover_thumb_key = image.key, image.thumb_key
            return iter(())
        return real(key)

    monkeypatch.setattr(media, "_holders_of", holders)
    media.release(image.key)
    assert looks == [image.key, image.key]
    assert _on_disk(image.key) == [True]
