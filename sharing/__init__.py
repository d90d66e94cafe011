"""성북 공유 플랫폼 — Seongbuk-gu community sharing platform."""

from __future__ import annotations

import time

from flask import Flask, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import inspect as sa_inspect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from config import pick_config

from .card.keys import init_app as init_ledger_keys
from .core import compression, i18n
from .core.db import configure_engine
from .core.errors import register_errors
from .core.extensions import babel, csrf, db, limiter, login_manager, migrate
from .ops.logs import access_logged, configure_logging, log_request
from .optional import optional_import

BLUEPRINT_MODULES = (
    "sharing.main.views",
    "sharing.auth.views",
    "sharing.auth.api",
    "sharing.orgs.views",
    "sharing.orgs.api",
    "sharing.archive.views",
    "sharing.archive.api",
    "sharing.market.views",
    "sharing.market.api",
    "sharing.news.views",
    "sharing.news.api",
    "sharing.card.views",
    "sharing.card.api",
    "sharing.card.ledger_views",
    "sharing.admin.views",
    "sharing.admin.api",
    "sharing.plan.views",
    "sharing.plan.api",
    "sharing.notify.views",
    "sharing.ops.views",
    "sharing.web.openapi",
)

MODEL_MODULES = (
    "sharing.auth.models",
    "sharing.orgs.models",
    "sharing.records.models",
    "sharing.notify.models",
    "sharing.archive.models",
    "sharing.market.models",
    "sharing.news.models",
    "sharing.card.models",
    "sharing.card.pending_models",
    "sharing.plan.models",
)


def create_app(config=None, **overrides) -> Flask:
    """The application factory. ``config`` is a config class or a name (development, testing, production)."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=False,
    )
    cfg = pick_config(config) if config is None or isinstance(config, str) else config
    app.config.from_object(cfg)
    app.config.update(overrides)
    cfg.init_app(app)
    init_ledger_keys(app)
    configure_logging(app)
    configure_routing(app)
    import_models()
    register_extensions(app)
    register_blueprints(app)
    register_errors(app)
    register_request_hooks(app)
    register_cli(app)
    return app


def _digits_upto(limit: int) -> str:
    """A regex for the decimal numbers 0..``limit`` (leading zeros allowed)."""
    top = str(limit)
    alternatives = [rf"\d{{1,{len(top) - 1}}}"] if len(top) > 1 else []
    for i, digit in enumerate(top):
        low = 1 if i == 0 and len(top) > 1 else 0
        if int(digit) > low:
            rest = len(top) - i - 1
            alternatives.append(top[:i] + f"[{low}-{int(digit) - 1}]" + (rf"\d{{{rest}}}" if rest else ""))
    alternatives.append(top)
    return "0*(?:" + "|".join(alternatives) + ")"


class BoundedIntConverter(IntegerConverter):
    """``<int:id>`` refuses numbers no id column can hold (a 404, not an overflow in the driver).

    The bound is in the regex, not only in ``to_python``: werkzeug answers a converter's refusal with
    405 when another method's rule has the same path, while a regex that does not match is a 404.
    """

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)
        if max is not None and not signed and not fixed_digits:
            self.regex = _digits_upto(max)


def configure_routing(app: Flask) -> None:
    """Bounded integer URL parts; behind a reverse proxy, trust its X-Forwarded-* headers."""
    app.url_map.converters["int"] = BoundedIntConverter
    proxies = int(app.config.get("TRUSTED_PROXIES", 0) or 0)
    if proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)


def import_models() -> None:
    for name in MODEL_MODULES:
        optional_import(name)


def _select_locale():
    if not has_request_context():  # CLI commands (reminders, seeding) speak Korean
        return "ko"
    lang = request.args.get("lang")
    if lang in ("ko", "en"):
        session["lang"] = lang
    return session.get("lang", "ko")


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_engine(
            db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"], app.config.get("PG_LOCK_TIMEOUT_MS", 0)
        )
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"), render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, default_timezone="Asia/Seoul")
    i18n.install(app)
    limiter.init_app(app)
    compression.init_app(app)

    from .auth import services as auth_services
    from .web import api

    login_manager.user_loader(auth_services.user_for_session)  # checks the session generation

    api.set_token_loader(auth_services.user_for_token)


def register_blueprints(app: Flask) -> None:
    for name in BLUEPRINT_MODULES:
        module = optional_import(name)
        if module is not None:
            app.register_blueprint(module.bp)


def _identity(user) -> str | None:
    """The user's id from the identity map: no reload, even when a commit expired the object."""
    state = sa_inspect(user, raiseerr=False) if user is not None else None
    return str(state.identity[0]) if state is not None and state.identity else None


def register_request_hooks(app: Flask) -> None:
    from .web.inputs import BoundedJSONProvider, refuse_unstorable_text

    app.json = BoundedJSONProvider(app)  # JSON nested past any real document: 400, not a 500

    @app.before_request
    def _start_timer():
        g.request_started = time.perf_counter()

    app.before_request(refuse_unstorable_text)  # NUL / lone surrogates: a 422, not a driver error

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        h.setdefault("X-Frame-Options", "DENY")
        started = g.get("request_started")
        if started is not None and access_logged():
            user = g.get("api_user") or (current_user._get_current_object() if current_user else None)
            log_request(request, response, started, time.perf_counter(), _identity(user))
        return response

    @app.teardown_appcontext
    def _reset_tx_depth(_exc):
        db.session.info.pop("sharing_tx_depth", None)

    @app.context_processor
    def _globals():
        from .main.context import template_globals

        return template_globals()


def register_cli(app: Flask) -> None:
    from .cli import bp as cli_bp

    app.register_blueprint(cli_bp)
