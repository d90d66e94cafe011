"""Open data: every public entry as CSV or JSON, streamed (columns documented in ``services.export``)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app

from ..services import export


def _streamed(kind: str):
    """The export, encoded lazily; each batch is read in an app context opened and closed within
    one step of the iteration (the request's context is gone by the time the body is sent)."""
    app = current_app._get_current_object()

    def in_context(step):
        with app.app_context():
            return step()

    return (chunk.encode("utf-8") for chunk in export.chunks(kind, in_context))


def export_csv():
    """Every public entry as CSV (UTF-8 with BOM)."""
    response = Response(_streamed("csv"), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = "attachment; filename=seongbuk-resources.csv"
    return response


def export_json():
    response = Response(_streamed("json"), mimetype="application/json")
    response.headers["Content-Disposition"] = "inline; filename=seongbuk-resources.json"
    return response


def register(bp: Blueprint) -> None:
    bp.get("/export.csv")(export_csv)
    bp.get("/export.json")(export_json)
