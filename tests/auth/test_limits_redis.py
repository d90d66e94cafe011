"""Two gunicorn workers share one sign-in limit through Redis (RATELIMIT_STORAGE_URI).

Each worker used to count alone in its own memory, so two workers allowed twice the limit. Here a
real gunicorn with 2 workers counts in Redis under a key prefix of its own: the (limit + 1)th
attempt is refused whichever worker answers it, and the counters are in Redis.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid

import pytest

from tests.crash.storm import Server, server_env

REDIS_URL = "redis://127.0.0.1:6379/11"
LIMIT = 4


def _redis():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        if os.environ.get("CI") == "true":
            raise  # CI has Redis on 127.0.0.1:6379: this test must run there
        pytest.skip("Redis does not answer on 127.0.0.1:6379 (outside CI only)")
    return client


@pytest.fixture
def redis_server(database_url, tmp_path):
    client = _redis()
    prefix = f"sharing-test-{uuid.uuid4().hex}"
    env = server_env(database_url, tmp_path / "instance")
    env.update(
        RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix, AUTH_RATE_LIMIT=f"{LIMIT} per hour"
    )
    srv = Server(env, tmp_path / "gunicorn.log", workers=2)
    srv.start()
    yield srv, client, prefix
    srv.stop()
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)


def _sign_in(base: str, email: str) -> int:
    request = urllib.request.Request(
        base + "/api/v1/tokens",
        data=json.dumps({"email": email, "password": "wrong-password-1"}).encode(),
        headers={"Content-Type": "application/json", "Connection": "close"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def test_two_workers_share_the_sign_in_limit_through_redis(redis_server):
    srv, client, prefix = redis_server
    email = f"{uuid.uuid4().hex[:8]}@example.kr"
    statuses = [_sign_in(srv.base, email) for _ in range(LIMIT * 3)]
    # in memory, each of the 2 workers would let LIMIT through: up to 2 x LIMIT answers of 401
    assert statuses[:LIMIT] == [401] * LIMIT
    assert statuses[LIMIT:] == [429] * (LIMIT * 2)
    assert any(prefix in key.decode() for key in client.scan_iter(f"*{prefix}*"))
