"""Writing the news: the post form (new and edit) and a post's POST buttons (delete, cover, pin,
hide, report)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.errors import DomainError
from ...core.time import seoul
from ...web.forms import show_error
from ...web.helpers import form_flag, run_action
from .. import services
from ..forms import PostForm, ReportForm


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


@login_required
def delete(post_id: int):
    return _act(
        post_id,
        lambda: services.delete(current_user, post_id),
        _("소식을 지웠습니다."),
        to=url_for("news.index"),
    )


@login_required
def delete_cover(post_id: int):
    return _act(post_id, lambda: services.remove_cover(current_user, post_id), _("표지 사진을 뺐습니다."))


@login_required
def pin(post_id: int):
    pinned = form_flag("pinned")
    return _act(
        post_id,
        lambda: services.set_post_pinned(current_user, post_id, pinned),
        _("맨 위에 고정했습니다.") if pinned else _("고정을 풀었습니다."),
    )


@login_required
def hide(post_id: int):
    hidden = form_flag("hidden")
    return _act(
        post_id,
        lambda: services.set_post_hidden(current_user, post_id, hidden),
        _("숨겼습니다. 주민에게는 보이지 않습니다.") if hidden else _("다시 보이게 했습니다."),
    )


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


def register(bp: Blueprint) -> None:
    bp.route("/new", methods=["GET", "POST"])(new)
    bp.route("/<int:post_id>/edit", methods=["GET", "POST"])(edit)
    bp.post("/<int:post_id>/delete")(delete)
    bp.post("/<int:post_id>/cover/delete")(delete_cover)
    bp.post("/<int:post_id>/pin")(pin)
    bp.post("/<int:post_id>/hide")(hide)
    bp.post("/<int:post_id>/report")(report)
