"""HTML pages of the news feed: list, post, write/edit, events calendar, feeds, follows, org pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..core.errors import DomainError
from ..core.extensions import db
from ..core.vocab import label
from ..orgs import services as org_services
from ..orgs.models import Organization
from ..web.api import paginate
from ..web.forms import show_error
from ..web.helpers import form_flag, run_action
from ..web.schemas import ID_MAX
from ..web.urls import safe_next
from . import render, services
from ..core.time import seoul
from .forms import FilterForm, FollowForm, PostForm, ReportForm
from .models import CATEGORIES

bp = Blueprint("news", __name__, url_prefix="/news")
PER_PAGE = 20


@bp.app_template_filter("news_html")
def _news_html(fragment):
    return render.safe_html(fragment)


@bp.app_template_filter("news_text")
def _news_text(text):
    return render.safe_text(text)


def _user():
    return current_user if current_user.is_authenticated else None


def _page() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def _verified_org_choices(blank_label):
    orgs = db.session.execute(
        select(Organization.id, Organization.name)
        .where(Organization.verified_at.is_not(None))
        .order_by(Organization.name)
    ).all()
    return [("", blank_label)] + [(str(i), name) for i, name in orgs]


# --- Reading --------------------------------------------------------------------------------------


@bp.get("")
def index():
    form = FilterForm(request.args)
    form.organization_id.choices = _verified_org_choices(_("전체"))
    category = form.category.data if form.category.data in CATEGORIES else None
    dong = form.dong.data if form.dong.data in dict(form.dong.choices) else None
    org_id = request.args.get("organization_id", type=int)
    if org_id is not None and not 1 <= org_id <= ID_MAX:
        org_id = None  # names no organisation (and would overflow the integer column)
    services.publish_due()
    page = _page()
    rows, total = paginate(
        services.search(category=category, dong=dong or None, organization_id=org_id),
        page=page,
        per_page=PER_PAGE,
    )
    args = {k: v for k, v in (("category", category), ("dong", dong), ("organization_id", org_id)) if v}
    user = _user()
    return render_template(
        "news/index.html",
        form=form,
        posts=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        may_write=_may_write(user),
        feed_args=args,
    )


def _may_write(user) -> bool:
    try:
        services.check_writer(user, None, need_org=False)
    except DomainError:
        return False
    return True


@bp.get("/<int:post_id>")
def show(post_id: int):
    user = _user()
    post = services.get_visible(user, post_id)
    return render_template(
        "news/show.html",
        post=post,
        state=services.state(post),
        may_manage=services.can_manage(user, post),
        report_form=ReportForm(),
    )


@bp.get("/organizations/<int:org_id>")
def organization(org_id: int):
    org = org_services.get(org_id)
    services.publish_due()
    page = _page()
    rows, total = paginate(services.search(organization_id=org.id), page=page, per_page=PER_PAGE)
    user = _user()
    following = None
    if user is not None:
        following = next(
            (
                f
                for f in services.follows_of(user)
                if f.kind == "organization" and f.organization_id == org.id
            ),
            None,
        )
    return render_template(
        "news/organization.html",
        org=org,
        posts=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        following=following,
    )


@bp.get("/manage")
@login_required
def manage():
    which = request.args.get("which", "all")
    if which not in ("all", "draft", "scheduled", "hidden"):
        which = "all"
    page = _page()
    rows, total = paginate(services.unpublished(current_user, which=which), page=page, per_page=PER_PAGE)
    return render_template(
        "news/manage.html",
        posts=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        which=which,
        state=services.state,
    )


# --- Writing --------------------------------------------------------------------------------------


def _org_choices(user):
    choices = [(str(o.id), o.name) for o in services.writable_organizations(user)]
    if user.is_centre:
        return [("", _("마을사회적경제센터"))] + choices
    return choices


def _form_data(form: PostForm, *, post=None) -> dict:
    data = {
        "title": form.title.data or "",
        "body": form.body.data or "",
        "category": form.category.data,
        "dong": form.dong.data or None,
        "event_date": form.event_date.data,
        "event_time": form.event_time.data,
        "event_end_time": form.event_end_time.data,
        "event_place": form.event_place.data or None,
        "cover_alt": form.cover_alt.data or "",
    }
    mode = form.publish.data
    if mode == "draft":
        data["status"] = "draft"
        data["publish_at"] = form.publish_at.data
    elif mode == "schedule":
        data["status"] = "published"
        data["publish_at"] = form.publish_at.data
    else:
        data["status"] = "published"
        if post is None or services.state(post) != "published":
            data["publish_at"] = None
    if post is None:
        data["organization_id"] = int(form.organization_id.data) if form.organization_id.data else None
    return data


def _cover(form: PostForm):
    file = form.cover.data
    return file if file is not None and getattr(file, "filename", "") else None


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    services.check_writer(current_user, None, need_org=False)  # 403 with the reason for residents
    form = PostForm()
    form.organization_id.choices = _org_choices(current_user)
    if form.validate_on_submit():
        try:
            post = services.create(current_user, _form_data(form), cover=_cover(form))
        except DomainError as err:
            if err.status in (401, 403, 404) and not err.fields:
                raise
            show_error(form, err)
        else:
            flash(_published_message(post), "success")
            return redirect(url_for("news.show", post_id=post.id))
    return render_template("news/form.html", form=form, post=None), 422 if form.errors else 200


def _published_message(post) -> str:
    return {
        "draft": _("임시 저장했습니다. 게시하기 전에는 조직 구성원과 센터만 볼 수 있습니다."),
        "scheduled": _("예약했습니다. 예약 시각에 게시되고 구독자에게 알림이 갑니다."),
    }.get(services.state(post), _("게시했습니다."))


@bp.route("/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(post_id: int):
    post = services.get_visible(current_user, post_id)
    services.require_manager(current_user, post)
    form = PostForm(obj=post)
    del form.organization_id
    if request.method == "GET":
        form.publish.data = {"draft": "draft", "scheduled": "schedule"}.get(services.state(post), "now")
        local = seoul(post.publish_at)
        form.publish_at.data = local.replace(tzinfo=None) if local else None
        form.dong.data = post.dong or ""
    if form.validate_on_submit():
        try:
            post = services.update(current_user, post_id, _form_data(form, post=post), cover=_cover(form))
        except DomainError as err:
            if err.status in (401, 403, 404) and not err.fields:
                raise
            show_error(form, err)
        else:
            flash(
                _published_message(post) if services.state(post) != "published" else _("고쳤습니다."),
                "success",
            )
            return redirect(url_for("news.show", post_id=post.id))
    return render_template("news/form.html", form=form, post=post), 422 if form.errors else 200


def _act(post_id: int, action, message: str, *, to=None):
    """Run a POST action; field errors come back as a flash, 403/404 as the error page."""
    return run_action(action, to or url_for("news.show", post_id=post_id), message)


@bp.post("/<int:post_id>/delete")
@login_required
def delete(post_id: int):
    return _act(
        post_id,
        lambda: services.delete(current_user, post_id),
        _("소식을 지웠습니다."),
        to=url_for("news.index"),
    )


@bp.post("/<int:post_id>/cover/delete")
@login_required
def delete_cover(post_id: int):
    return _act(post_id, lambda: services.remove_cover(current_user, post_id), _("표지 사진을 뺐습니다."))


@bp.post("/<int:post_id>/pin")
@login_required
def pin(post_id: int):
    pinned = form_flag("pinned")
    return _act(
        post_id,
        lambda: services.set_post_pinned(current_user, post_id, pinned),
        _("맨 위에 고정했습니다.") if pinned else _("고정을 풀었습니다."),
    )


@bp.post("/<int:post_id>/hide")
@login_required
def hide(post_id: int):
    hidden = form_flag("hidden")
    return _act(
        post_id,
        lambda: services.set_post_hidden(current_user, post_id, hidden),
        _("숨겼습니다. 주민에게는 보이지 않습니다.") if hidden else _("다시 보이게 했습니다."),
    )


@bp.post("/<int:post_id>/report")
@login_required
def report(post_id: int):
    form = ReportForm()
    if not form.validate_on_submit():
        services.get_visible(current_user, post_id)
        flash(_("신고 사유를 선택해 주세요."), "error")
        return redirect(url_for("news.show", post_id=post_id))
    return _act(
        post_id,
        lambda: services.report(current_user, post_id, form.reason.data, form.comment.data or ""),
        _("신고했습니다. 마을사회적경제센터가 살펴보겠습니다."),
    )


# --- Follows --------------------------------------------------------------------------------------


@bp.route("/follows", methods=["GET", "POST"])
@login_required
def follows():
    form = FollowForm()
    form.organization_id.choices = _verified_org_choices(_("선택"))
    if request.method == "POST":
        back = safe_next(request.form.get("next"), default=url_for("news.follows"))
        if form.validate_on_submit() and form.kind.data in ("category", "dong", "organization"):
            org = form.organization_id.data or ""
            target = {
                "category": {"category": form.category.data},
                "dong": {"dong": form.dong.data},
                "organization": {"organization_id": int(org) if org.isdigit() else None},
            }[form.kind.data]

            def run():
                services.follow(current_user, **target)

            return _act(0, run, _("구독했습니다. 새 소식이 올라오면 알려 드립니다."), to=back)
        flash(_("구독할 항목을 선택해 주세요."), "error")
        return redirect(back)
    return render_template("news/follows.html", follows=services.follows_of(current_user), form=form)


@bp.post("/follows/<int:follow_id>/delete")
@login_required
def unfollow(follow_id: int):
    services.unfollow(current_user, follow_id)
    flash(_("구독을 끊었습니다."), "success")
    return redirect(safe_next(request.form.get("next"), default=url_for("news.follows")))


@bp.app_template_global("news_category_label")
def _category_label(code: str) -> str:
    return label(CATEGORIES, code)


from . import feed_views  # noqa: E402, F401  (the calendar and feed routes, on this blueprint)
