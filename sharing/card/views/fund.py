"""The fund's pages: the public summary with the published checkpoints, and for the centre the
accruals, the policies, the anomalies and the audit (page and CSV)."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ...core.time import seoul_now
from .. import services
from ..charts import bar_chart, hbar_chart
from .base import bp, centre_only, csv_download


@bp.get("/fund")
def fund():
    # Anyone sees the published checkpoints and their totals; the detailed tables are the centre's.
    latest = services.checkpoints(1, 10)[0]
    if not (current_user.is_authenticated and current_user.is_centre):
        return render_template("card/fund_public.html", checkpoints=latest)
    months = services.accrual_by_month()
    by_org = services.accrual_by_organization()
    return render_template(
        "card/fund.html",
        fund=services.fund_summary(),
        months=months,
        chart=bar_chart([(m.label, m.net) for m in months]),
        by_org=by_org,
        org_chart=hbar_chart([(a.label, a.net) for a in by_org[:15]]),
        policies=services.card_policies(),
        fund_rate_bp=services.fund_rate_bp(),
        checkpoints=latest,
        anomalies=services.anomalies(),
        anomaly_rules=services.anomaly_rules(),
    )


@bp.get("/fund/audit")
@login_required
def audit():
    centre_only()
    return render_template("card/audit.html", report=services.audit())


@bp.get("/fund/audit.csv")
@login_required
def audit_csv():
    centre_only()
    report = services.audit()
    stamp = seoul_now().strftime("%Y%m%d-%H%M")
    return csv_download(services.audit_csv_rows(report), f"card-audit-{stamp}.csv")
