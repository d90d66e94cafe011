"""The authorisation matrix: every route of the app (web and API) x five roles, with the status each
must answer. Generated from ``app.url_map``: a route without an entry in ``tests/authz_expectations.py``
fails here, naming the route, so a new route cannot ship without deciding who may use it.

Roles: ``anonymous``; ``resident`` (owns the listing, the resource, the follow; paid the payment);
``other`` (another resident: the borrower of the loans, the reporter of the report); ``member``
(member of the verified organisation that wrote the post and took the payment); ``centre``.
Web routes are sent with a signed-in session (CSRF is off in testing), API routes with bearer tokens.

Reads (GET) share one world per module, built once in a database of their own: a GET changes
nothing another test looks at. Writes get an emptied database per test (one application per module,
its database reset before each test) whose objects are made on first use; refused roles go first and
must change nothing, and each further allowed role gets a fresh set of objects (``World.renew``) so
one role's delete is not another's 404. Also: a method no route takes answers 405 with ``Allow``, and
the API ignores a signed-in session cookie (it is exempt from CSRF because it only reads tokens).

``AUTHZ_DEBUG=1 pytest tests/test_authz_matrix.py -s`` prints every answer.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import has_app_context
from sqlalchemy.engine import make_url
from werkzeug.datastructures import FileStorage

from sharing import create_app
from sharing.core.extensions import db
from tests.authz_expectations import (
    EXPECTATIONS,
    LOGIN,
    OK,
    OK_STATUSES,
    ROLES,
    Expect,
    default_params,
)
from tests.conftest import IsolatedClient
from tests.factories import Factory

DEBUG = os.environ.get("AUTHZ_DEBUG") == "1"
SKIPPED_ENDPOINTS = {"static"}


def _routes() -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) for every route of the app, HEAD/OPTIONS aside."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI="sqlite://")
    out = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED_ENDPOINTS:
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            out.add((rule.endpoint, method, rule.rule))
    return sorted(out)


ROUTES = _routes()
READS = [r for r in ROUTES if r[1] == "GET"]
WRITES = [r for r in ROUTES if r[1] != "GET"]


def _ids(routes):
    return [f"{method} {rule}" for _endpoint, method, rule in routes]


def test_every_route_has_an_expectation():
    missing = [f"{m} {r} ({e})" for e, m, r in ROUTES if (e, m) not in EXPECTATIONS]
    assert not missing, "routes without an entry in tests/authz_expectations.py:\n  " + "\n  ".join(missing)


def test_no_expectation_for_a_route_that_is_gone():
    known = {(endpoint, method) for endpoint, method, _rule in ROUTES}
    stale = sorted(f"{m} {e}" for e, m in EXPECTATIONS if (e, m) not in known)
    assert not stale, f"expectations for routes the app no longer has: {stale}"


def test_every_entry_names_every_role():
    for key, expect in EXPECTATIONS.items():
        for variant in expect.variants():
            assert set(variant.statuses) == set(ROLES), f"{key}: roles {sorted(variant.statuses)}"


def test_the_matrix_is_not_trivial():
    """Guard against an expectations table that allows everything: the refusals are really there."""
    cells = [s for e in EXPECTATIONS.values() for v in e.variants() for s in v.statuses.values()]
    assert len(ROUTES) > 150 and len(cells) >= 5 * len(ROUTES)
    assert sum(s == 403 for s in cells) > 150 and sum(s == 401 for s in cells) > 50
    assert sum(s == LOGIN for s in cells) > 60 and sum(s == 404 for s in cells) >= 6


# --- The world the requests act on ----------------------------------------------------------------


_JPEG: bytes | None = None


def jpeg_bytes() -> bytes:
    global _JPEG
    if _JPEG is None:
        from PIL import Image

        out = io.BytesIO()
        Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
        _JPEG = out.getvalue()
    return _JPEG


class World:
    """The users (made once) and the objects the routes act on, each made on first use.

    ``renew()`` forgets the objects: the next use makes a new set owned by the same people.
    """

    OBJECTS = (
        "listing",
        "photo",
        "spare_listing",
        "loan",
        "loan_accepted",
        "loan_borrowed",
        "loan_returned",
        "message",
        "question",
        "note",
        "post",
        "resource",
        "payment",
        "report",
        "follow",
        "pending_org",
        "hidden_listing",
        "hidden_post",
        "hidden_resource",
    )

    def __init__(self, make: Factory, *, plan: bool = False):
        self.make = make
        self.users = {
            "resident": make.user(name="주민"),
            "other": make.user(name="이웃"),
            "member": make.user(name="구성원"),
            "centre": make.centre(),
        }
        stranger = make.user(name="대상")  # the one the centre's user actions act on
        self.emails = {role: user.email for role, user in self.users.items()}
        self.stranger_email = stranger.email
        self.tokens = {role: make.token(user) for role, user in self.users.items()}
        self.org_id = make.org(self.users["member"], discount_bp=500, mileage_bp=100).id
        self.fixed = {"org": self.org_id, "stranger": stranger.id, "resident_id": self.users["resident"].id}
        if plan:
            from sharing.plan.loader import load_plan

            load_plan()
        self.generation = 1
        self.objects: dict = {}
        db.session.commit()  # end the test's read snapshot: requests run in sessions of their own

    def renew(self) -> None:
        self.generation += 1
        self.objects = {}

    def build_all(self) -> None:
        for name in self.OBJECTS:
            self.get(name)

    def get(self, name: str):
        if name in self.fixed:
            return self.fixed[name]
        if name not in self.objects:
            getattr(self, f"_make_{name}")()
            db.session.commit()
        return self.objects[name]

    def value(self, ref):
        """``"@listing"`` is the object's id (made now if need be); anything else is literal."""
        if isinstance(ref, str) and ref.startswith("@"):
            return self.get(ref[1:])
        return ref

    # the objects, in the order their dependencies ask for them

    def _make_listing(self):
        from sharing.market import services as market

        listing = market.create(
            self.users["resident"],
            market.ListingInput(
                title=f"전동드릴 {self.generation}", kind="share", category="tools", dong="정릉3동"
            ),
        )
        self.objects["listing"] = listing.id

    def _make_photo(self):
        from sharing.market import services as market

        upload = FileStorage(io.BytesIO(jpeg_bytes()), filename="photo.jpg", content_type="image/jpeg")
        photo = market.add_photo(self.users["resident"], self.get("listing"), upload)
        self.objects["photo"] = photo.id
        self.objects["photo_key"] = photo.key

    def _make_photo_key(self):
        self.get("photo")

    def _make_spare_listing(self):
        from sharing.market import services as market

        listing = market.create(
            self.users["resident"],
            market.ListingInput(
                title=f"책꽂이 {self.generation}", kind="giveaway", category="furniture", dong="정릉3동"
            ),
        )
        self.objects["spare_listing"] = listing.id

    def _loan(self, name: str, offset: int, *steps):
        from sharing.market import services as market
        from sharing.market.common import today

        day = today() + timedelta(days=1 + offset)
        loan = market.request(self.users["other"], self.get("listing"), day, day, "빌릴 수 있을까요?")
        for step in steps:
            step(self.users["resident"], loan.id)
        self.objects[name] = loan.id

    def _make_loan(self):
        self._loan("loan", 0)

    def _make_loan_accepted(self):
        from sharing.market import services as market

        self._loan("loan_accepted", 2, market.accept)

    def _make_loan_borrowed(self):
        from sharing.market import services as market

        self._loan("loan_borrowed", 4, market.accept, market.handover)

    def _make_loan_returned(self):
        from sharing.market import services as market

        self._loan("loan_returned", 6, market.accept, market.handover, market.return_)

    def _make_message(self):
        from sharing.market.models import LoanMessage

        loan_id = self.get("loan")  # its request message is the first of the thread
        self.objects["message"] = db.session.execute(
            db.select(LoanMessage.id).where(LoanMessage.loan_id == loan_id)
        ).scalar_one()

    def _make_question(self):
        from sharing.market import services as market

        self.objects["question"] = market.ask_question(
            self.users["other"], self.get("listing"), "아직 있나요?"
        ).id

    def _make_note(self):
        from sharing.notify.models import Notification

        self.get("loan")  # the owner is told about the request
        self.objects["note"] = (
            db.session.execute(
                db.select(Notification.id)
                .where(Notification.user_id == self.users["resident"].id)
                .order_by(Notification.id.desc())
            )
            .scalars()
            .first()
        )

    def _make_post(self):
        from sharing.market.common import today
        from sharing.news import services as news

        post = news.create(
            self.users["member"],
            {
                "title": "개울장",
                "body": "장터가 열립니다",
                "category": "market_day",
                "organization_id": self.org_id,
                "event_date": today() + timedelta(days=10),
                "event_place": "개울가",
            },
        )
        self.objects["post"] = post.id

    def _make_resource(self):
        from sharing.archive import services as archive

        resource = archive.create(
            self.users["resident"],
            {
                "kind": "equipment",
                "name": "마을 공구함",
                "description": "누구나 빌려 쓰는 공구",
                "category": "repair",
                "dong": "정릉3동",
            },
        )
        self.objects["resource"] = resource.id

    def _make_payment(self):
        from sharing.card import services as card

        card.topup(self.users["resident"], 50_000)
        self.objects["payment"] = card.pay(self.users["resident"], self.org_id, 10_000).id

    def _make_report(self):
        from sharing.core.db import transaction
        from sharing.records.log import add_report

        listing_id = self.get("listing")
        with transaction():
            report = add_report(self.users["other"], "listing", listing_id, "spam", "광고 같아요")
        self.objects["report"] = report.id

    def _make_follow(self):
        from sharing.news.services.follows import follow

        row, _created = follow(self.users["resident"], category="education")
        self.objects["follow"] = row.id

    def _make_pending_org(self):
        from sharing.orgs import services as orgs

        org = orgs.create(
            self.users["other"],
            orgs.OrganizationInput(f"인증 대기 조직 {self.generation}", "cooperative", "종암동"),
        )
        self.objects["pending_org"] = org.id

    # hidden by the centre: 404 to everyone but their owners (the organisation's members) and the centre

    def _make_hidden_listing(self):
        from sharing.market import services as market

        listing = market.create(
            self.users["resident"],
            market.ListingInput(title="숨긴 물건", kind="share", category="tools", dong="정릉3동"),
        )
        market.set_listing_hidden(self.users["centre"], listing.id, True)
        self.objects["hidden_listing"] = listing.id

    def _make_hidden_post(self):
        from sharing.market.common import today
        from sharing.news import services as news

        post = news.create(
            self.users["member"],
            {
                "title": "숨긴 장터 소식",
                "body": "본문",
                "category": "market_day",
                "organization_id": self.org_id,
                "event_date": today() + timedelta(days=12),
                "event_place": "개울가",
            },
        )
        news.set_post_hidden(self.users["centre"], post.id, True)
        self.objects["hidden_post"] = post.id

    def _make_hidden_resource(self):
        from sharing.archive import services as archive

        resource = archive.create(
            self.users["resident"],
            {
                "kind": "equipment",
                "name": "숨긴 자원",
                "description": "설명",
                "category": "repair",
                "dong": "정릉3동",
            },
        )
        archive.set_resource_hidden(self.users["centre"], resource.id, True)
        self.objects["hidden_resource"] = resource.id


