"""The OpenAPI 3 document, generated from the routes' ``@doc`` metadata and marshmallow schemas.

Every rule under /api/v1 is listed, documented or not, so a new route shows up by itself.
"""

from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app, jsonify, render_template
from werkzeug.routing import IntegerConverter

bp = Blueprint("openapi", __name__)

_ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object"},
            },
        }
    },
}
_STATUS_TEXT = {
    200: "OK",
    201: "Created",
    204: "No Content",
    400: "Malformed request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    409: "Conflict with the current state",
    413: "Too large",
    422: "Invalid fields",
    429: "Too many requests",
    503: "Busy: waited too long for a lock, nothing moved; retry after Retry-After seconds",
}


def _schema_name(schema) -> str:
    cls = schema if isinstance(schema, type) else type(schema)
    return cls.__name__


def _path(rule: str) -> str:
    return re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule)


def build_spec(app) -> dict:
    spec = APISpec(
        title="성북 공유 플랫폼 API",
        version="1.0.0",
        openapi_version="3.0.3",
        plugins=[MarshmallowPlugin()],
        info={"description": "Seongbuk-gu community sharing platform, public API v1."},
        servers=[{"url": "/"}],
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", _ERROR_SCHEMA)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("openapi."):
            continue
        view = app.view_functions[rule.endpoint]
        meta = getattr(view, "_apidoc", None) or {"summary": rule.endpoint}
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            paths.setdefault(_path(rule.rule), {})[method.lower()] = _operation(rule, meta)
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    return _paging_bounds(spec.to_dict())


def _paging_bounds(doc: dict) -> dict:
    """Every list's ``page`` and ``per_page`` are checked by :func:`sharing.web.api.page_args`, whatever the
    route's own query schema says: document those bounds (1..PAGE_MAX, 1..100) on each of them."""
    from .api import PAGE_MAX

    bounds = {"page": (1, PAGE_MAX), "per_page": (1, 100)}
    for operations in doc.get("paths", {}).values():
        for op in operations.values():
            for param in op.get("parameters", []):
                schema = param.get("schema", {})
                if (
                    param.get("in") == "query"
                    and param.get("name") in bounds
                    and schema.get("type") == "integer"
                ):
                    schema.setdefault("minimum", bounds[param["name"]][0])
                    schema.setdefault("maximum", bounds[param["name"]][1])
    return doc


def _operation(rule, meta: dict) -> dict:
    op: dict = {"summary": meta["summary"], "operationId": rule.endpoint, "responses": {}}
    params = [
        {
            "in": "path",
            "name": arg,
            "required": True,
            "schema": {"type": "integer"}
            if isinstance(rule._converters.get(arg), IntegerConverter)
            else {"type": "string"},
        }
        for arg in sorted(rule.arguments)
    ]
    if meta.get("query"):
        params.append({"in": "query", "schema": meta["query"]})
    if meta.get("idempotent"):
        params.append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": meta.get("idempotent") == "required",
                "schema": {"type": "string", "maxLength": 100},
            }
        )
    if meta.get("description"):
        op["description"] = meta["description"]
    if params:
        op["parameters"] = params
    if meta.get("body") is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": meta["body"]}}}
    if meta.get("multipart"):
        op["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    status = meta.get("status", 200)
    ok: dict = {"description": _STATUS_TEXT.get(status, "OK")}
    if meta.get("content_type"):
        ok["content"] = {meta["content_type"]: {"schema": {"type": "string"}}}
    elif meta.get("response") is not None:
        schema = meta["response"]
        if meta.get("many"):
            ok["content"] = {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["items", "page", "per_page", "total"],
                        "properties": {
                            "items": {"type": "array", "items": schema},
                            "page": {"type": "integer"},
                            "per_page": {"type": "integer"},
                            "total": {"type": "integer"},
                        },
                    }
                }
            }
        else:
            ok["content"] = {"application/json": {"schema": schema}}
    elif status != 204:
        ok["content"] = {"application/json": {"schema": {"type": "object"}}}
    op["responses"][str(status)] = ok
    if meta.get("idempotent") and status == 201:
        op["responses"]["200"] = {**ok, "description": "Idempotent replay of the first answer"}
    for code in sorted(
        set(meta.get("errors", ())) | {400} if meta.get("body") else set(meta.get("errors", ()))
    ):
        if code < 400:  # another success status (e.g. 200 "already there" beside 201): the same body
            op["responses"][str(code)] = {**ok, "description": _STATUS_TEXT.get(code, "OK")}
            continue
        op["responses"][str(code)] = {
            "description": _STATUS_TEXT.get(code, "Error"),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
    if meta.get("auth"):
        op["security"] = [{"bearer": []}]
    return op


@bp.get("/api/v1/openapi.json")
def openapi_json():
    cache = current_app.extensions.setdefault("openapi_spec", {})
    if "spec" not in cache:
        cache["spec"] = build_spec(current_app)
    return jsonify(cache["spec"])


@bp.get("/api/docs")
def docs():
    spec = build_spec(current_app)
    return render_template("api_docs.html", spec=spec)
