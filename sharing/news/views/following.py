"""Following the news: by field, dong or organisation (notified when a post is published)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...web.helpers import run_action
from ...web.urls import safe_next
from .. import services
from ..forms import FollowForm, verified_org_choices


@login_required
def follows():
    form = FollowForm()
    form.organization_id.choices = verified_org_choices(_("선택"))
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

            return run_action(run, back, _("구독했습니다. 새 소식이 올라오면 알려 드립니다."))
        flash(_("구독할 항목을 선택해 주세요."), "error")
        return redirect(back)
    return render_template("news/follows.html", follows=services.follows_of(current_user), form=form)


@login_required
def unfollow(follow_id: int):
    services.unfollow(current_user, follow_id)
    flash(_("구독을 끊었습니다."), "success")
    return redirect(safe_next(request.form.get("next"), default=url_for("news.follows")))


def register(bp: Blueprint) -> None:
    bp.route("/follows", methods=["GET", "POST"])(follows)
    bp.post("/follows/<int:follow_id>/delete")(unfollow)
