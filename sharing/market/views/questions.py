"""The market's question pages: asking the owner from a listing, my threads, one thread."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...auth.limits import messages as message_limit
from ...core.errors import DomainError
from ...web.api import paginate
from ...web.helpers import flash_error, page_arg
from .. import services
from ..forms import MessageForm, QuestionForm, ReportForm
from .base import PER_PAGE
from .listings import focus_first_error
from .listings import show as listing_page


@login_required
@message_limit  # the same per-sender counter as a request's messages (auth.limits)
def ask_question(listing_id: int):
    """Ask the owner; a refusal shows the listing again with the question as typed and the error at it."""
    form = QuestionForm()
    if form.validate_on_submit():
        try:
            question = services.ask_question(current_user, listing_id, form.question.data)
        except DomainError as err:
            if err.status in (403, 404):
                abort(err.status)
            if err.fields:
                form.question.errors = [*form.question.errors, *err.fields.get("body", [])]
            else:
                flash_error(err)
                return redirect(url_for("market.show", listing_id=listing_id))
        else:
            flash(_("문의를 보냈습니다. 답이 오면 알려 드립니다."), "success")
            return redirect(url_for("market.question_page", question_id=question.id) + "#messages")
    if "csrf_token" in form.errors:
        form.question.errors = [
            *form.question.errors,
            _("페이지가 오래되어 보내지 못했습니다. 다시 보내 주세요."),
        ]
    focus_first_error(form)
    return listing_page(listing_id, question_form=form)


@login_required
def questions():
    page = page_arg()
    rows, total = paginate(services.question_threads_stmt(current_user), page=page, per_page=PER_PAGE)
    threads = [
        {
            "question": q,
            "role": services.question_role(current_user, q),
            "unread": services.question_unread(current_user, q),
        }
        for q in rows
    ]
    return render_template(
        "market/questions.html", threads=threads, total=total, page=page, per_page=PER_PAGE
    )


def _thread_page(question_id: int, form: MessageForm):
    try:
        question, thread = services.read_question(current_user, question_id)
    except DomainError as err:
        abort(err.status)
    return render_template(
        "market/question.html",
        question=question,
        listing=question.listing,
        thread=thread,
        role=services.question_role(current_user, question),
        open=services.question_open(question),
        listing_visible=services.can_see(current_user, question.listing),
        message_form=form,
        report_form=ReportForm(formdata=None),
    )


@login_required
def question_page(question_id: int):
    return _thread_page(question_id, MessageForm(formdata=None))


@login_required
@message_limit
def reply_question(question_id: int):
    """A message in the thread; a refusal shows the thread again with the text kept."""
    form = MessageForm()
    if form.validate_on_submit():
        try:
            services.reply_question(current_user, question_id, form.body.data)
        except DomainError as err:
            if err.status in (403, 404):
                abort(err.status)
            if not err.fields:
                flash_error(err)
                return redirect(url_for("market.question_page", question_id=question_id))
            form.body.errors = [*form.body.errors, *err.fields.get("body", [])]
        else:
            flash(_("메시지를 보냈습니다."), "success")
            return redirect(url_for("market.question_page", question_id=question_id) + "#messages")
    focus_first_error(form)
    return _thread_page(question_id, form)
