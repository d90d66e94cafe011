"""The market's listing pages: search, one listing with its calendar, new/edit, status, delete, report, hide."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from ...core.cache import Cache
from ...core.errors import DomainError
from ...core.i18n import locale_code
from ...core.time import seoul_today
from ...orgs import services as orgs
from ...web.forms import localise_choices, show_error
from ...web.helpers import current_user_or_none, flash_error, form_flag, page_arg
from .. import services
from ..calendar import month_bounds, month_grid, parse_month, shift
from ..forms import ListingForm, PhotoForm, QuestionForm, ReportForm, SearchForm, request_form_for
from ..services.results import count as cached_count
from ..services.results import page_of
from . import request_drafts
from .base import PER_PAGE, act
from .photos import upload_photos
from .result_cards import result_cards

# --- Search ---------------------------------------------------------------------------------------


# The filters drawn for a locale and a query string are the same every time (no token, no user, no
# address in them): kept, so the hot unfiltered page does not draw six form fields on every view.
_FILTERS = Cache(ttl=600, maxsize=256)


def index():
    form = SearchForm(request.args)
    localise_choices(form, "kind", "category", "dong")
    form.validate()
    for name in ("kind", "category", "dong"):  # an absent filter is "all", not an invalid choice
        if not request.args.get(name):
            getattr(form, name).errors = []
            getattr(form, name).data = ""  # shows the blank choice ("all") as selected
    filters = {}
    for name in ("q", "kind", "category", "dong"):
        value = (getattr(form, name).data or "").strip()
        if value and not getattr(form, name).errors:
            filters[name] = value
    dates = {n: getattr(form, n).data for n in ("available_from", "available_to") if getattr(form, n).data}
    if len(dates) == 2 and dates["available_to"] < dates["available_from"]:
        form.available_to.errors = [_("종료일은 시작일과 같거나 뒤여야 합니다.")]
        dates = {}
    organization = _organization_arg()
    if organization is not None:
        filters["organization_id"] = organization.id
    page = page_arg()
    stmt, count = services.search(**filters, **dates, viewer=current_user_or_none())
    total = cached_count(count)
    rows = page_of(stmt, page=page, per_page=PER_PAGE, photos=False) if total else []
    args = {**filters, **{k: v.isoformat() for k, v in dates.items()}}
    filters = _FILTERS.get_or_compute(
        (locale_code(), tuple(request.args.items(multi=True))),
        lambda: Markup(render_template("market/_filters.html", form=form, active=_active(args))),
    )
    return render_template(
        "market/index.html",
        form=form,
        filters=filters,
        cards=result_cards(rows),
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        organization=organization,
    )


def _organization_arg():
    """The organisation whose listings alone are shown (``?organization_id=``, from its page); an
    unknown or malformed id shows every listing."""
    org_id = request.args.get("organization_id", type=int)
    if not org_id or org_id < 1:
        return None
    try:
        return orgs.get(org_id)
    except DomainError:
        return None


def _active(args: dict) -> int:
    """How many filters are on (the search words aside): the drawer's summary says it."""
    return sum(1 for name in ("kind", "category", "dong") if name in args) + (
        1 if "available_from" in args or "available_to" in args else 0
    )


# --- One listing ----------------------------------------------------------------------------------


def show(listing_id: int, question_form=None):
    """A listing with its calendar and the request form: blank, or a refused request as typed with its
    errors at the fields (the first of them focused, so the page opens on it). The question form is
    blank, or (``question_form``) a refused question as typed with its error."""
    listing = services.get(listing_id, current_user_or_none())
    now = seoul_today()
    first = parse_month(request.args.get("month"), now)
    start, end = month_bounds(first)
    weeks = month_grid(first, services.booked_ranges(listing.id, start, end), now)
    user = current_user_or_none()
    request_form = request_drafts.restore(listing) if user is not None else None
    if request_form is None:
        request_form = request_form_for(listing, formdata=None, start_date=max(now, start))
    else:
        focus_first_error(request_form)
    return render_template(
        "market/show.html",
        listing=listing,
        weeks=weeks,
        month=first,
        prev_month=shift(first, -1),
        next_month=shift(first, 1),
        can_manage=user is not None and services.manages(user, listing),
        request_form=request_form,
        report_form=ReportForm(formdata=None),
        reviews=services.reviews_of_listing(listing.id),
        question_form=question_form or QuestionForm(formdata=None),
        my_question=services.question_of_listing(listing.id, user.id) if user is not None else None,
        today=now,
    )


