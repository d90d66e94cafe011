"""Browser journeys in Debian's Chromium through Playwright, against a live server.

Fixtures for every journey (market, card, news and centre journeys reuse them):

- ``live_server``: the application served by werkzeug on 127.0.0.1 (a free port) in a thread, on a
  temporary SQLite database built with ``create_all``, stamped at the migrations' head, and seeded
  with ``flask seed demo``. CSRF is ON, as in production. ``live_server.url``, ``.app``,
  ``.accounts`` (``{"centre": (email, password), "minji": ...}``), ``.login(page, email,
  password)``, ``.login_as(page, "minji")``, ``.logout(page)``, ``.app_context()``.
- ``browser``: one headless Chromium per test session (``/usr/bin/chromium``, ``--no-sandbox``).
- ``page``: a fresh context at a 390×844 phone viewport, Korean locale. At teardown it asserts no
  console errors (CSP violations show up there), no request to any host but the live server, and
  ``<html lang="ko">`` on the last page. A test that expects otherwise adjusts ``page.checks``:
  ``page.checks.lang = "en"``, ``page.checks.console_errors.clear()``. Chromium's console note on a document answered 4xx on
  purpose (the form again with 422, a 404 page) is not counted; a failing script, style sheet or
  image is.
- ``new_page(width, height)``: more pages (another viewport, a second user) with the same checks.

Mark journeys ``@pytest.mark.browser``. Without /usr/bin/chromium they skip ("Debian chromium not
installed"), except under ``CI=true``, where they fail: CI installs the browser (.ci/run).
Never run ``playwright install``: the browser is Debian's.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = "/usr/bin/chromium"
PHONE = {"width": 390, "height": 844}


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI") == "true":
        pytest.fail("Debian chromium not installed at /usr/bin/chromium (CI must install it: .ci/run)")
    pytest.skip("Debian chromium not installed")


# --- the live server --------------------------------------------------------------------------


class LiveServer:
    def __init__(self, app, url: str, accounts: dict[str, tuple[str, str]]):
        self.app = app
        self.url = url
        self.accounts = accounts
        self.host = urlsplit(url).netloc

    def app_context(self):
        """Read or change the server's database from the test (``with live_server.app_context():``)."""
        return self.app.app_context()

    def login(self, page, email: str, password: str, next_path: str | None = None) -> None:
        path = "/auth/login" + (f"?next={next_path}" if next_path else "")
        page.goto(self.url + path)
        form = page.locator("main form")
        form.get_by_label("이메일", exact=True).fill(email)
        form.get_by_label("비밀번호", exact=True).fill(password)
        with page.expect_navigation():
            form.get_by_role("button", name="로그인").click()
        if "/auth/login" in page.url:
            raise AssertionError(f"sign-in failed for {email}: {page.locator('main').inner_text()}")

    def login_as(self, page, who: str, next_path: str | None = None) -> None:
        email, password = self.accounts[who]
        self.login(page, email, password, next_path)

    def logout(self, page) -> None:
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name="로그아웃").click()


def _build_app(db_path: Path, uploads: Path):
    from sharing import create_app

    return create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{db_path}",
        UPLOAD_DIR=str(uploads),
        WTF_CSRF_ENABLED=True,
        RATELIMIT_ENABLED=False,
        PROPAGATE_TEST_ERRORS=False,
        PROPAGATE_EXCEPTIONS=False,
        SERVER_NAME=None,
    )


def _prepare_database(app) -> None:
    from flask_migrate import stamp

    from sharing.core.extensions import db

    with app.app_context():
        db.create_all()
        stamp()  # the schema is the models' = the head revision; /healthz answers 200
        db.session.remove()
    result = app.test_cli_runner().invoke(args=["seed", "demo"])
    if result.exit_code != 0:
        raise RuntimeError(f"seed demo failed: {result.output}\n{result.exception!r}")
    with app.app_context():
        db.session.remove()


def _demo_accounts() -> dict[str, tuple[str, str]]:
    from sharing.auth import demo

    accounts = {"centre": (demo.CENTRE[0], demo.CENTRE[1])}
    for email, password, _name, _dong in demo.RESIDENTS:
        accounts[email.split("@")[0]] = (email, password)
    return accounts


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    from werkzeug.serving import make_server

    root = tmp_path_factory.mktemp("live")
    app = _build_app(root / "live.db", root / "uploads")
    _prepare_database(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, f"http://127.0.0.1:{server.server_port}", _demo_accounts())
    finally:
        server.shutdown()
        thread.join(10)
        with app.app_context():
            from sharing.core.extensions import db

            db.engine.dispose()


# --- the browser and its pages ----------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


@dataclass
class PageChecks:
    """What the page fixture asserts at teardown; tests adjust it when they mean otherwise."""

    server_host: str
    lang: str | None = "ko"
    console_errors: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    documents: set[str] = field(default_factory=set)

    def on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} @ {message.location.get('url', '')}")

    def on_response(self, response) -> None:
        if response.request.resource_type == "document":
            self.documents.add(response.url)

    def real_console_errors(self) -> list[str]:
        """Console errors, less Chromium's note on a page answered 4xx on purpose (a form shown
        again with 422, a 404 page): those are the server's answers, not broken pages."""
        kept = []
        for entry in self.console_errors:
            text, _sep, url = entry.rpartition(" @ ")
            if text.startswith("Failed to load resource: the server responded with a status of 4") and (
                url in self.documents
            ):
                continue
            kept.append(entry)
        return kept

    def on_page_error(self, error) -> None:
        self.console_errors.append(f"uncaught: {error}")

    def on_request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.server_host:
            self.foreign_requests.append(request.url)


def _open_page(browser, live_server, checks_list: list, *, width: int, height: int):
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="ko-KR", base_url=live_server.url
    )
    context.set_default_timeout(20_000)  # 2 shared cores in CI: generous, still finite
    page = context.new_page()
    checks = PageChecks(server_host=live_server.host)
    page.on("console", checks.on_console)
    page.on("pageerror", checks.on_page_error)
    context.on("request", checks.on_request)
    page.on("response", checks.on_response)
    page.checks = checks
    checks_list.append((context, page, checks))
    return page


def _verify(live_server, context, page, checks: PageChecks) -> list[str]:
    problems = []
    lang = None
    if checks.lang is not None and page.url.startswith(live_server.url):
        lang = page.evaluate("document.documentElement.lang")
    context.close()
    if checks.real_console_errors():
        problems.append(f"console errors: {checks.real_console_errors()}")
    if checks.foreign_requests:
        problems.append(f"requests left the server: {checks.foreign_requests}")
    if checks.lang is not None and lang is not None and lang != checks.lang:
        problems.append(f'<html lang="{lang}">, expected "{checks.lang}"')
    return problems


@pytest.fixture
def new_page(browser, live_server):
    opened: list = []

    def make(width: int = PHONE["width"], height: int = PHONE["height"]):
        return _open_page(browser, live_server, opened, width=width, height=height)

    yield make
    problems = [p for context, page, checks in opened for p in _verify(live_server, context, page, checks)]
    assert not problems, "; ".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


def scroll_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def text_of(page, selector: str = "main") -> str:
    return re.sub(r"\s+", " ", page.locator(selector).inner_text())