def _resolve(world: World, data):
    if callable(data):
        return _resolve(world, data(world))
    if isinstance(data, dict):
        return {k: _resolve(world, v) for k, v in data.items()}
    if isinstance(data, list):
        return [_resolve(world, v) for v in data]
    return world.value(data)


class Sender:
    """Sends one route's request as one role: bearer tokens for the API, a session for the web."""

    def __init__(self, app, world: World):
        self.app = app
        self.world = world
        self.clients: dict = {}

    def client(self, role: str):
        if role not in self.clients:
            client = self.app.test_client()
            if role != "anonymous":
                form = {"email": self.world.emails[role], "password": Factory.PASSWORD}
                assert client.post("/auth/login", data=form).status_code == 302, f"sign-in as {role} failed"
            self.clients[role] = client
        return self.clients[role]

    def send(self, role: str, method: str, rule, expect: Expect):
        params = {**default_params(rule.arguments), **expect.params}
        path = rule.build({k: _resolve(self.world, v) for k, v in params.items()}, append_unknown=False)[1]
        is_api = rule.rule.startswith("/api/")
        headers = {}
        if is_api and role != "anonymous":
            headers["Authorization"] = f"Bearer {self.world.tokens[role]}"
        headers.update(expect.headers or {})
        kwargs = {"headers": headers, "query_string": _resolve(self.world, expect.query) or None}
        if expect.json is not None:
            kwargs["json"] = _resolve(self.world, expect.json)
        elif expect.form is not None or expect.files:
            data = dict(_resolve(self.world, expect.form or {}))
            for name in expect.files:
                data[name] = (io.BytesIO(jpeg_bytes()), "photo.jpg", "image/jpeg")
            kwargs["data"] = data
        elif expect.raw is not None:
            kwargs["data"] = expect.raw
            kwargs["content_type"] = expect.content_type
        # the API ignores the session cookie: its calls go out from a client that never signed in
        client = self.client("anonymous" if is_api else role)
        return path, client.open(path, method=method, **kwargs)


