"""Schemathesis over ``/api/v1/openapi.json`` as a signed-in resident (issue: API fuzzing).

The schema is read from the application itself (WSGI, no network). Every operation is one pytest item
with its own fresh database, seeded so that the ids fuzzers like (1, 2) name real objects: a verified
organisation with a card policy, listings, a loan request, a post, a resource, a card top-up and a
payment. Each operation runs a bounded, derandomised number of examples (positive and negative data,
schemathesis' examples, coverage and fuzzing phases) and every answer must:

- not be a 5xx (``not_a_server_error``);
- carry a status code documented for the route (``status_code_conformance``: the route's
  ``@doc(errors=...)``);
- match the documented content type and response schema (``content_type_conformance``,
  ``response_schema_conformance``).

Runs on SQLite in the default suite and on PostgreSQL with ``TEST_DATABASE_URL``.
"""

from __future__ import annotations

import contextvars
import os
from dataclasses import dataclass

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import text

from sharing import create_app
from sharing.auth.services import find_by_email
from sharing.card.services import audit as card_audit
from sharing.core.extensions import db
from tests.conftest import BACKEND
from tests.factories import Factory
from tests.fuzz.world import CENTRE_EMAIL, seed

pytestmark = pytest.mark.slow

# Examples per operation (the fuzzing phase); CI keeps it small so the whole run takes minutes.
# Exploring by hand: FUZZ_MAX_EXAMPLES=100 FUZZ_RANDOM=1 (a new random seed each run).
MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", "6"))
DERANDOMIZE = not os.environ.get("FUZZ_RANDOM")
ROLE = os.environ.get("FUZZ_ROLE", "resident")  # exploring by hand: FUZZ_ROLE=centre
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema_app() -> Flask:
    """An app only to serve the OpenAPI document (built from the url_map, no database needed)."""
    return create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://", LOG_LEVEL="WARNING")


schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _schema_app())


SEEDED_IDS = (1, 2)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """Half the fuzzed ids name a seeded object (1 or 2), so the fuzzer gets past the 404."""
    ints = [name for name, value in (path_parameters or {}).items() if _is_int(value)]
    if not ints:
        return st.just(path_parameters)
    return st.sampled_from(
        [path_parameters, *({**path_parameters, **dict.fromkeys(ints, n)} for n in SEEDED_IDS)]
    )


PAST_INT4 = 2**31  # the first id no integer column holds: refused with 4xx, never a driver overflow


def _with_ids(values: dict) -> st.SearchStrategy:
    """``values`` as generated, or with every ``*_id`` naming a seeded object, or past int4."""
    ids = [name for name, value in values.items() if name.endswith("_id") and _is_int(value)]
    options = [values]
    if ids:
        options += [{**values, **dict.fromkeys(ids, n)} for n in (1, PAST_INT4)]
    amount = values.get("amount")
    if _is_int(amount) and amount > 20_000:  # an amount the resident's card can pay
        options.append({**options[-2 if ids else 0], "amount": amount % 20_000 + 1})
    return st.sampled_from(options)


@schema.hook
def flatmap_body(context, body):
    """Bodies sometimes name the seeded organisation (``*_id`` = 1), an id past int4, and an amount
    the card can pay, so money really moves under fuzzing (the rest stays as generated)."""
    return _with_ids(body) if isinstance(body, dict) else st.just(body)


@schema.hook
def flatmap_query(context, query):
    """Query filters by id (``organization_id``, ``actor_id`` ...): seeded, past int4 or as generated."""
    return _with_ids(query) if isinstance(query, dict) else st.just(query)


@dataclass
class FuzzEnv:
    app: Flask
    headers: dict[str, str]


