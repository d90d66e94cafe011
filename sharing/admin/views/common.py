"""What the console's pages share: the centre-only guard, the labels every page reads, the filter
values of a form, and answering a POST button (redirect back, flash the service's refusal)."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_login import current_user

from ...auth.services import require_centre
from ...core.extensions import login_manager
from ...web.helpers import run_action
from ...web.urls import safe_next
from .. import services
from ..vocab import (
    DETAIL_LABELS,
    OBJECT_LABELS,
    REASON_LABELS,
    RESOLUTION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TARGET_LABELS,
)

PER_PAGE = 20
# Endpoints of the console's blueprint that residents use (everything else is the centre's).
PUBLIC_ENDPOINTS = {"admin.new_report"}


def centre_only():
    """Anonymous visitors go to sign in; signed-in residents get 403 (the services decide)."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    require_centre(current_user)
    return None


def admin_iso(value) -> str:
    return services.seoul_iso(value)


def labels() -> dict:
    return {
        "reason_labels": REASON_LABELS,
        "target_labels": TARGET_LABELS,
        "status_labels": STATUS_LABELS,
        "resolution_labels": RESOLUTION_LABELS,
        "role_labels": ROLE_LABELS,
        "object_labels": OBJECT_LABELS,
        "detail_labels": DETAIL_LABELS,
    }


def clean(form, *names) -> dict:
    """The filter values that are valid choices (anything else is ignored, as on the public pages)."""
    values = {}
    for name in names:
        fld = form[name]
        value = (fld.data or "").strip() if isinstance(fld.data, str) else fld.data
        choices = getattr(fld, "choices", None)
        if choices is not None and value not in {str(c[0]) for c in choices}:
            value = ""
        if value:
            values[name] = value
    return values


def next_url(default_endpoint: str) -> str:
    return safe_next(request.form.get("next"), url_for(default_endpoint))


def back(default_endpoint: str):
    return redirect(next_url(default_endpoint))


def run(action, success: str, default_endpoint: str):
    """Call a service for a POST; 403/404 become the error page, conflicts a message."""
    return run_action(action, next_url(default_endpoint), success)