def _verdict(expected, response, method: str) -> str | None:
    """None when the answer is what the matrix says, else what went wrong."""
    status = response.status_code
    location = urlsplit(response.headers.get("Location", "")).path
    if expected == LOGIN:
        back = parse_qs(urlsplit(response.headers.get("Location", "")).query).get("next", [""])[0]
        if (
            status == 302
            and location == "/auth/login"
            and back.startswith(urlsplit(response.request.path).path)
        ):
            return None
        return f"{status} {location} next={back!r}, expected a redirect to sign in and back"
    if status >= 500:
        return f"{status} (a 5xx is always a bug)"
    if expected == OK:
        if method == "GET":
            return None if status == 200 else f"{status} {location}, expected 200"
        if status in OK_STATUSES and not (status == 302 and location == "/auth/login"):
            return None
        return f"{status} {location}, expected an allowed answer {sorted(OK_STATUSES)}"
    if status != expected:
        return f"{status} {location}, expected {expected}"
    if response.request.path.startswith("/api/v1/") and status in (401, 403, 404):
        error = response.get_json(silent=True) or {}
        if not (isinstance(error.get("error"), dict) and error["error"].get("code")):
            return f"{status} without the contract's JSON error body"
    return None


def _order(statuses: dict) -> list[str]:
    """Refused roles first (they must change nothing), then the allowed ones."""
    return sorted(ROLES, key=lambda role: (statuses[role] == OK, ROLES.index(role)))


