"""The market's request pages: asking, my borrowing and lending, a request with its messages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from ...auth.limits import messages as message_limit
from ...core.errors import DomainError
from ...core.time import seoul_today
from ...web.api import paginate
from ...web.forms import apply_errors
from ...web.helpers import flash_error, page_arg
from .. import services
from ..forms import MessageForm, ReportForm, ReturnForm, ReviewForm, request_form_for
from . import request_drafts
from .base import PER_PAGE, act
from .loan_steps import loan_steps

TRANSITIONS = {
    "accept": (services.accept, _l("수락했습니다. 메시지로 주고받을 시간과 장소를 정해 보세요.")),
    "decline": (services.decline, _l("거절했습니다.")),
    "handover": (services.handover, _l("건넸습니다.")),
    "return": (services.return_, _l("반납을 확인했습니다.")),
    "cancel": (services.cancel, _l("요청을 취소했습니다.")),
}
# The service's refusals about the days asked (shown at the date field); any other is flashed.
DATE_REFUSALS = ("dates_taken", "already_requested", "reserved")


@login_required
def ask(listing_id: int):
    """Send a request; a refusal goes back to the listing with what was typed and the errors at the
    fields (:mod:`.request_drafts`), not a blank form and a banner."""
    listing = services.get(listing_id, current_user)
    form = request_form_for(listing)
    if form.validate_on_submit():
        try:
            loan = services.request(
                current_user, listing_id, form.start_date.data, form.end_date.data, form.message.data or ""
            )
        except DomainError as err:
            if err.status in (403, 404):
                abort(err.status)
            apply_errors(form, err)
            if err.fields:
                pass
            elif err.code in DATE_REFUSALS:  # about the days chosen: said beside them
                form.start_date.errors = [*form.start_date.errors, err.message]
            else:  # the listing stopped taking requests: the page shows no form to put it on
                flash_error(err)
        else:
            flash(_("요청을 보냈습니다. 답을 기다려 주세요."), "success")
            return redirect(url_for("market.request_page", loan_id=loan.id))
    if "csrf_token" in form.errors:
        flash(_("페이지가 오래되어 요청을 보내지 못했습니다. 다시 보내 주세요."), "error")
    request_drafts.keep(listing_id, form)
    return redirect(url_for("market.show", listing_id=listing_id))


def _loans_page(mode: str, stmt):
    """The borrowing and the lending pages: one template, the mode names the list."""
    page = page_arg()
    rows, total = paginate(stmt, page=page, per_page=PER_PAGE)
    return render_template(
        "market/loans.html",
        mode=mode,
        loans=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        today=seoul_today(),
    )


@login_required
def borrowing():
    return _loans_page("borrowing", services.borrowing_stmt(current_user))


@login_required
def lending():
    return _loans_page("lending", services.lending_stmt(current_user))


@login_required
def request_page(loan_id: int):
    try:
        loan = services.get_request(current_user, loan_id)
        thread = services.messages(current_user, loan_id)
    except DomainError as err:
        abort(err.status)
    reviews = services.reviews_of_loan(loan.id)
    is_owner = services.manages(current_user, loan.listing)
    my_role = "owner" if is_owner else "borrower"
    reviewed = any(r.author_id == current_user.id or r.role == my_role for r in reviews)
    return render_template(
        "market/request.html",
        loan=loan,
        listing=loan.listing,
        thread=thread,
        is_owner=is_owner,
        is_borrower=loan.borrower_id == current_user.id,
        overdue=services.is_overdue(loan),
        reviews=reviews,
        reviewed=reviewed,
        steps=loan_steps(loan, reviewed=reviewed),
        question=services.question_of_listing(loan.listing_id, loan.borrower_id),
        message_form=MessageForm(formdata=None),
        review_form=ReviewForm(formdata=None),
        report_form=ReportForm(formdata=None),
        return_form=ReturnForm(formdata=None),
        today=seoul_today(),
    )


@login_required
def transition(loan_id: int, action: str):
    fn, done = TRANSITIONS[action]

    def run():
        if action == "return":
            fn(current_user, loan_id, refund_unused=request.form.get("refund_unused") in ("y", "1", "on"))
        else:
            fn(current_user, loan_id)
        flash(str(done), "success")

    return act(run, url_for("market.request_page", loan_id=loan_id))


@login_required
@message_limit  # per sender, shared with the API (auth.limits)
def message(loan_id: int):
    form = MessageForm()

    def run():
        services.post_message(current_user, loan_id, form.body.data or "")
        flash(_("메시지를 보냈습니다."), "success")

    return act(run, url_for("market.request_page", loan_id=loan_id) + "#messages")


@login_required
def review(loan_id: int):
    form = ReviewForm()
    rating = int(form.rating.data) if (form.rating.data or "").isdigit() else None

    def run():
        services.review(current_user, loan_id, rating, form.comment.data or "")
        flash(_("후기를 남겼습니다. 고맙습니다."), "success")

    return act(run, url_for("market.request_page", loan_id=loan_id))


@login_required
def report_message(message_id: int):
    form = ReportForm()
    back = request.form.get("back_loan", type=int)
    back_question = request.form.get("back_question", type=int)

    def run():
        services.report_message(current_user, message_id, form.reason.data, form.comment.data or "")
        flash(_("신고를 접수했습니다. 센터에서 살펴보겠습니다."), "success")

    if back_question:
        return act(run, url_for("market.question_page", question_id=back_question))
    return act(run, url_for("market.request_page", loan_id=back) if back else url_for("market.index"))
