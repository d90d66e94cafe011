"""The news calendar and feeds: the month view, iCalendar files, the Atom feed."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask_babel import gettext as _

from ...core.errors import NotFound
from ...core.extensions import db
from ...orgs import services as org_services
from ...web.api import parse_args
from ...web.helpers import current_user_or_none
from ...web.urls import absolute_request_url, public_base_url, public_host
from .. import services
from ..models import CATEGORIES
from ..schemas import FeedQuery
from ..services import feeds


def events():
    year, month_no = services.parse_month(request.args.get("month"))
    services.publish_due()
    return render_template("news/events.html", month=services.month(year, month_no))


def events_ics():
    services.publish_due()
    body = feeds.ics(
        services.ics_events(),
        base_url=public_base_url(),
        host=public_host(),
        name=_("성북 마을소식 행사·장터"),
    )
    return _calendar_response(body, "seongbuk-news-events.ics")


def post_ics(post_id: int):
    post = services.get_visible(current_user_or_none(), post_id)
    if post.event_date is None:
        raise NotFound(_("이 소식에는 행사 일정이 없습니다."))
    body = feeds.ics([post], base_url=public_base_url(), host=public_host(), name=post.title)
    return _calendar_response(body, f"news-{post.id}.ics")


def _calendar_response(body: str, filename: str):
    response = make_response(body.encode("utf-8"))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def feed():
    args = parse_args(FeedQuery)
    services.publish_due()
    stmt = services.search(
        category=args.get("category"), dong=args.get("dong"), organization_id=args.get("organization_id")
    ).limit(50)
    posts = list(db.session.execute(stmt).unique().scalars())
    title = _("성북 마을소식")
    if args.get("category"):
        title += " · " + str(CATEGORIES[args["category"]])
    if args.get("organization_id"):
        org = org_services.get(args["organization_id"])
        title += " · " + org.name
    if args.get("dong"):
        title += " · " + args["dong"]
    response = make_response(
        feeds.atom(
            posts,
            base_url=public_base_url(),
            self_url=absolute_request_url(),
            title=title,
            subtitle=_("성북구 사회적경제·교육·문화 소식과 장터 일정"),
        )
    )
    response.headers["Content-Type"] = "application/atom+xml; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def register(bp: Blueprint) -> None:
    bp.get("/events")(events)
    bp.get("/events.ics")(events_ics)
    bp.get("/<int:post_id>/event.ics")(post_ics)
    bp.get("/feed.atom")(feed)
