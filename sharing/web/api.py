"""What every JSON route shares: body parsing, bearer authentication, paging, OpenAPI metadata.

Routes stay thin: ``data = parse(Schema())`` -> call a service -> ``return dump(...)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate
from sqlalchemy import func, select

from ..core.db import cached_count
from ..core.errors import BadRequest, Invalid, Unauthorized
from ..core.extensions import db

# Korean default messages for every marshmallow field (the error body is Korean by default).
_KO_MESSAGES = {
    "required": "필수 항목입니다.",
    "null": "비워 둘 수 없습니다.",
    "invalid": "형식이 올바르지 않습니다.",
    "validator_failed": "값이 올바르지 않습니다.",
}
for _field in (fields.Field,):
    _field.default_error_messages = {**_field.default_error_messages, **_KO_MESSAGES}
fields.Integer.default_error_messages = {
    **fields.Integer.default_error_messages,
    "invalid": "정수를 입력해 주세요.",
    "too_large": "숫자가 너무 큽니다.",
}
fields.String.default_error_messages = {
    **fields.String.default_error_messages,
    "invalid": "문자열이어야 합니다.",
}
fields.Date.default_error_messages = {
    **fields.Date.default_error_messages,
    "invalid": "날짜는 YYYY-MM-DD 형식이어야 합니다.",
}
fields.Boolean.default_error_messages = {
    **fields.Boolean.default_error_messages,
    "invalid": "참/거짓 값이어야 합니다.",
}
Schema.error_messages = {"unknown": "알 수 없는 항목입니다.", "type": "JSON 객체가 아닙니다."}


def _stringify(messages):
    if isinstance(messages, dict):
        return {str(k): _stringify(v) for k, v in messages.items()}
    if isinstance(messages, list | tuple):
        return [_stringify(m) for m in messages]
    return str(messages)


def json_body() -> dict:
    """The request's JSON object, or a 400 for anything that is not one."""
    if not request.is_json:
        raise BadRequest(_("JSON 본문(Content-Type: application/json)이 필요합니다."))
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise BadRequest(_("JSON 형식이 올바르지 않습니다."))
    return data


@functools.cache
def _shared(schema_class: type[Schema]) -> Schema:
    return schema_class()


def load(schema: Schema | type[Schema], data, *, partial=False):
    """Validate ``data`` with ``schema``; a 422 with the field messages when it does not fit.

    A schema class is instantiated once per process and reused (building one deep-copies its fields;
    loading does not change it)."""
    if isinstance(schema, type):
        schema = _shared(schema)
    try:
        return schema.load(data, partial=partial)
    except ValidationError as err:
        raise Invalid(fields=_stringify(err.messages)) from None


def parse(schema: Schema, *, partial=False):
    return load(schema, json_body(), partial=partial)


def parse_args(schema: Schema | type[Schema]):
    """Validate the query string (lists' filters and paging)."""
    return load(schema, request.args.to_dict())


# --- Bearer authentication (the API does not use the session cookie) ---------------------------

_token_loader: Callable | None = None


def set_token_loader(loader: Callable) -> None:
    global _token_loader
    _token_loader = loader


def api_user():
    """The user of the request's bearer token, or None."""
    if "api_user" not in g:
        user = None
        header = request.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() == "bearer" and token.strip() and _token_loader:
            user = _token_loader(token.strip())
        g.api_user = user
    return g.api_user


def require_user():
    user = api_user()
    if user is None:
        raise Unauthorized()
    return user


def idempotency_key() -> str | None:
    """The request's ``Idempotency-Key`` header, or None when it is absent or empty.

    The key's rule (1..100 characters, no NUL; 422 otherwise) is the ledger's, so a key that would not
    fit its column is refused the same way on every money-moving route.
    """
    from ..core.idempotency import check_key

    return check_key(request.headers.get("Idempotency-Key") or None)


# --- Paging -----------------------------------------------------------------------------------


PAGE_MAX = 1_000_000  # past any real list; keeps OFFSET inside a 64-bit integer (no driver overflow)


class PageArgs(Schema):
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, max=PAGE_MAX, error=f"1에서 {PAGE_MAX} 사이의 쪽 번호여야 합니다."),
    )
    per_page = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=100, error="1에서 100 사이여야 합니다.")
    )


def page_args() -> tuple[int, int]:
    args = load(PageArgs, {k: v for k, v in request.args.items() if k in ("page", "per_page")})
    return args["page"], args["per_page"]


def paginate(stmt, *, page: int, per_page: int, count_stmt=None, scalars: bool = True, params=None):
    """Run ``stmt`` (with bound ``params``) for one page. Returns (rows, total): entities, or with
    ``scalars=False`` the result rows themselves. Pages past ``PAGE_MAX`` are empty (a web page's
    ``?page=`` is not validated: it must not overflow the driver's OFFSET)."""
    page = min(max(page, 1), PAGE_MAX + 1)
    offset = (page - 1) * per_page
    result = db.session.execute(stmt.limit(per_page).offset(offset), params)
    rows = (result.scalars() if scalars else result).all()
    if len(rows) < per_page and (rows or page == 1):
        return rows, offset + len(rows)  # the last page: the total is known without counting
    total_q = (
        count_stmt
        if count_stmt is not None
        else select(func.count()).select_from(stmt.order_by(None).subquery())
    )
    return rows, cached_count(total_q, params)


def page_response(rows, total, page, per_page, schema: Schema):
    return jsonify(
        {"items": schema.dump(rows, many=True), "page": page, "per_page": per_page, "total": total}
    )


def whole_list(rows, schema: Schema) -> dict:
    """The list answer of the contract for a short list given whole: one page holding every row."""
    return {"items": schema.dump(rows, many=True), "page": 1, "per_page": len(rows), "total": len(rows)}


def paged(stmt, schema: Schema, count_stmt=None):
    """The whole list answer of the contract for ``stmt``, paged by the query string."""
    page, per_page = page_args()
    rows, total = paginate(stmt, page=page, per_page=per_page, count_stmt=count_stmt)
    return page_response(rows, total, page, per_page, schema)


# --- OpenAPI metadata -------------------------------------------------------------------------


def doc(
    summary: str,
    *,
    body: type[Schema] | Schema | None = None,
    query: type[Schema] | Schema | None = None,
    response: type[Schema] | Schema | None = None,
    status: int = 200,
    many: bool = False,
    errors: tuple[int, ...] = (),
    auth: bool = False,
    idempotent: bool | str = False,
    multipart: bool = False,
    content_type: str | None = None,
    description: str | None = None,
):
    """Describe a JSON route for the OpenAPI document (``/api/v1/openapi.json``). ``idempotent`` is
    True for an optional ``Idempotency-Key`` header, ``"required"`` where the call needs one."""

    def decorate(view):
        view._apidoc = {
            "summary": summary,
            "body": body,
            "query": query,
            "response": response,
            "status": status,
            "many": many,
            "errors": errors,
            "auth": auth,
            "idempotent": idempotent,
            "multipart": multipart,
            "content_type": content_type,
            "description": description,
        }
        return view

    return decorate


def created(payload, status: int = 201):
    return jsonify(payload), status


def config(name: str):
    return current_app.config[name]
