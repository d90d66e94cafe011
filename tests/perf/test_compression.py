"""HTML and JSON answers are gzipped for clients that accept it, unless a proxy does it
(``COMPRESS_RESPONSES`` off)."""

from __future__ import annotations

import gzip

import pytest


@pytest.mark.parametrize("path", ["/news", "/api/v1/listings", "/market"])
def test_gzip_when_accepted(client, seed, path):
    seed(25)
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": "gzip, br"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert len(packed.data) < len(plain.data) / 2
    assert gzip.decompress(packed.data) == plain.data


def test_switched_off_behind_a_proxy(app_factory):
    on = app_factory().test_client().get("/privacy", headers={"Accept-Encoding": "gzip"})
    off = (
        app_factory(COMPRESS_RESPONSES=False)
        .test_client()
        .get("/privacy", headers={"Accept-Encoding": "gzip"})
    )
    assert on.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in off.headers


def test_small_answers_and_files_stay_plain(client):
    response = client.get("/favicon.ico", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in response.headers
