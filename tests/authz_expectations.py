"""Who may use which route: the data of ``tests/test_authz_matrix.py``.

One entry per (endpoint, method) of ``app.url_map``. ``row(anonymous, resident, other, member, centre)``
gives each role's answer:

- an int: exactly that status (403 refused, 404 where the service hides that the object exists,
  401 an anonymous API call, 302 a redirect that is the page's answer for everyone);
- ``LOGIN``: a web page sends the anonymous visitor to sign in (302 to /auth/login);
- ``OK``: allowed. A GET must answer 200; a POST/PATCH/DELETE any of ``OK_STATUSES`` (the point is the
  permission: a 409 for a state the objects are in, or a 422 for a minimal body, is still "allowed").

The roles and objects (``tests/test_authz_matrix.py``, ``World``): ``resident`` owns ``@listing`` (with
``@photo``, and loans to ``other`` in every state: ``@loan`` requested, ``@loan_accepted``,
``@loan_borrowed``, ``@loan_returned``; ``@message`` is other's in @loan's thread; ``@question`` is
other's question about it before a request), ``@spare_listing``
(no loans), ``@resource`` and ``@follow``; ``resident`` paid ``@payment`` to ``@org``, the verified
organisation of ``member``, which wrote ``@post`` (an event); ``other`` reported the listing
(``@report``) and founded ``@pending_org``; ``@stranger`` is a resident the centre acts on.

URL parts default by name (``default_params``); an entry's ``params`` overrides them. Bodies: ``json``
(API), ``form`` (web; CSRF is off in testing), ``files`` (multipart names given a small JPEG), ``raw``.
A value ``"@name"`` is the object's id; a callable gets the world.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace
from datetime import timedelta

from tests.factories import Factory

ROLES = ("anonymous", "resident", "other", "member", "centre")
OK = "OK"
LOGIN = "LOGIN"
OK_STATUSES = frozenset({200, 201, 204, 302, 400, 409, 422})


@dataclass(frozen=True)
class Expect:
    statuses: dict
    params: dict = field(default_factory=dict)
    query: dict | None = None
    json: object = None
    form: object = None
    files: tuple = ()
    headers: dict | None = None  # extra request headers (the card's required Idempotency-Key)
    raw: bytes | None = None
    content_type: str | None = None
    plan: bool = False  # load the basic plan first (the plan routes)
    setup: object = None  # a callable(world) run before the requests
    cases: tuple = ()  # several requests for one route (a URL part with a few values)

    def variants(self) -> tuple:
        return self.cases or (self,)

    def but(self, **changes) -> Expect:
        return replace(self, **changes)


def row(anonymous, resident, other, member, centre, **options) -> Expect:
    return Expect(dict(zip(ROLES, (anonymous, resident, other, member, centre), strict=True)), **options)


def cases(*variants: Expect) -> Expect:
    return Expect(variants[0].statuses, cases=variants)


DEFAULT_PARAMS = {
    "listing_id": "@listing",
    "photo_id": "@photo",
    "loan_id": "@loan",
    "message_id": "@message",
    "question_id": "@question",
    "org_id": "@org",
    "organization_id": "@org",
    "post_id": "@post",
    "resource_id": "@resource",
    "payment_id": "@payment",
    "report_id": "@report",
    "follow_id": "@follow",
    "note_id": "@note",
    "user_id": "@stranger",
    "key": "@photo_key",
    "topup_id": 987_654,  # no such pending top-up: the centre passes the gate and meets a 404
    "payout_id": 987_654,  # no such payout request: likewise
    "code": "3-1",  # the plan's project (the language switch overrides it)
    "year": 2018,
    "kind": "self",
    "name": "targets",
    "token": "not-a-link",  # a reset or confirmation link that is not one
}


def default_params(arguments) -> dict:
    missing = set(arguments) - set(DEFAULT_PARAMS) - {"action"}
    assert not missing, f"no default for URL parts {missing}: add one to DEFAULT_PARAMS or the entry"
    return {name: DEFAULT_PARAMS[name] for name in arguments if name in DEFAULT_PARAMS}


# --- Shorthands ---------------------------------------------------------------------------------

PUBLIC = row(200, 200, 200, 200, 200)
API_SIGNED_IN = row(401, OK, OK, OK, OK)
API_CENTRE = row(401, 403, 403, 403, OK)
WEB_SIGNED_IN = row(LOGIN, OK, OK, OK, OK)
WEB_CENTRE = row(LOGIN, 403, 403, 403, OK)

# the listing's owner (and members of its organisation); the centre too where the service says so
API_OWNER_OR_CENTRE = row(401, OK, 403, 403, OK)
API_OWNER = row(401, OK, 403, 403, 403)
WEB_OWNER_OR_CENTRE = row(LOGIN, OK, 403, 403, OK)
WEB_OWNER = row(LOGIN, OK, 403, 403, 403)
# the two sides of a loan (its borrower ``other`` and the listing's owner)
API_LOAN_SIDES = row(401, OK, OK, 403, 403)
WEB_LOAN_SIDES = row(LOGIN, OK, OK, 403, 403)
# the post's organisation (member) or the centre
API_POST_MANAGERS = row(401, 403, 403, OK, OK)
WEB_POST_MANAGERS = row(LOGIN, 403, 403, OK, OK)
# the verified organisation's members or the centre (shop pages, refunds)
WEB_SHOP = row(LOGIN, 403, 403, OK, OK)

# what the centre hid is not there for the others (404), but is for its owner and the centre
HIDDEN_LISTING = row(404, 200, 404, 404, 200, params={"listing_id": "@hidden_listing"})
HIDDEN_POST = row(404, 404, 404, 200, 200, params={"post_id": "@hidden_post"})
HIDDEN_RESOURCE = row(404, 200, 404, 404, 200, params={"resource_id": "@hidden_resource"})

_emails = itertools.count(1)


def _fresh_email(prefix: str):
    return lambda world: f"{prefix}{next(_emails)}@example.kr"


def _future(days: int):
    def value(world):
        from sharing.market.common import today

        return (today() + timedelta(days=days)).isoformat()

    return value


def _request_dates(days: int):
    return lambda world: {"start_date": _future(days)(world), "end_date": _future(days)(world)}


def _stamp(world):
    """The health check answers 200 only at the migrations' head: stamp the test database there."""
    from flask_migrate import stamp

    stamp()


