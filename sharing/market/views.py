"""The market's pages: search, listing, new/edit with photos, my listings. Requests are in loan_views."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import noload

from ..core.errors import DomainError
from ..web.api import paginate
from ..web.forms import localise_choices, show_error
from ..web.helpers import flash_error, run_action
from . import services
from .calendar import month_bounds, month_grid, parse_month, shift
from .cards import count as cached_count
from .cards import page_of
from .common import Labels, today
from .forms import ListingForm, PhotoForm, ReportForm, RequestForm, SearchForm
from .models import Listing
from .widgets import listing_card, search_filters

bp = Blueprint("market", __name__, url_prefix="/market")
bp.add_app_template_global(Labels, "market_labels")
bp.add_app_template_global(listing_card, "listing_card")
bp.add_app_template_global(search_filters, "market_filters")
PER_PAGE = 20


def viewer():
    return current_user if current_user.is_authenticated else None


def act(action, back: str):
    """Run a service action from a POST: 403/404 as error pages, anything else flashed on ``back``."""
    return run_action(action, back, pages=(403, 404), abort_pages=True)


def page_arg() -> int:
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), 100_000)


# --- Search ---------------------------------------------------------------------------------------


@bp.get("")
def index():
    form = SearchForm(request.args)
    localise_choices(form, "kind", "category", "dong")
    form.validate()
    for name in ("kind", "category", "dong"):  # an absent filter is "all", not an invalid choice
        if not request.args.get(name):
            getattr(form, name).errors = []
    filters = {}
    for name in ("q", "kind", "category", "dong"):
        value = (getattr(form, name).data or "").strip()
        if value and not getattr(form, name).errors:
            filters[name] = value
    dates = {n: getattr(form, n).data for n in ("available_from", "available_to") if getattr(form, n).data}
    if len(dates) == 2 and dates["available_to"] < dates["available_from"]:
        form.available_to.errors = [_("종료일은 시작일과 같거나 뒤여야 합니다.")]
        dates = {}
    page = page_arg()
    stmt, count = services.search(**filters, **dates, viewer=viewer())
    total = cached_count(count)
    rows = page_of(stmt, page=page, per_page=PER_PAGE, photos=False) if total else []
    args = {**filters, **{k: v.isoformat() for k, v in dates.items()}}
    return render_template(
        "market/index.html", form=form, listings=rows, total=total, page=page, per_page=PER_PAGE, args=args
    )


# --- One listing ----------------------------------------------------------------------------------


@bp.get("/<int:listing_id>")
def show(listing_id: int):
    listing = services.get(listing_id, viewer())
    now = today()
    first = parse_month(request.args.get("month"), now)
    start, end = month_bounds(first)
    weeks = month_grid(first, services.booked_ranges(listing.id, start, end), now)
    user = viewer()
    return render_template(
        "market/show.html",
        listing=listing,
        weeks=weeks,
        month=first,
        prev_month=shift(first, -1),
        next_month=shift(first, 1),
        can_manage=user is not None and services.manages(user, listing),
        request_form=RequestForm(formdata=None, start_date=max(now, start)),
        report_form=ReportForm(formdata=None),
        reviews=services.reviews_of_listing(listing.id),
        today=now,
    )


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


def _upload_photos(listing_id: int, files) -> list[str]:
    problems = []
    for file in files or []:
        if not getattr(file, "filename", ""):
            continue
        try:
            services.add_photo(current_user, listing_id, file)
        except DomainError as err:
            details = " ".join(str(m) for ms in (err.fields or {}).values() for m in ms)
            problems.append(f"{file.filename}: {details or err.message}")
    return problems


@bp.route("/new", methods=["GET", "POST"])
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
            for problem in _upload_photos(listing.id, request.files.getlist(form.photos.name)):
                flash(problem, "error")
            flash(_("물건을 올렸습니다."), "success")
            return redirect(url_for("market.show", listing_id=listing.id))
    return render_template("market/form.html", form=form, listing=None), 422 if form.errors else 200


@bp.route("/<int:listing_id>/edit", methods=["GET", "POST"])
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
            for problem in _upload_photos(listing_id, request.files.getlist(form.photos.name)):
                flash(problem, "error")
            flash(_("저장했습니다."), "success")
            return redirect(url_for("market.show", listing_id=listing_id))
    return (
        render_template("market/form.html", form=form, listing=listing, photo_form=PhotoForm()),
        422 if form.errors else 200,
    )


@bp.post("/<int:listing_id>/status")
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


@bp.post("/<int:listing_id>/delete")
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


@bp.post("/<int:listing_id>/photos")
@login_required
def add_photo(listing_id: int):
    def run():
        services.add_photo(current_user, listing_id, request.files.get("file"))
        flash(_("사진을 올렸습니다."), "success")

    return act(run, url_for("market.edit", listing_id=listing_id))


@bp.post("/<int:listing_id>/photos/<int:photo_id>/delete")
@login_required
def delete_photo(listing_id: int, photo_id: int):
    def run():
        services.delete_photo(current_user, listing_id, photo_id)
        flash(_("사진을 지웠습니다."), "success")

    return act(run, url_for("market.edit", listing_id=listing_id))


@bp.post("/<int:listing_id>/report")
@login_required
def report(listing_id: int):
    form = ReportForm()

    def run():
        services.report_listing(current_user, listing_id, form.reason.data, form.comment.data or "")
        flash(_("신고를 접수했습니다. 센터에서 살펴보겠습니다."), "success")

    return act(run, url_for("market.show", listing_id=listing_id))


@bp.post("/<int:listing_id>/hide")
@login_required
def hide(listing_id: int):
    hidden = request.form.get("hidden", "1") == "1"

    def run():
        services.set_listing_hidden(current_user, listing_id, hidden)
        flash(_("숨겼습니다.") if hidden else _("다시 보이게 했습니다."), "success")

    return act(run, url_for("market.show", listing_id=listing_id))


# --- Mine -----------------------------------------------------------------------------------------


@bp.get("/mine")
@login_required
def mine():
    page = page_arg()
    rows, total = paginate(
        services.owned_stmt(current_user).options(noload(Listing.photos)), page=page, per_page=PER_PAGE
    )
    return render_template("market/mine.html", listings=rows, total=total, page=page, per_page=PER_PAGE)


@bp.get("/users/<int:user_id>")
def profile(user_id: int):
    from ..auth.services import get_user

    try:
        person = get_user(user_id)
    except DomainError:
        abort(404)
    page = page_arg()
    rows, total = paginate(
        services.by_owner_stmt(person.id).options(noload(Listing.photos)), page=page, per_page=PER_PAGE
    )
    return render_template(
        "market/profile.html",
        person=person,
        ratings=services.user_ratings(person.id),
        listings=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
    )


from . import loan_views  # noqa: E402,F401  (registers the request pages on bp)
