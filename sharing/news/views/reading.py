"""Reading the news: the list with its filters, a post, an organisation's posts, the writers' own
drafts and scheduled posts."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ...core.errors import DomainError
from ...core.search import normalise_query
from ...orgs import services as org_services
from ...web.api import paginate
from ...web.helpers import current_user_or_none, page_arg
from ...web.schemas import ID_MAX
from .. import services
from ..forms import FilterForm, ReportForm, verified_org_choices
from ..models import CATEGORIES

PER_PAGE = 20


def index():
    form = FilterForm(request.args)
    form.organization_id.choices = verified_org_choices(_("전체"))
    category = form.category.data if form.category.data in CATEGORIES else None
    dong = form.dong.data if form.dong.data in dict(form.dong.choices) else None
    q = normalise_query(form.q.data)
    org_id = request.args.get("organization_id", type=int)
    if org_id is not None and not 1 <= org_id <= ID_MAX:
        org_id = None  # names no organisation (and would overflow the integer column)
    services.publish_due()
    page = page_arg()
    rows, total = services.public_page(
        q=q, category=category, dong=dong or None, organization_id=org_id, page=page, per_page=PER_PAGE
    )
    filters = (("category", category), ("dong", dong), ("organization_id", org_id))
    feed_args = {k: v for k, v in filters if v}  # the feed has no search: it follows the filters
    args = {"q": q, **feed_args} if q else feed_args
    user = current_user_or_none()
    return render_template(
        "news/index.html",
        form=form,
        posts=rows,
        total=total,
        page=page,
        per_page=PER_PAGE,
        args=args,
        q=q,
        may_write=_may_write(user),
        feed_args=feed_args,
    )


def _may_write(user) -> bool:
    try:
        services.check_writer(user, None, need_org=False)
    except DomainError:
        return False
    return True


def show(post_id: int):
    user = current_user_or_none()
    post = services.get_visible(user, post_id)
    return render_template(
        "news/show.html",
        post=post,
        state=services.state(post),
        may_manage=services.can_manage(user, post),
        report_form=ReportForm(),
    )


def organization(org_id: int):
    org = org_services.get(org_id)
    services.publish_due()
    page = page_arg()
    rows, total = services.public_page(organization_id=org.id, page=page, per_page=PER_PAGE)
    user = current_user_or_none()
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


@login_required
def manage():
    which = request.args.get("which", "all")
    if which not in ("all", "draft", "scheduled", "hidden"):
        which = "all"
    page = page_arg()
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


def register(bp: Blueprint) -> None:
    bp.get("")(index)
    bp.get("/<int:post_id>")(show)
    bp.get("/organizations/<int:org_id>")(organization)
    bp.get("/manage")(manage)