@pytest.fixture
def fuzz_env(app_factory) -> FuzzEnv:
    # The checker reads bodies as sent; gzip has its own tests (tests/perf/test_compression.py).
    app = app_factory(PROPAGATE_TEST_ERRORS=False, COMPRESS_RESPONSES=False)
    token = seed(app)
    if ROLE == "centre":
        with app.app_context():
            token = Factory(app).token(find_by_email(CENTRE_EMAIL))
            db.session.remove()
    yield FuzzEnv(app, {"Authorization": f"Bearer {token}"})
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=DERANDOMIZE,
    database=None,
    phases=[Phase.explicit, Phase.generate, Phase.shrink],
    suppress_health_check=list(HealthCheck),
)
def test_api_answers_as_documented(case, fuzz_env):
    money = case.method == "POST" and case.path.startswith(MONEY_PATHS)
    before = _ledger_head(fuzz_env.app) if money else None
    response = contextvars.Context().run(case.call, app=fuzz_env.app, headers=fuzz_env.headers)
    case.validate_response(response, checks=CHECKS, headers=fuzz_env.headers)
    if money:
        # A refused call moves nothing, and whatever was accepted leaves the ledger's audit clean.
        if response.status_code >= 400:
            assert _ledger_head(fuzz_env.app) == before, (case.path, response.status_code)
        with fuzz_env.app.app_context():
            report = card_audit()
            db.session.remove()
        assert report.ok, report.problems[:3]


MONEY_PATHS = ("/api/v1/card/", "/api/v1/requests/")  # payments, top-ups, refunds, card-paid hand-overs


def _ledger_head(app: Flask) -> tuple:
    with app.app_context():
        head = db.session.execute(text("SELECT seq, hash FROM card_ledger_head")).first()
        db.session.remove()
    return tuple(head) if head else (0, None)


def test_the_seeded_world_has_the_small_ids(fuzz_env):
    """On either backend (PostgreSQL's sequences restarted) the seeded objects are numbers 1 and 2,
    the ids the path hooks aim at, and the fuzzing resident's card has money to move."""
    if ROLE != "resident":
        pytest.skip("the seeded ids are checked as the resident")
    client = fuzz_env.app.test_client()
    with fuzz_env.app.app_context():
        assert db.engine.dialect.name == BACKEND
    me = client.get("/api/v1/me", headers=fuzz_env.headers).get_json()
    assert me["id"] == 1 and [o["id"] for o in me["organizations"]] == [1]
    assert client.get("/api/v1/listings/1").get_json()["owner"]["id"] == 2
    assert client.get("/api/v1/listings/2").get_json()["owner"]["id"] == 1
    assert client.get("/api/v1/requests/1", headers=fuzz_env.headers).get_json()["status"] == "requested"
    assert client.get("/api/v1/posts/1").status_code == 200
    assert client.get("/api/v1/resources/1").status_code == 200
    assert client.get("/api/v1/card", headers=fuzz_env.headers).get_json()["balance"] > 0


def test_success_statuses_beside_201_match_the_document(fuzz_env):
    """Answers a random body rarely reaches: following twice (201, then 200 "already following") and
    the centre's CSV import dry run (200 with the preview). Each is checked against the document."""
    app = fuzz_env.app
    with app.app_context():
        centre = {"Authorization": f"Bearer {Factory(app).token(find_by_email(CENTRE_EMAIL))}"}
        db.session.remove()
    follow = schema["/api/v1/follows"]["POST"]
    statuses = []
    for _ in range(2):
        case = follow.Case(body={"organization_id": 1}, media_type="application/json")
        response = contextvars.Context().run(case.call, app=app, headers=fuzz_env.headers)
        case.validate_response(response, checks=CHECKS, headers=fuzz_env.headers)
        statuses.append(response.status_code)
    assert statuses == [201, 200]
    csv = "kind,category,name,description,dong,tags,external_id\nequipment,food,사다리,빌려요,정릉3동,,x-1\n"
    case = schema["/api/v1/resources/import"]["POST"].Case(query={"dry_run": True})
    headers = {**centre, "Content-Type": "text/csv; charset=utf-8"}
    response = contextvars.Context().run(
        app.test_client().post, "/api/v1/resources/import?dry_run=1", data=csv.encode(), headers=headers
    )
    assert response.status_code == 200, response.get_json()
    case.validate_response(response, checks=CHECKS, headers=headers)
