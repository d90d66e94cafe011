"""A shop's card pages: its desk (payments received), its QR code, refunds, the monthly statement."""

from __future__ import annotations

import io

import segno
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.errors import DomainError
from ...core.time import seoul_now
from ...orgs import services as orgs
from ...web.helpers import page_arg
from ...web.urls import absolute_url
from .. import services
from ..charts import bar_chart
from ..forms import KIND_LABELS, PayoutForm, RefundForm
from .base import PER_PAGE, bp, csv_download, fail, local_time, own_shop, won


@bp.get("/shop/<int:organization_id>")
@login_required
def shop(organization_id: int):
    org = own_shop(organization_id)
    page = page_arg()
    received, total = services.received_payments(org.id, page=page, per_page=PER_PAGE)
    now = seoul_now()
    months = services.shop_months(org.id)
    return render_template(
        "card/shop.html",
        totals=services.shop_totals(org.id),
        months=months,
        chart=bar_chart([(_("%(m)s월", m=int(m[5:])), v) for m, v in months], width=360, height=200),
        org=org,
        balance=services.merchant_balance(org.id),
        received=received,
        total=total,
        page=page,
        per_page=PER_PAGE,
        payout_form=PayoutForm().fresh_key(),
        payouts=services.payouts_of(org.id),
        can_request_payout=orgs.is_member(current_user, org.id),  # the centre approves instead
        refund_form=RefundForm,
        this_month=now.strftime("%Y-%m"),
        fund_rate_bp=services.fund_rate_bp(),
    )


@bp.get("/shop/<int:organization_id>/qr")
@login_required
def qr_page(organization_id: int):
    org = own_shop(organization_id)
    return render_template("card/qr.html", org=org, pay_url=absolute_url("card.pay", organization_id=org.id))


@bp.get("/shop/<int:organization_id>/qr.svg")
@login_required
def qr_svg(organization_id: int):
    org = own_shop(organization_id)
    qr = segno.make(absolute_url("card.pay", organization_id=org.id), error="m")
    out = io.BytesIO()
    qr.save(out, kind="svg", scale=8, border=4, title=org.name, omitsize=True)
    return Response(out.getvalue(), mimetype="image/svg+xml")


@bp.post("/shop/<int:organization_id>/payments/<int:payment_id>/refund")
@login_required
def refund(organization_id: int, payment_id: int):
    form = RefundForm()
    back = request.form.get("back") == "receipt"
    if form.validate_on_submit():
        try:
            result = services.refund(
                current_user, payment_id, form.amount.data, idempotency_key=form.idempotency_key.data
            )
        except DomainError as err:
            fail(err)
        else:
            a = services.refund_amounts(result)
            message = _(
                "가격 %(price)s원을 환불했습니다. 주민의 카드로 %(card)s원이 돌아갔습니다.",
                price=won(a.list_price),
                card=won(a.to_card),
            )
            if a.to_mileage:
                message += " " + _("마일리지로 %(m)s원이 돌아갔습니다.", m=won(a.to_mileage))
            if a.mileage_taken_back:
                message += " " + _("적립 마일리지 %(m)s원을 회수했습니다.", m=won(a.mileage_taken_back))
            flash(message, "success")
    else:
        flash(" ".join(str(m) for ms in form.errors.values() for m in ms), "error")
    if back:
        return redirect(url_for("card.receipt", payment_id=payment_id))
    return redirect(url_for("card.shop", organization_id=organization_id))


@bp.get("/shop/<int:organization_id>/statement.csv")
@login_required
def statement(organization_id: int):
    org = own_shop(organization_id)
    month = request.args.get("month") or seoul_now().strftime("%Y-%m")
    try:
        services.month_range(month)
    except ValueError:
        abort(404)
    rows = services.statement_rows(org.id, month)

    def lines():
        yield services.STATEMENT_HEADER
        for r in rows:
            yield (
                local_time(r["created_at"]),
                str(KIND_LABELS.get(r["kind"], r["kind"])),
                r["id"],
                r["payment_id"],
                r["amount"],
                r["discount"],
                r["paid"],
                r["fund_fee"],
                r["mileage"],
                r["merchant"],
                r["reference"],
            )

    return csv_download(lines(), f"card-statement-{org.id}-{month}.csv")
