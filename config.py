"""Configuration classes, read from the environment with development defaults.

Secrets are checked in ``ProductionConfig.init_app`` rather than in the class body, so importing this
module never fails because a variable is missing.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# A value once written here as the development default: anyone could sign a session with it, so it
# is refused everywhere (never a constant secret; see ``local_secret_key``).
PUBLISHED_SECRET_KEYS = ("dev-only-secret-change-me",)
SECRET_KEY_FILE = "secret_key"


def local_secret_key(instance_dir) -> str:
    """This installation's own random key, made on first start in ``instance/secret_key`` (mode 600)
    and reused afterwards. Created atomically (a hard link of a finished file), so two workers that
    start together agree on one key."""
    folder = Path(instance_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / SECRET_KEY_FILE
    if not path.exists():
        tmp = folder / f".{SECRET_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another worker was first: use its key
        finally:
            tmp.unlink()
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable SECRET_KEY; delete it to make a new one")
    return key


def check_rate_limit_storage(storage_uri: str | None, workers: int) -> None:
    """Several workers counting in their own memory each allow the whole limit: refuse that in
    production (RATELIMIT_STORAGE_URI must name a shared store such as redis://)."""
    if workers > 1 and (storage_uri or "memory://").startswith("memory://"):
        raise RuntimeError(
            f"RATELIMIT_STORAGE_URI is in-memory with {workers} workers: each would count alone. "
            "Set RATELIMIT_STORAGE_URI=redis://... (see docs/deploy.md) or run one worker."
        )


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'sharing.core.db'}")
    # Each gunicorn worker has its own pool: a sync worker uses one connection at a time, a gthread
    # worker up to its thread count. workers × (DB_POOL_SIZE + DB_POOL_OVERFLOW) stays below
    # PostgreSQL's max_connections. The pre-ping drops connections the server closed; it is a round
    # trip, so it is made only for a connection idle DB_POOL_PING_IDLE_S seconds or more (0: on every
    # checkout). Connections are also renewed after DB_POOL_RECYCLE_S. SQLite skips the ping.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {
        "pool_pre_ping": os.environ.get("DB_POOL_PRE_PING", "1") != "0",
        "pool_recycle": _int("DB_POOL_RECYCLE_S", 1800),
        **(
            {"pool_size": _int("DB_POOL_SIZE", 5), "max_overflow": _int("DB_POOL_OVERFLOW", 5)}
            if os.environ.get("DATABASE_URL", "").startswith("postgresql")
            else {}
        ),
    }
    DB_POOL_PING_IDLE_S = _int("DB_POOL_PING_IDLE_S", 10)
    # gzip for HTML and JSON when gunicorn answers browsers directly; 0 behind nginx (docs/deploy.md).
    COMPRESS_RESPONSES = os.environ.get("COMPRESS_RESPONSES", "1") != "0"
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 15000)
    # PostgreSQL: how long a statement waits for a row lock before the request is refused (503).
    PG_LOCK_TIMEOUT_MS = _int("PG_LOCK_TIMEOUT_MS", 10000)
    # Seconds a 503 "busy" answer (a lock wait past its timeout) asks the client to wait.
    BUSY_RETRY_AFTER_S = _int("BUSY_RETRY_AFTER_S", 2)

    BABEL_DEFAULT_LOCALE = "ko"
    BABEL_DEFAULT_TIMEZONE = "Asia/Seoul"

    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024  # whole request; single images are limited lower

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per minute")
    # Sign-in is limited per account and per address, across the web and the API; registration
    # per address. With several workers, RATELIMIT_STORAGE_URI must name Redis (shared counters).
    REGISTER_RATE_LIMIT = os.environ.get("REGISTER_RATE_LIMIT", "10 per hour")
    MESSAGE_RATE_LIMIT = os.environ.get("MESSAGE_RATE_LIMIT", "10 per minute")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "sharing")
    # Paying and posting wait for a confirmed e-mail address: on in production, off in development
    # and testing unless set (REQUIRE_EMAIL_VERIFICATION=1), so the demo works at once.
    REQUIRE_EMAIL_VERIFICATION = os.environ.get("REQUIRE_EMAIL_VERIFICATION", "0") == "1"

    TOKEN_LIFETIME_DAYS = _int("TOKEN_LIFETIME_DAYS", 30)
    # werkzeug's scrypt with its default cost (N=32768); tests lower it, see TestingConfig.
    PASSWORD_HASH_METHOD = "scrypt"

    # Trade card (지역거래카드)
    CARD_FUND_RATE_BP = _int("CARD_FUND_RATE_BP", 100)
    CARD_BALANCE_CAP = _int("CARD_BALANCE_CAP", 1_500_000)
    CARD_MONTHLY_TOPUP_CAP = _int("CARD_MONTHLY_TOPUP_CAP", 500_000)
    # The ledger's HMAC key (sharing/card/keys.py): LEDGER_KEY, else the key file (created on first
    # start outside production); LEDGER_KEYS_OLD lists rotated keys (comma-separated) still verified.
    LEDGER_KEY = os.environ.get("LEDGER_KEY", "")
    LEDGER_KEY_FILE = os.environ.get("LEDGER_KEY_FILE", str(INSTANCE_DIR / "ledger.key"))
    LEDGER_KEY_CREATE = True
    LEDGER_KEYS_OLD = os.environ.get("LEDGER_KEYS_OLD", "")
    # Transactions up to this seq may carry the unkeyed SHA-256 of before migration 0010 (which prints
    # the value to set when the ledger already had transactions); 0 for a ledger begun with the key.
    LEDGER_LEGACY_SEQ = _int("LEDGER_LEGACY_SEQ", 0)
    # How many problems the audit lists (it counts them all: problem_count, truncated).
    CARD_AUDIT_MAX_PROBLEMS = _int("CARD_AUDIT_MAX_PROBLEMS", 1000)
    # Signed checkpoints of the chain head, one JSON object per line, appended (sharing/card/checkpoints.py).
    LEDGER_CHECKPOINT_FILE = os.environ.get(
        "LEDGER_CHECKPOINT_FILE", str(INSTANCE_DIR / "ledger-checkpoints.jsonl")
    )
    # Top-ups: ``confirmed`` (pending until the centre's cash desk or a payment provider confirms the
    # money arrived) or ``instant`` (posted at once: development and tests only).
    TOPUP_MODE = os.environ.get("TOPUP_MODE", "confirmed")
    TOPUP_PENDING_HOURS = _int("TOPUP_PENDING_HOURS", 24)
    # The payment provider's callback: HMAC-SHA256 secret and the accepted clock skew (seconds).
    TOPUP_PROVIDER_SECRET = os.environ.get("TOPUP_PROVIDER_SECRET", "")
    TOPUP_SIGNATURE_WINDOW_S = _int("TOPUP_SIGNATURE_WINDOW_S", 300)
    # How far back the fund page's anomaly rules look (days); the rules' thresholds: card/anomalies.py
    CARD_ANOMALY_WINDOW_DAYS = _int("CARD_ANOMALY_WINDOW_DAYS", 90)

    # Uploads
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    IMAGE_MAX_BYTES = _int("IMAGE_MAX_BYTES", 5 * 1024 * 1024)
    IMAGE_MAX_PIXELS = _int("IMAGE_MAX_PIXELS", 24_000_000)  # width × height; larger images are a 422
    IMAGE_DECODE_BUDGET_MB = _int("IMAGE_DECODE_BUDGET_MB", 100)  # decoded pixels held at once per process

    # Mail outbox
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _int("MAIL_PORT", 587)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "1") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "성북 공유 플랫폼 <noreply@sharing.sb.go.kr>")
    OUTBOX_MAX_ATTEMPTS = _int("OUTBOX_MAX_ATTEMPTS", 5)  # then the mail is given up (ops check reports it)
    OUTBOX_RETRY_SECONDS = _int("OUTBOX_RETRY_SECONDS", 60)  # first retry; doubles after each failure

    INSTANCE_FOLDER = str(INSTANCE_DIR)  # where a development key is kept (instance/secret_key)

    # Operations: request logs (``text`` or ``json``: one JSON object per line), reverse proxies
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # How many reverse proxies (nginx) stand in front and set X-Forwarded-For/-Proto/-Host: the
    # client address then comes from the header (rate limits, logs). 0 = none (direct).
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # The site's public address (``https://sharing.sb.go.kr``): every absolute link (Atom feed,
    # iCalendar, QR codes) is built from it, never from the request's Host header. Set it in
    # production (without it: SERVER_NAME or localhost, and a warning at start); development and
    # tests fall back to the request's own address.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    ABSOLUTE_URLS_FROM_REQUEST = True

    @staticmethod
    def init_app(app) -> None:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        if app.config.get("SECRET_KEY") in PUBLISHED_SECRET_KEYS:
            raise RuntimeError("SECRET_KEY is a published value; set a random one")
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = local_secret_key(app.config["INSTANCE_FOLDER"])