def _check(app, world: World, endpoint: str, method: str, rule_text: str, expect: Expect) -> None:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text)

    def prepare(renew: bool) -> None:
        if renew:
            world.renew()
        if expect.setup is None:
            return
        if has_app_context():  # a write test: the objects are made in its own session
            expect.setup(world)
        else:
            with app.app_context():
                expect.setup(world)

    prepare(renew=False)
    sender = Sender(app, world)
    problems = []
    for number, variant in enumerate(expect.variants()):
        if number and method != "GET":
            prepare(renew=True)  # each variant starts from objects in their first state
        allowed_before = False
        for role in _order(variant.statuses):
            expected = variant.statuses[role]
            if expected == OK and method != "GET":
                if allowed_before:
                    prepare(renew=True)
                allowed_before = True
            path, response = sender.send(role, method, rule, variant)
            problem = _verdict(expected, response, method)
            if DEBUG:
                print(
                    f"{role:9} {method} {path} -> {response.status_code} {response.headers.get('Location', '')}"
                )
                if response.status_code == 302 and expected == OK and not path.startswith("/api/"):
                    page = sender.client(role).get(response.headers["Location"]).get_data(as_text=True)
                    print("    flash:", re.findall(r'class="flash flash-(\w+)">(.*?)</p>', page))
            if problem:
                body = re.sub(r"\s+", " ", response.get_data(as_text=True)[:300])
                problems.append(f"{role:9} {method} {path}: {problem} | {body}")
    assert not problems, f"{method} {rule_text} ({endpoint}):\n  " + "\n  ".join(problems)


def _expectation(endpoint: str, method: str, rule_text: str) -> Expect:
    expect = EXPECTATIONS.get((endpoint, method))
    if expect is None:
        pytest.fail(
            f"no authorisation expectation for {method} {rule_text} ({endpoint}): "
            "add who may use it to tests/authz_expectations.py"
        )
    return expect


# --- The databases: one per module for the reads, one reset per test for the writes ---------------
#
# The ``app`` fixture builds an application per test; here one application per module serves every
# test (its compiled templates are reused), and the writes' database is emptied before each test
# (SQLite: the empty template file copied back; PostgreSQL: every table emptied, as tests/conftest.py
# does between tests).