def _key(name: str) -> dict:
    """An Idempotency-Key of its own per route (required on the card's money-moving API calls)."""
    return {"Idempotency-Key": f"authz-{name}"}


def _paid(world):
    """The shop has taken @payment (something to pay out)."""
    world.get("payment")


def _policy_form(world):
    org = world.org_id
    return {f"org{org}-discount_bp": "300", f"org{org}-mileage_bp": "100"}


LISTING_JSON = {
    "title": "캠핑 의자",
    "kind": "share",
    "category": "leisure",
    "dong": "정릉3동",
    "description": "두 개",
}
LISTING_FORM = {**LISTING_JSON, "condition": "good"}
RESOURCE_JSON = {
    "organization_id": "",
    "kind": "equipment",
    "name": "공유 재봉틀",
    "description": "주민 누구나",
    "category": "food",
    "dong": "삼선동",
}
POST_FORM = {"title": "새 소식", "body": "본문입니다", "category": "education", "dong": "", "publish": "now"}
PAY_FORM = {"amount": "1000", "idempotency_key": "0123456789abcdef0123456789abcdef"}
CSV = "kind,name,description,category,dong\nspace,작은 도서관,책,education,종암동\n".encode()


EXPECTATIONS: dict[tuple[str, str], Expect] = {
    # --- home, health, media, language, API documents -----------------------------------------------
    ("main.home", "GET"): PUBLIC,
    ("main.favicon", "GET"): row(204, 204, 204, 204, 204),
    ("main.healthz", "GET"): PUBLIC.but(setup=_stamp),
    ("main.switch_language", "GET"): row(302, 302, 302, 302, 302, params={"code": "ko"}),
    ("main.media", "GET"): PUBLIC,
    ("openapi.docs", "GET"): PUBLIC,
    ("openapi.openapi_json", "GET"): PUBLIC,
    # --- accounts ----------------------------------------------------------------------------------------
    ("auth.register", "GET"): PUBLIC,
    ("auth.register", "POST"): row(
        OK,
        OK,
        OK,
        OK,
        OK,
        form=lambda w: {
            "email": _fresh_email("web")(w),
            "password": Factory.PASSWORD,
            "password2": Factory.PASSWORD,
            "name": "새 주민",
            "dong": "종암동",
            "privacy_consent": "y",
            "terms_consent": "y",
        },
    ),
    ("auth.login", "GET"): PUBLIC,
    ("auth.login", "POST"): row(
        OK,
        OK,
        OK,
        OK,
        OK,
        form=lambda w: {"email": w.emails["resident"], "password": w.make.PASSWORD},
    ),
    ("auth.logout", "GET"): row(OK, OK, OK, OK, OK),
    ("auth.logout", "POST"): row(OK, OK, OK, OK, OK),
    ("auth.profile", "GET"): WEB_SIGNED_IN,
    ("auth.profile", "POST"): WEB_SIGNED_IN.but(form={"name": "고친 이름", "dong": "성북동"}),
    ("auth_api.register", "POST"): row(
        OK,
        OK,
        OK,
        OK,
        OK,
        json=lambda w: {
            "email": _fresh_email("api")(w),
            "password": Factory.PASSWORD,
            "name": "새 주민",
            "dong": "종암동",
            "privacy_consent": True,
            "terms_consent": True,
        },
    ),
    ("auth_api.issue_token", "POST"): row(
        OK,
        OK,
        OK,
        OK,
        OK,
        json=lambda w: {"email": w.emails["resident"], "password": w.make.PASSWORD},
    ),
    ("auth_api.revoke_token", "DELETE"): API_SIGNED_IN,
    ("auth.logout_everywhere", "POST"): WEB_SIGNED_IN,
    ("auth.change_password", "GET"): WEB_SIGNED_IN,
    ("auth.change_password", "POST"): WEB_SIGNED_IN.but(
        form={"current_password": "not-the-password", "password": "x", "password2": "x"}
    ),
    ("auth.request_reset", "GET"): PUBLIC,
    ("auth.request_reset", "POST"): row(OK, OK, OK, OK, OK, form=lambda w: {"email": w.emails["resident"]}),
    # a link that is not one: the same 422 page for everyone
    ("auth.reset_password", "GET"): row(422, 422, 422, 422, 422),
    ("auth.reset_password", "POST"): row(422, 422, 422, 422, 422),
    ("auth.verify_email", "GET"): row(422, 422, 422, 422, 422),
    # only while verification is required (off in testing): not there otherwise
    ("auth.resend_verification", "POST"): row(LOGIN, 404, 404, 404, 404),
    ("auth.export", "GET"): WEB_SIGNED_IN,
    ("auth.delete_account", "GET"): WEB_SIGNED_IN,
    # a wrong password: refused (422) without deleting the world's accounts
    ("auth.delete_account", "POST"): WEB_SIGNED_IN.but(form={"password": "not-the-password"}),
    ("auth_api.export_me", "GET"): API_SIGNED_IN,
    ("auth_api.delete_me", "POST"): API_SIGNED_IN.but(json={"password": "not-the-password"}),
    ("main.privacy", "GET"): PUBLIC,
    ("main.terms", "GET"): PUBLIC,
    ("main.guide", "GET"): PUBLIC,
    ("main.dismiss_welcome", "POST"): WEB_SIGNED_IN,
    ("main.search", "GET"): PUBLIC.but(query={"q": "공구"}),
    ("auth_api.me", "GET"): API_SIGNED_IN,
    ("auth_api.update_me", "PATCH"): API_SIGNED_IN.but(json={"name": "고친 이름"}),
    # --- organisations -----------------------------------------------------------------------------------
    ("orgs.index", "GET"): PUBLIC,
    ("orgs.show", "GET"): PUBLIC,
    ("orgs.new", "GET"): WEB_SIGNED_IN,
    ("orgs.new", "POST"): WEB_SIGNED_IN.but(
        form={"name": "새 협동조합", "kind": "cooperative", "dong": "종암동", "description": "소개"}
    ),
    ("orgs.invite", "POST"): WEB_SHOP.but(form=lambda w: {"email": w.stranger_email}),
    ("orgs.verify", "POST"): WEB_CENTRE.but(params={"org_id": "@pending_org"}, form={"verified": "1"}),
    ("orgs.profile", "GET"): WEB_SHOP,
    ("orgs.profile", "POST"): WEB_SHOP.but(
        form={"address": "서울 성북구 장위로 12", "opening_hours": "10-19시"}
    ),
    ("orgs.card_policy", "POST"): WEB_CENTRE.but(form={"discount_bp": "3", "mileage_bp": "1"}),
    ("orgs_api.index", "GET"): PUBLIC,
    ("orgs_api.show", "GET"): PUBLIC,
    ("orgs_api.create", "POST"): API_SIGNED_IN.but(
        json={"name": "새 협동조합", "kind": "cooperative", "dong": "종암동", "description": ""}
    ),
    ("orgs_api.verify", "POST"): API_CENTRE.but(params={"org_id": "@pending_org"}),
    ("orgs_api.unverify", "POST"): API_CENTRE,
    ("orgs_api.card_policy", "PATCH"): API_CENTRE.but(json={"discount_bp": 300, "mileage_bp": 100}),
    ("orgs_api.invite", "POST"): row(401, 403, 403, OK, OK, json=lambda w: {"email": w.stranger_email}),
    # --- market: listings ----------------------------------------------------------------------------------
    ("market.index", "GET"): PUBLIC,
    ("market.show", "GET"): cases(PUBLIC, HIDDEN_LISTING),
    ("market.profile", "GET"): PUBLIC,
    ("market.mine", "GET"): WEB_SIGNED_IN,
    ("market.new", "GET"): WEB_SIGNED_IN,
    ("market.new", "POST"): WEB_SIGNED_IN.but(form=LISTING_FORM),
    ("market.edit", "GET"): WEB_OWNER_OR_CENTRE,
    ("market.edit", "POST"): WEB_OWNER_OR_CENTRE.but(form={**LISTING_FORM, "title": "고친 제목"}),
    ("market.set_status", "POST"): WEB_OWNER_OR_CENTRE.but(form={"status": "paused"}),
    ("market.delete", "POST"): WEB_OWNER_OR_CENTRE.but(params={"listing_id": "@spare_listing"}),
    ("market.add_photo", "POST"): WEB_OWNER.but(files=("file",)),
    ("market.delete_photo", "POST"): WEB_OWNER,
    ("market.report", "POST"): WEB_SIGNED_IN.but(form={"reason": "spam"}),
    ("market.hide", "POST"): WEB_CENTRE.but(form={"hidden": "1"}),
    ("market.appeal", "POST"): WEB_OWNER.but(form={"comment": "다시 봐 주세요"}),
    ("market_api.list_listings", "GET"): PUBLIC,
    ("market_api.show_listing", "GET"): cases(PUBLIC, HIDDEN_LISTING),
    ("market_api.user_ratings", "GET"): PUBLIC,
    ("market_api.create_listing", "POST"): API_SIGNED_IN.but(json=LISTING_JSON),
    # API.md's "who" says owner; the market lets the centre edit, pause and close too (moderation,
    # sharing/market/listings.py). Kept as the service decides; noted in the matrix's report.
    ("market_api.update_listing", "PATCH"): API_OWNER_OR_CENTRE.but(json={"title": "고친 제목"}),
    ("market_api.delete_listing", "DELETE"): API_OWNER_OR_CENTRE.but(params={"listing_id": "@spare_listing"}),
    ("market_api.upload_photo", "POST"): API_OWNER.but(files=("file",)),
    ("market_api.delete_photo", "DELETE"): API_OWNER,
    ("market_api.report_listing", "POST"): API_SIGNED_IN.but(json={"reason": "spam"}),
    # --- market: requests (loans), messages, reviews -------------------------------------------------------
    ("market.ask", "POST"): row(LOGIN, 403, OK, OK, OK, form=_request_dates(30)),
    ("market.borrowing", "GET"): WEB_SIGNED_IN,
    ("market.lending", "GET"): WEB_SIGNED_IN,
    ("market.request_page", "GET"): WEB_LOAN_SIDES,
    ("market.transition", "POST"): cases(
        WEB_OWNER.but(params={"action": "accept"}),
        WEB_OWNER.but(params={"action": "decline"}),
        WEB_OWNER.but(params={"action": "handover", "loan_id": "@loan_accepted"}),
        WEB_OWNER.but(params={"action": "return", "loan_id": "@loan_borrowed"}),
        WEB_LOAN_SIDES.but(params={"action": "cancel"}),
    ),
    ("market.message", "POST"): WEB_LOAN_SIDES.but(form={"body": "몇 시에 만날까요?"}),
    ("market.review", "POST"): WEB_LOAN_SIDES.but(params={"loan_id": "@loan_returned"}, form={"rating": "5"}),
    ("market.report_message", "POST"): WEB_LOAN_SIDES.but(form={"reason": "abuse"}),
    # --- market: questions before a request -------------------------------------------------------------
    ("market.ask_question", "POST"): row(LOGIN, 403, OK, OK, OK, form={"question": "주말에도 되나요?"}),
    ("market.questions", "GET"): WEB_SIGNED_IN,
    ("market.question_page", "GET"): WEB_LOAN_SIDES,
    ("market.reply_question", "POST"): WEB_LOAN_SIDES.but(form={"body": "네, 됩니다."}),
    ("market_api.create_request", "POST"): row(401, 403, OK, OK, OK, json=_request_dates(30)),
    ("market_api.list_requests", "GET"): API_SIGNED_IN,
    ("market_api.show_request", "GET"): API_LOAN_SIDES,
    ("market_api.request_accept", "POST"): API_OWNER,
    ("market_api.request_decline", "POST"): API_OWNER,
    ("market_api.request_handover", "POST"): API_OWNER.but(params={"loan_id": "@loan_accepted"}),
    ("market_api.request_return", "POST"): API_OWNER.but(params={"loan_id": "@loan_borrowed"}),
    ("market_api.request_cancel", "POST"): API_LOAN_SIDES,
    ("market_api.list_messages", "GET"): API_LOAN_SIDES,
    ("market_api.post_message", "POST"): API_LOAN_SIDES.but(json={"body": "몇 시에 만날까요?"}),
    # API.md: "the borrower, once"; the owner may also rate the borrower (sharing/market/trust.py)
    ("market_api.review", "POST"): API_LOAN_SIDES.but(
        params={"loan_id": "@loan_returned"}, json={"rating": 5}
    ),
    ("market_api.report_message", "POST"): API_LOAN_SIDES.but(json={"reason": "abuse"}),
    # --- trade card ------------------------------------------------------------------------------------
    ("card.index", "GET"): WEB_SIGNED_IN,
    ("card.shops", "GET"): PUBLIC,
    ("card.topup", "POST"): WEB_SIGNED_IN.but(form=PAY_FORM),
    ("card.pay", "GET"): WEB_SIGNED_IN,
    # a member cannot pay their own organisation (403)
    ("card.pay", "POST"): row(LOGIN, OK, OK, 403, OK, form=PAY_FORM),
    ("card.receipt", "GET"): row(LOGIN, OK, 403, OK, OK),  # the payer, the paid organisation, the centre
    ("card.shop", "GET"): WEB_SHOP,
    ("card.qr_page", "GET"): WEB_SHOP,
    ("card.qr_svg", "GET"): WEB_SHOP,
    ("card.statement", "GET"): WEB_SHOP,
    ("card.refund", "POST"): WEB_SHOP.but(form={"idempotency_key": "0123456789abcdef0123456789abcdef"}),
    # a member requests a payout; the centre approves it (card.desk_approve_payout)
    ("card.payout", "POST"): row(
        LOGIN, 403, 403, OK, 403, form={"idempotency_key": "0123456789abcdef0123456789abcdef"}, setup=_paid
    ),
    ("card.desk", "GET"): WEB_CENTRE,
    ("card.desk_confirm_topup", "POST"): row(LOGIN, 403, 403, 403, 404, form={"reference": "R-1"}),
    ("card.desk_approve_payout", "POST"): row(LOGIN, 403, 403, 403, 404, form={"reference": "R-1"}),
    ("card_api.confirm_topup", "POST"): row(401, 403, 403, 403, 404, json={"reference": "R-1"}),
    ("card_api.approve_payout", "POST"): row(401, 403, 403, 403, 404, json={"reference": "R-1"}),
    ("card_api.request_payout", "POST"): row(
        401, 403, 403, OK, 403, json={"amount": 100}, headers=_key("payout"), setup=_paid
    ),
    ("card.fund", "GET"): PUBLIC,  # the published checkpoints for anyone, the detailed tables for the centre
    ("card_ledger.publish", "POST"): WEB_CENTRE,
    ("card_ledger.checkpoints_json", "GET"): PUBLIC,
    ("card_ledger.checkpoints_csv", "GET"): PUBLIC,
    ("card_api.checkpoints", "GET"): PUBLIC,
    ("card.audit", "GET"): WEB_CENTRE,
    ("card.audit_csv", "GET"): WEB_CENTRE,
    ("card_api.card", "GET"): API_SIGNED_IN,
    ("card_api.transactions", "GET"): API_SIGNED_IN,
    ("card_api.topup", "POST"): API_SIGNED_IN.but(json={"amount": 1000}, headers=_key("topup")),
    ("card_api.pay", "POST"): row(
        401, OK, OK, 403, OK, json={"organization_id": "@org", "amount": 1000}, headers=_key("pay")
    ),
    # not the payer: the shop or the centre
    ("card_api.refund", "POST"): row(401, 403, 403, OK, OK, headers=_key("refund")),
    ("card_api.fund", "GET"): API_CENTRE,
    ("card_api.audit", "GET"): API_CENTRE,
    ("card_api.anomalies", "GET"): API_CENTRE,
    # --- news --------------------------------------------------------------------------------------------
    ("news.index", "GET"): PUBLIC,
    ("news.show", "GET"): cases(PUBLIC, HIDDEN_POST),
    ("news.organization", "GET"): PUBLIC,
    ("news.events", "GET"): PUBLIC,
    ("news.events_ics", "GET"): PUBLIC,
    ("news.post_ics", "GET"): cases(PUBLIC, HIDDEN_POST),
    ("news.feed", "GET"): PUBLIC,
    ("news.manage", "GET"): WEB_SIGNED_IN,
    ("news.new", "GET"): WEB_POST_MANAGERS,
    ("news.new", "POST"): WEB_POST_MANAGERS.but(
        form=lambda w: {**POST_FORM, "organization_id": str(w.org_id)}
    ),
    ("news.edit", "GET"): WEB_POST_MANAGERS,
    ("news.edit", "POST"): WEB_POST_MANAGERS.but(form={**POST_FORM, "title": "고친 소식"}),
    ("news.delete", "POST"): WEB_POST_MANAGERS,
    ("news.delete_cover", "POST"): WEB_POST_MANAGERS,
    ("news.pin", "POST"): WEB_CENTRE.but(form={"pinned": "1"}),
    ("news.hide", "POST"): WEB_CENTRE.but(form={"hidden": "1"}),
    ("news.report", "POST"): WEB_SIGNED_IN.but(form={"reason": "spam"}),
    ("news.follows", "GET"): WEB_SIGNED_IN,
    ("news.follows", "POST"): WEB_SIGNED_IN.but(form={"kind": "category", "category": "culture"}),
    ("news.unfollow", "POST"): row(LOGIN, OK, 404, 404, 404),  # someone else's follow does not exist
    ("news_api.index", "GET"): PUBLIC,
    ("news_api.show", "GET"): cases(PUBLIC, HIDDEN_POST),
    ("news_api.create", "POST"): API_POST_MANAGERS.but(
        json={"title": "새 소식", "body": "본문", "category": "education", "organization_id": "@org"}
    ),
    ("news_api.update", "PATCH"): API_POST_MANAGERS.but(json={"title": "고친 소식"}),
    ("news_api.destroy", "DELETE"): API_POST_MANAGERS,
    ("news_api.cover", "POST"): API_POST_MANAGERS.but(files=("file",)),
    ("news_api.remove_cover", "DELETE"): API_POST_MANAGERS,
    ("news_api.pin", "POST"): API_CENTRE,
    ("news_api.unpin", "POST"): API_CENTRE,
    ("news_api.hide", "POST"): API_CENTRE,
    ("news_api.unhide", "POST"): API_CENTRE,
    ("news_api.report", "POST"): API_SIGNED_IN.but(json={"reason": "spam"}),
    ("news_api.follows", "GET"): API_SIGNED_IN,
    ("news_api.follow", "POST"): API_SIGNED_IN.but(json={"category": "culture"}),
    ("news_api.unfollow", "DELETE"): row(401, OK, 404, 404, 404),
    # --- resource archive --------------------------------------------------------------------------------
    ("archive.index", "GET"): PUBLIC,
    ("archive.show", "GET"): cases(PUBLIC, HIDDEN_RESOURCE),
    ("archive.classification", "GET"): PUBLIC,
    ("archive.export_csv", "GET"): PUBLIC,
    ("archive.export_json", "GET"): PUBLIC,
    ("archive.new", "GET"): WEB_SIGNED_IN,
    ("archive.new", "POST"): WEB_SIGNED_IN.but(form=RESOURCE_JSON),
    ("archive.edit", "GET"): WEB_OWNER_OR_CENTRE,
    ("archive.edit", "POST"): WEB_OWNER_OR_CENTRE.but(form={**RESOURCE_JSON, "name": "고친 이름"}),
    ("archive.confirm", "POST"): WEB_OWNER_OR_CENTRE,
    ("archive.delete", "POST"): WEB_OWNER_OR_CENTRE,
    ("archive.report", "POST"): WEB_SIGNED_IN.but(form={"reason": "wrong_info"}),
    ("archive.archive", "POST"): WEB_CENTRE.but(form={"archived": "1"}),
    ("archive.hide", "POST"): WEB_CENTRE.but(form={"hidden": "1"}),
    ("archive.import_page", "GET"): WEB_CENTRE,
    ("archive.import_page", "POST"): WEB_CENTRE.but(form={}),
    ("archive.import_commit", "POST"): WEB_CENTRE.but(form={"token": "nothing-staged"}),
    ("archive.stale", "GET"): WEB_CENTRE,
    ("archive.stale_archive", "POST"): WEB_CENTRE.but(form={"ids": "@resource"}),
    ("archive_api.index", "GET"): PUBLIC,
    ("archive_api.show", "GET"): cases(PUBLIC, HIDDEN_RESOURCE),
    ("archive_api.create", "POST"): API_SIGNED_IN.but(json=RESOURCE_JSON),
    ("archive_api.update", "PATCH"): API_OWNER_OR_CENTRE.but(json={"name": "고친 이름"}),
    ("archive_api.delete", "DELETE"): API_OWNER_OR_CENTRE,
    ("archive_api.import_csv", "POST"): API_CENTRE.but(raw=CSV, content_type="text/csv"),
    # --- notifications -----------------------------------------------------------------------------------
    ("notify.inbox", "GET"): WEB_SIGNED_IN,
    ("notify.mark_all_read", "POST"): WEB_SIGNED_IN,
    ("notify.open_note", "POST"): row(LOGIN, OK, 404, 404, 404),  # another's notification does not exist
    # --- reports and the centre's console ----------------------------------------------------------------
    ("admin.new_report", "GET"): WEB_SIGNED_IN.but(query={"target_type": "listing", "target_id": "@listing"}),
    ("admin.new_report", "POST"): WEB_SIGNED_IN.but(
        form={"target_type": "listing", "target_id": "@listing", "reason": "spam"}
    ),
    ("admin.index", "GET"): WEB_CENTRE,
    ("admin.organizations", "GET"): WEB_CENTRE,
    ("admin.verify_organization", "POST"): WEB_CENTRE.but(
        params={"org_id": "@pending_org"}, form={"verified": "1"}
    ),
    ("admin.organization_policy", "POST"): WEB_CENTRE.but(form=_policy_form),
    ("admin.reports", "GET"): WEB_CENTRE,
    ("admin.resolve_report", "POST"): WEB_CENTRE.but(form={"action": "dismiss"}),
    ("admin.users", "GET"): WEB_CENTRE,
    ("admin.user_suspend", "POST"): WEB_CENTRE.but(form={"suspended": "1"}),
    ("admin.audit_log", "GET"): WEB_CENTRE,
    ("admin.audit_log_csv", "GET"): WEB_CENTRE,
    ("admin_api.create_report", "POST"): API_SIGNED_IN.but(
        json={"target_type": "listing", "target_id": "@listing", "reason": "spam"}
    ),
    ("admin_api.summary", "GET"): API_CENTRE,
    ("admin_api.organizations", "GET"): API_CENTRE,
    ("admin_api.reports", "GET"): API_CENTRE,
    ("admin_api.resolve_report", "POST"): API_CENTRE.but(json={"action": "dismiss"}),
    ("admin_api.users", "GET"): API_CENTRE,
    ("admin_api.update_user", "PATCH"): API_CENTRE.but(json={"suspended": False}),
    ("admin_api.audit_log", "GET"): API_CENTRE,
    # --- the basic plan (centre only) ------------------------------------------------------------------
    ("plan.index", "GET"): WEB_CENTRE.but(plan=True),
    ("plan.project", "GET"): WEB_CENTRE.but(plan=True),
    ("plan.record_result", "POST"): WEB_CENTRE.but(
        plan=True, form={"year": "2018", "indicator": "플랫폼 구축", "actual": "1"}
    ),
    ("plan.evaluation_page", "GET"): WEB_CENTRE.but(plan=True),
    ("plan.save_scores", "POST"): WEB_CENTRE.but(plan=True, form={}),
    ("plan.report", "GET"): WEB_CENTRE.but(plan=True),
    ("plan.export", "GET"): WEB_CENTRE.but(plan=True),
    ("plan_api.show", "GET"): API_CENTRE.but(plan=True),
    ("plan_api.project", "GET"): API_CENTRE.but(plan=True),
    ("plan_api.record", "POST"): API_CENTRE.but(
        plan=True, json={"year": 2018, "indicator": "플랫폼 구축", "actual": 1}
    ),
}