class DevelopmentConfig(Config):
    DEBUG = False
    TOPUP_MODE = os.environ.get("TOPUP_MODE", "instant")


class TestingConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SECRET_KEY = None  # a random key per app (see init_app), unless one is passed
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SQLITE_BUSY_TIMEOUT_MS = 30000
    TOPUP_MODE = "instant"
    # scrypt with N=1024: same code path, ~30x cheaper, so hundreds of test accounts stay fast.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    # A fixed test key (never used outside TestingConfig); each test app gets its own checkpoint file.
    LEDGER_KEY = "testing-ledger-key-0123456789abcdef0123456789"
    LEDGER_CHECKPOINT_FILE = ""

    @staticmethod
    def init_app(app) -> None:
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = secrets.token_urlsafe(32)
        Config.init_app(app)


class ProductionConfig(Config):
    DEBUG = False  # FLASK_DEBUG in the environment never turns the debugger on in production
    REQUIRE_EMAIL_VERIFICATION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    LEDGER_KEY_CREATE = False  # refuse to start without LEDGER_KEY or an existing key file
    ABSOLUTE_URLS_FROM_REQUEST = False  # a forged Host header never reaches a link
    PREFERRED_URL_SCHEME = "https"

    @staticmethod
    def init_app(app) -> None:
        # Read at start-up, not at import: the class attribute was fixed when config.py was imported.
        secret = os.environ.get("SECRET_KEY") or ""
        if app.config.get("SECRET_KEY") not in (None, "", Config.SECRET_KEY):
            secret = app.config["SECRET_KEY"]  # passed explicitly to create_app
        if not secret or secret in PUBLISHED_SECRET_KEYS:
            raise RuntimeError("SECRET_KEY must be set in production")
        if len(secret) < 16:
            raise RuntimeError("SECRET_KEY is too short for production (at least 16 characters)")
        app.config["SECRET_KEY"] = secret
        if not app.config.get("PUBLIC_BASE_URL"):
            app.logger.warning(
                "PUBLIC_BASE_URL is not set: feed, calendar and QR links use %s",
                f"https://{app.config.get('SERVER_NAME') or 'localhost'}/",
            )
        # gunicorn.conf.py exports the worker count (WEB_CONCURRENCY) before the workers load the app.
        check_rate_limit_storage(app.config.get("RATELIMIT_STORAGE_URI"), _int("WEB_CONCURRENCY", 1))
        Config.init_app(app)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def pick_config(name: str | None = None):
    return CONFIGS[name or os.environ.get("SHARING_ENV", "development")]
