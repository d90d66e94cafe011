"""Domain errors and the one handler that answers JSON under /api and HTML elsewhere.

Services raise :class:`DomainError` subclasses; nothing else decides a status code. The error body is
``{"error": {"code", "message", "fields"}}`` as the public API contract writes it.
"""

from __future__ import annotations

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, message: str | None = None, *, code: str | None = None, fields=None):
        super().__init__(message or self.default_message())
        self.message = message or self.default_message()
        if code:
            self.code = code
        self.fields = fields or {}

    def default_message(self) -> str:
        return _("요청을 처리할 수 없습니다.")


class BadRequest(DomainError):
    status = 400
    code = "malformed_request"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"

    def default_message(self) -> str:
        return _("로그인이 필요합니다.")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"

    def default_message(self) -> str:
        return _("권한이 없습니다.")


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def default_message(self) -> str:
        return _("찾을 수 없습니다.")


class Conflict(DomainError):
    status = 409
    code = "conflict"

    def default_message(self) -> str:
        return _("현재 상태와 맞지 않는 요청입니다.")


class TooLarge(DomainError):
    status = 413
    code = "too_large"

    def default_message(self) -> str:
        return _("파일이 너무 큽니다.")


class Invalid(DomainError):
    status = 422
    code = "invalid"

    def default_message(self) -> str:
        return _("입력값을 확인해 주세요.")


class Busy(DomainError):
    """The request waited too long for a lock (SQLite's busy timeout, PostgreSQL's lock_timeout):
    nothing moved; answered 503 with ``Retry-After``."""

    status = 503
    code = "busy"

    def default_message(self) -> str:
        return _(
            "요청이 몰려 지금은 처리하지 못했습니다. 아무것도 바뀌지 않았으니 잠시 후 다시 시도해 주세요."
        )


def is_busy(err: BaseException) -> bool:
    """Whether ``err`` (a driver error, or SQLAlchemy's wrapper of one) is a lock wait that timed
    out: SQLite's "database is locked", PostgreSQL's LockNotAvailable (SQLSTATE 55P03)."""
    import sqlite3

    orig = getattr(err, "orig", None) or err
    if getattr(orig, "sqlstate", None) == "55P03":
        return True
    return isinstance(orig, sqlite3.OperationalError) and "database is locked" in str(orig)


_HTTP_CODES = {
    400: "malformed_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
    500: "internal_error",
}


def _http_message(status: int) -> str:
    return {
        400: _("잘못된 요청입니다."),
        401: _("로그인이 필요합니다."),
        403: _("권한이 없습니다."),
        404: _("요청한 페이지를 찾을 수 없습니다."),
        405: _("허용되지 않는 요청 방식입니다."),
        413: _("업로드한 파일이 너무 큽니다."),
        415: _("지원하지 않는 형식입니다."),
        429: _("요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."),
        500: _("일시적인 오류가 발생했습니다. 잠시 후 다시 시도해 주세요."),
    }.get(status, _("요청을 처리할 수 없습니다."))


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def error_response(status: int, code: str, message: str, fields=None):
    if wants_json():
        body = {"error": {"code": code, "message": message, "fields": fields or {}}}
        return jsonify(body), status
    return render_template("errors/error.html", status=status, message=message), status


def register_errors(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        response = make_response(error_response(err.status, err.code, err.message, err.fields))
        if isinstance(err, Busy):
            response.headers["Retry-After"] = str(app.config.get("BUSY_RETRY_AFTER_S", 2))
        return response

    @app.errorhandler(CSRFError)
    def _csrf(err):
        return error_response(
            400, "csrf_failed", _("보안 토큰이 만료되었습니다. 새로고침 후 다시 시도해 주세요.")
        )

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        status = err.code or 500
        response = make_response(
            error_response(status, _HTTP_CODES.get(status, "error"), _http_message(status))
        )
        for name, value in err.get_headers():  # keep Allow (a 405 must say it), Retry-After, ...
            if name.lower() not in ("content-type", "content-length"):
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        if is_busy(err):  # a lock wait past its timeout: a refusal, never a 500
            log.warning("busy on %s %s: %s", request.method, request.path, err)
            return _domain(Busy())
        log.exception("unhandled error on %s %s", request.method, request.path)
        if app.testing and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise err
        return error_response(500, "internal_error", _http_message(500))