class ModuleDatabase:
    def __init__(self, database_template, tmp_path_factory, worker_id, name: str):
        from tests.conftest import _admin_conn, _build_schema

        self.kind, self.template = database_template
        self.pg_name = None
        if self.kind == "sqlite":
            self.path = tmp_path_factory.mktemp("authz") / f"{name}.db"
            shutil.copyfile(self.template, self.path)
            self.url = f"sqlite:///{self.path}"
        else:
            self.pg_name = f"authz_{name}_{worker_id}_{uuid.uuid4().hex[:8]}"
            with _admin_conn(self.template) as conn:
                conn.execute(f'CREATE DATABASE "{self.pg_name}"')
            self.url = (
                make_url(self.template).set(database=self.pg_name).render_as_string(hide_password=False)
            )
            _build_schema(self.url)
        self.app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=self.url,
            UPLOAD_DIR=str(tmp_path_factory.mktemp(f"authz-{name}-uploads")),
        )
        self.app.test_client_class = IsolatedClient

    def reset(self) -> None:
        """Back to the empty schema."""
        from tests.conftest import _truncate_all

        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self.kind == "sqlite":
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.template, self.path)
        else:
            _truncate_all(self.url)

    def close(self) -> None:
        from tests.conftest import _admin_conn

        with self.app.app_context():
            db.session.remove()
            db.engine.dispose()
        if self.pg_name:
            with _admin_conn(self.template) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def read_world(database_template, tmp_path_factory, worker_id):
    """(app, world) on the module's read database: every object made, the plan loaded."""
    database = ModuleDatabase(database_template, tmp_path_factory, worker_id, "reads")
    with database.app.app_context():
        world = World(Factory(database.app), plan=True)
        world.build_all()
        db.session.remove()
    yield database.app, world
    database.close()


@pytest.fixture(scope="module")
def write_database(database_template, tmp_path_factory, worker_id):
    database = ModuleDatabase(database_template, tmp_path_factory, worker_id, "writes")
    yield database
    database.close()


@pytest.fixture
def write_app(write_database):
    """The module's write application on an emptied database, its app context pushed."""
    write_database.reset()
    app = write_database.app
    with app.app_context():
        yield app
        db.session.remove()


@pytest.mark.parametrize(("endpoint", "method", "rule_text"), READS, ids=_ids(READS))
def test_read_permissions(read_world, endpoint, method, rule_text):
    expect = _expectation(endpoint, method, rule_text)
    app, world = read_world
    _check(app, world, endpoint, method, rule_text, expect)


@pytest.mark.parametrize(("endpoint", "method", "rule_text"), WRITES, ids=_ids(WRITES))
def test_write_permissions(write_app, endpoint, method, rule_text):
    expect = _expectation(endpoint, method, rule_text)
    world = World(Factory(write_app), plan=expect.plan)
    _check(write_app, world, endpoint, method, rule_text, expect)


# --- Methods a route does not take: 405, never a 5xx -------------------------------------------------

RULES = sorted({(endpoint, rule) for endpoint, _method, rule in ROUTES})


@pytest.mark.parametrize(("endpoint", "rule_text"), RULES, ids=[rule for _endpoint, rule in RULES])
def test_a_method_the_route_does_not_take_is_405(read_world, endpoint, rule_text):
    """No route takes PUT: every address answers 405 (JSON with an error code under /api)."""
    app, world = read_world
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text)
    assert "PUT" not in rule.methods, "a PUT route: pick another method for this test"
    expect = EXPECTATIONS.get(next(k for k in EXPECTATIONS if k[0] == endpoint)).variants()[0]
    params = {**default_params(rule.arguments), **expect.params}
    path = rule.build({k: _resolve(world, v) for k, v in params.items()}, append_unknown=False)[1]
    response = app.test_client().put(path, json={})
    assert response.status_code == 405, f"PUT {path}: {response.status_code}"
    assert set(response.headers["Allow"].split(", ")) >= rule.methods - {"OPTIONS"} - {"HEAD"}
    if rule_text.startswith("/api/"):
        assert response.is_json and response.get_json()["error"]["code"], response.get_data(as_text=True)


# --- The API does not take the session cookie: a signed-in browser is still anonymous there ----------

COOKIE_ROUTES = [
    r
    for r in ROUTES
    if r[2].startswith("/api/")
    and EXPECTATIONS.get((r[0], r[1]))
    and EXPECTATIONS[r[0], r[1]].variants()[0].statuses["anonymous"] == 401
]


@pytest.mark.parametrize(("endpoint", "method", "rule_text"), COOKIE_ROUTES, ids=_ids(COOKIE_ROUTES))
def test_the_api_ignores_the_session_cookie(read_world, endpoint, method, rule_text):
    """The API is exempt from CSRF because it only reads bearer tokens: a session must not count."""
    app, world = read_world
    expect = EXPECTATIONS[endpoint, method].variants()[0]
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text)
    sender = Sender(app, world)
    browser = sender.client("centre")  # signed in on the web, as the most powerful role
    params = {**default_params(rule.arguments), **expect.params}
    path = rule.build({k: _resolve(world, v) for k, v in params.items()}, append_unknown=False)[1]
    body = _resolve(world, expect.json) if expect.json is not None else None
    response = browser.open(path, method=method, json=body)
    assert response.status_code == 401, f"{method} {path} with a session cookie: {response.status_code}"