def focus_first_error(form) -> None:
    """The first field with an error gets ``autofocus``: the browser opens the page scrolled to it,
    with no script."""
    for f in form:
        if f.errors and f.type != "CSRFTokenField":
            f.render_kw = {**(f.render_kw or {}), "autofocus": True}
            return


def _org_choices(form: ListingForm) -> None:
    orgs = [m.organization for m in current_user.memberships if m.organization.verified]
    form.organization_id.choices = [("", _("나(주민)로 올리기"))] + [(str(o.id), o.name) for o in orgs]
    if not orgs:
        form.organization_id.render_kw = {"disabled": True}


def _input_from(form: ListingForm) -> dict:
    return {
        "title": form.title.data or "",
        "kind": form.kind.data,
        "category": form.category.data,
        "dong": form.dong.data,
        "condition": form.condition.data,
        "description": form.description.data or "",
        "price": form.price.data if form.kind.data == "sell" else None,
        "price_per_day": form.price_per_day.data if form.kind.data == "rent" else None,
        "deposit": form.deposit.data or None,
    }


@login_required
def new():
    form = ListingForm()
    _org_choices(form)
    if request.method == "GET":
        form.dong.data = current_user.dong
        form.condition.data = "good"
    if form.validate_on_submit():
        data = _input_from(form)
        org = form.organization_id.data
        try:
            listing = services.create(
                current_user,
                services.ListingInput(**data, organization_id=int(org) if org and org.isdigit() else None),
            )
        except DomainError as err:
            show_error(form, err)
        else:
            for problem in upload_photos(listing.id, request.files.getlist(form.photos.name)):
                flash(problem, "error")
            flash(_("물건을 올렸습니다."), "success")
            return redirect(url_for("market.show", listing_id=listing.id))
    return render_template("market/form.html", form=form, listing=None), 422 if form.errors else 200


@login_required
def edit(listing_id: int):
    listing = services.get(listing_id, current_user)
    if not (services.manages(current_user, listing) or current_user.is_centre):
        abort(403)
    form = ListingForm(obj=listing)
    _org_choices(form)
    form.organization_id.render_kw = {"disabled": True}
    if form.validate_on_submit():
        try:
            services.update(current_user, listing_id, _input_from(form))
        except DomainError as err:
            if err.status in (403, 404):
                abort(err.status)
            show_error(form, err)
        else:
            for problem in upload_photos(listing_id, request.files.getlist(form.photos.name)):
                flash(problem, "error")
            flash(_("저장했습니다."), "success")
            return redirect(url_for("market.show", listing_id=listing_id))
    return (
        render_template("market/form.html", form=form, listing=listing, photo_form=PhotoForm()),
        422 if form.errors else 200,
    )


@login_required
def set_status(listing_id: int):
    status = request.form.get("status", "")
    messages = {
        "active": _("다시 공개했습니다."),
        "paused": _("잠시 멈췄습니다."),
        "closed": _("마감했습니다."),
    }

    def run():
        services.set_status(current_user, listing_id, status)
        flash(messages.get(status, _("저장했습니다.")), "success")

    return act(run, url_for("market.show", listing_id=listing_id))


@login_required
def delete(listing_id: int):
    try:
        services.delete(current_user, listing_id)
    except DomainError as err:
        if err.status in (403, 404):
            abort(err.status)
        flash_error(err)
        return redirect(url_for("market.show", listing_id=listing_id))
    flash(_("물건을 삭제했습니다."), "success")
    return redirect(url_for("market.mine"))


@login_required
def report(listing_id: int):
    form = ReportForm()

    def run():
        services.report_listing(current_user, listing_id, form.reason.data, form.comment.data or "")
        flash(_("신고를 접수했습니다. 센터에서 살펴보겠습니다."), "success")

    return act(run, url_for("market.show", listing_id=listing_id))


@login_required
def hide(listing_id: int):
    hidden = form_flag("hidden")

    def run():
        services.set_listing_hidden(current_user, listing_id, hidden, request.form.get("reason", ""))
        flash(_("숨겼습니다.") if hidden else _("다시 보이게 했습니다."), "success")

    return act(run, url_for("market.show", listing_id=listing_id))


@login_required
def appeal(listing_id: int):
    def run():
        services.appeal_hidden(current_user, listing_id, request.form.get("comment", ""))
        flash(_("이의 신청을 센터에 보냈습니다. 살펴본 뒤 알림으로 알려 드립니다."), "success")

    return act(run, url_for("market.show", listing_id=listing_id))
