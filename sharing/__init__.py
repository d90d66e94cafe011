"""성북 공유 플랫폼 — Seongbuk-gu community sharing platform."""

from __future__ import annotations

import time

from flask import Flask, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import inspect as sa_inspect
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from config import pick_config

from . import cli
from .admin import api as admin_api
from .admin import views as admin_views
from .admin.providers import register_all as register_moderation_providers
from .archive import api as archive_api
from .archive import models as archive_models
from .archive import privacy as archive_privacy
from .archive import views as archive_views
from .auth import api as auth_api
from .auth import models as auth_models
from .auth import privacy
from .auth import services as auth_services
from .auth import views as auth_views
from .card import api as card_api
from .card import ledger_views as card_ledger_views
from .card import models as card_models
from .card import pending_models as card_pending_models
from .card import privacy as card_privacy
from .card import views as card_views
from .card.keys import init_app as init_ledger_keys
from .core import compression, i18n
from .core.cache import clear_all
from .core.db import configure_engine
from .core.errors import register_errors
from .core.extensions import babel, csrf, db, limiter, login_manager, migrate
from .main import views as main_views
from .market import api as market_api
from .market import models as market_models
from .market import privacy as market_privacy
from .market import views as market_views
from .news import api as news_api
from .news import models as news_models
from .news import privacy as news_privacy
from .news import views as news_views
from .notify import models as notify_models
from .notify import privacy as notify_privacy
from .notify import views as notify_views
from .ops.logs import access_logged, configure_logging, log_request
from .orgs import api as orgs_api
from .orgs import models as orgs_models
from .orgs import privacy as orgs_privacy
from .orgs import views as orgs_views
from .plan import api as plan_api
from .plan import models as plan_models
from .plan import views as plan_views
from .records import models as records_models
from .web import api as web_api
from .web import openapi
from .web.inputs import BoundedJSONProvider, refuse_unstorable_text

# Every blueprint, in registration order (the order decides which of two equal rules wins).
BLUEPRINTS = (
    main_views.bp,
    auth_views.bp,
    auth_api.bp,
    orgs_views.bp,
    orgs_api.bp,
    archive_views.bp,
    archive_api.bp,
    market_views.bp,
    market_api.bp,
    news_views.bp,
    news_api.bp,
    card_views.bp,
    card_api.bp,
    card_ledger_views.bp,
    admin_views.bp,
    admin_api.bp,
    plan_views.bp,
    plan_api.bp,
    notify_views.bp,
    openapi.bp,
)

# Every models module: imported so that SQLAlchemy (and Alembic's autogenerate) knows every table,
# whichever pages an entry point happens to load.
MODEL_MODULES = (
    auth_models,
    orgs_models,
    records_models,
    notify_models,
    archive_models,
    market_models,
    news_models,
    card_models,
    card_pending_models,
    plan_models,
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
    clear_all()  # a new app (a test's fresh database) starts with no figures cached from another
    init_ledger_keys(app)
    configure_logging(app)
    configure_routing(app)
    register_extensions(app)
    register_personal_data(app)
    register_blueprints(app)
    register_moderation_providers()
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
            db.engine,
            app.config["SQLITE_BUSY_TIMEOUT_MS"],
            app.config.get("PG_LOCK_TIMEOUT_MS", 0),
            app.config.get("DB_POOL_PING_IDLE_S", 0),
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

    login_manager.user_loader(auth_services.user_for_session)  # checks the session generation

    web_api.set_token_loader(auth_services.user_for_token)


def register_personal_data(app: Flask) -> None:
    """Each feature's share of a resident's data, for the download and the account's deletion.

    The order is the work's order: the card's balance is named before the market's open loans, and
    the market withdraws (notifying the other side) before the notifications are erased.
    """
    privacy.register(
        app,
        privacy.PersonalData("card", export=card_privacy.export, blockers=card_privacy.blockers),
        privacy.PersonalData(
            "market",
            export=market_privacy.export,
            blockers=market_privacy.blockers,
            erase=market_privacy.erase,
        ),
        privacy.PersonalData("news", export=news_privacy.export, erase=news_privacy.erase),
        privacy.PersonalData("archive", export=archive_privacy.export, erase=archive_privacy.erase),
        privacy.PersonalData("notify", export=notify_privacy.export, erase=notify_privacy.erase),
        privacy.PersonalData("orgs", export=orgs_privacy.export, erase=orgs_privacy.erase),
        privacy.REPORTS,
    )


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def _identity(user) -> str | None:
    """The user's id from the identity map: no reload, even when a commit expired the object."""
    state = sa_inspect(user, raiseerr=False) if user is not None else None
    return str(state.identity[0]) if state is not None and state.identity else None


def register_request_hooks(app: Flask) -> None:
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


def register_cli(app: Flask) -> None:
    app.register_blueprint(cli.bp)
