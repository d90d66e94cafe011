"""The ledger's published checkpoints on the web: the centre's publish button and the open data
(``/card/fund/checkpoints.json`` and ``.csv``, anyone). The public summary is on ``/card/fund``."""

from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.errors import DomainError
from . import services
from .views.base import csv_download, fail

bp = Blueprint("card_ledger", __name__, url_prefix="/card/fund")


@bp.post("/checkpoints")
@login_required
def publish():
    try:
        c = services.publish_checkpoint(current_user)
    except DomainError as err:
        fail(err)
    else:
        flash(_("체크포인트를 발행했습니다: 거래 %(seq)s번까지.", seq=c.seq), "success")
    return redirect(url_for("card.fund"))


@bp.get("/checkpoints.json")
def checkpoints_json():
    items, total = services.checkpoints(1, None)
    return jsonify({"items": [c.as_dict() for c in items], "total": total})


@bp.get("/checkpoints.csv")
def checkpoints_csv():
    return csv_download(services.checkpoint_csv_rows(), "ledger-checkpoints.csv")
