"""One log line per request: method, path, status, duration, user; JSON per line when asked."""

from __future__ import annotations

import json
import logging

from sharing.ops.logs import JsonFormatter, configure_logging
from tests.factories import Factory


def _ours():
    return [h for h in logging.getLogger().handlers if getattr(h, "_sharing_handler", False)]


def test_building_apps_again_does_not_add_handlers(app_factory):
    app_factory()
    app_factory(LOG_FORMAT="json")
    app_factory()
    assert len(_ours()) == 1


def test_json_request_lines(app_factory, make, capsys):
    user = make.user()
    app = app_factory(LOG_FORMAT="json")
    client = app.test_client()
    capsys.readouterr()
    client.post("/auth/login", data={"email": user.email, "password": Factory.PASSWORD})
    client.get("/organizations?kind=cooperative")
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {make.token(user)}"})
    client.get("/nowhere")
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    access = [entry for entry in lines if entry["logger"] == "sharing.access"]
    assert [(e["method"], e["path"], e["status"]) for e in access] == [
        ("POST", "/auth/login", 302),
        ("GET", "/organizations", 200),
        ("GET", "/api/v1/me", 200),
        ("GET", "/nowhere", 404),
    ]
    assert access[0]["user"] == str(user.id)  # signed in by this very request
    assert access[1]["user"] == str(user.id)  # the session cookie
    assert access[2]["user"] == str(user.id)  # the bearer token's user
    assert access[3]["user"] == str(user.id)
    for entry in access:
        assert isinstance(entry["duration_ms"], float) and entry["duration_ms"] >= 0
        assert entry["level"] == "INFO"
        assert entry["time"].endswith("+00:00")
        assert "kind=cooperative" not in entry["path"]  # the query string (maybe personal) is not logged


def test_text_request_lines(app_factory, capsys):
    app = app_factory(LOG_FORMAT="text")
    capsys.readouterr()
    app.test_client().get("/organizations")
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "sharing.access" in line)
    assert "INFO sharing.access: GET /organizations 200 " in line
    assert "ms user=None" in line


def test_json_formatter_keeps_the_exception_for_the_log():
    try:
        raise ValueError("broken")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "sharing.x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info()
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "failed here"
    assert entry["level"] == "ERROR"
    assert "ValueError: broken" in entry["exception"]


def test_loggers_muted_by_a_migration_run_speak_again(app):
    logger = logging.getLogger("sharing.access")
    logger.disabled = True  # what alembic's fileConfig does to existing loggers
    configure_logging(app)
    assert not logger.disabled
