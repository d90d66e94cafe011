"""Organisations: registration, members, verification by the centre, card policy."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.services import find_by_email, require_centre
from ..core.cache import Cache
from ..core.db import transaction, utcnow
from ..core.errors import Conflict, Forbidden, Invalid, NotFound
from ..core.extensions import db
from ..core.vocab import DONGS, ORG_KINDS
from ..notify.services import notify
from ..records.log import record_action
from .models import Membership, Organization

POLICY_MAX_BP = 2000


@dataclass(frozen=True)
class OrganizationInput:
    name: str
    kind: str
    dong: str
    description: str = ""


def _check(data: OrganizationInput) -> None:
    problems = {}
    if not (1 <= len((data.name or "").strip()) <= 100):
        problems["name"] = [_("이름은 1자 이상 100자 이하로 입력해 주세요.")]
    if data.kind not in ORG_KINDS:
        problems["kind"] = [_("알 수 없는 조직 유형입니다.")]
    if data.dong not in DONGS:
        problems["dong"] = [_("성북구의 행정동이 아닙니다.")]
    if len(data.description or "") > 5000:
        problems["description"] = [_("소개는 5000자 이하로 입력해 주세요.")]
    if problems:
        raise Invalid(fields=problems)


def create(actor, data: OrganizationInput) -> Organization:
    """Register an organisation; ``actor`` becomes its founding member. It starts unverified."""
    _check(data)
    with transaction():
        org = Organization(
            name=data.name.strip(),
            kind=data.kind,
            dong=data.dong,
            description=(data.description or "").strip(),
            created_by_id=actor.id,
        )
        db.session.add(org)
        db.session.flush()
        db.session.add(Membership(organization_id=org.id, user_id=actor.id, role="founder"))
    db.session.refresh(org)
    return org


def get(org_id: int) -> Organization:
    org = db.session.get(Organization, org_id)
    if org is None:
        raise NotFound(_("조직을 찾을 수 없습니다."))
    return org


def get_verified(org_id: int) -> Organization:
    """An organisation that may take card payments and post news; 404 otherwise."""
    org = db.session.get(Organization, org_id)
    if org is None or not org.verified:
        raise NotFound(_("인증된 사회적경제조직을 찾을 수 없습니다."), code="organization_not_found")
    return org


def is_member(user, org_id: int | None) -> bool:
    if user is None or org_id is None:
        return False
    return (
        db.session.execute(
            select(Membership.id).where(Membership.organization_id == org_id, Membership.user_id == user.id)
        ).first()
        is not None
    )


def require_member(user, org: Organization) -> None:
    if not is_member(user, org.id):
        raise Forbidden(_("이 조직의 구성원만 할 수 있습니다."))


def require_member_or_centre(user, org: Organization) -> None:
    if user is not None and user.is_centre:
        return
    require_member(user, org)


def update(actor, org_id: int, data: OrganizationInput) -> Organization:
    _check(data)
    with transaction():
        org = get(org_id)
        require_member_or_centre(actor, org)
        org.name, org.kind, org.dong = data.name.strip(), data.kind, data.dong
        org.description = (data.description or "").strip()
    return org


PROFILE_MAX = 200


def update_profile(
    actor, org_id: int, *, address: str, opening_hours: str, description: str | None = None
) -> Organization:
    """A member (or the centre) sets where the organisation is (required) and when it is open (the
    card shop list shows both), and its description while it has none yet (a written one stays)."""
    address, opening_hours = (address or "").strip(), (opening_hours or "").strip()
    description = (description or "").strip()
    problems = {}
    if not address:
        problems["address"] = [_("주소를 입력해 주세요. 가게가 없으면 주로 활동하는 곳을 적어 주세요.")]
    elif len(address) > PROFILE_MAX:
        problems["address"] = [_("주소는 %(n)s자 이하로 입력해 주세요.", n=PROFILE_MAX)]
    if len(opening_hours) > PROFILE_MAX:
        problems["opening_hours"] = [_("영업시간은 %(n)s자 이하로 입력해 주세요.", n=PROFILE_MAX)]
    if len(description) > 5000:
        problems["description"] = [_("소개는 5000자 이하로 입력해 주세요.")]
    if problems:
        raise Invalid(fields=problems)
    with transaction():
        org = get(org_id)
        require_member_or_centre(actor, org)
        org.address, org.opening_hours = address, opening_hours
        if description and not (org.description or "").strip():
            org.description = description
    return org


REASON_MAX = 500


def set_verified(actor, org_id: int, verified: bool = True, reason: str = "") -> Organization:
    """Verify an organisation, or withdraw or refuse its verification with a ``reason``. Every
    member is told (inbox and e-mail), with the reason, in the same transaction."""
    require_centre(actor)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise Invalid(fields={"reason": [_("사유는 500자 이하로 입력해 주세요.")]})
    with transaction():
        org = get(org_id)
        changed = (org.verified_at is None) == verified
        if verified and org.verified_at is None:
            org.verified_at = utcnow()
        elif not verified:
            org.verified_at = None
        record_action(
            actor,
            "organization.verify" if verified else "organization.unverify",
            "organization",
            org.id,
            **({"reason": reason} if reason else {}),
        )
        if changed or not verified:
            _tell_members(org, verified, reason)
    return org


def _tell_members(org: Organization, verified: bool, reason: str) -> None:
    if verified:
        title = _("%(name)s: 사회적경제조직 인증을 받았습니다", name=org.name)
        body = _("이제 지역거래카드 결제를 받고 마을소식을 쓸 수 있습니다.")
    else:
        title = _("%(name)s: 사회적경제조직 인증이 되지 않았습니다", name=org.name)
        body = _("사유: %(reason)s", reason=reason or _("(사유 없음)"))
        body += "\n" + _("궁금한 점은 마을사회적경제센터에 문의해 주세요.")
    for member in db.session.execute(
        select(Membership).where(Membership.organization_id == org.id)
    ).scalars():
        notify(
            member.user,
            "organization.verified" if verified else "organization.refused",
            title,
            body,
            link=f"/organizations/{org.id}",
        )


def set_card_policy(actor, org_id: int, *, discount_bp: int, mileage_bp: int) -> Organization:
    """The shop's discount and mileage rates, each 0..2,000 bp. History keeps the old rates."""
    require_centre(actor)
    problems = {}
    for name, value in (("discount_bp", discount_bp), ("mileage_bp", mileage_bp)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= POLICY_MAX_BP:
            problems[name] = [_("0에서 2000 사이의 정수여야 합니다.")]
    if problems:
        raise Invalid(fields=problems)
    with transaction():
        org = get(org_id)
        org.discount_bp, org.mileage_bp = discount_bp, mileage_bp
        record_action(
            actor,
            "organization.card_policy",
            "organization",
            org.id,
            discount_bp=discount_bp,
            mileage_bp=mileage_bp,
        )
    return org


def invite(actor, org_id: int, email: str) -> Membership:
    """A member adds another resident (by e-mail) to the organisation."""
    with transaction():
        org = get(org_id)
        require_member_or_centre(actor, org)
        user = find_by_email(email)
        if user is None:
            raise NotFound(_("가입된 주민을 찾을 수 없습니다."), code="user_not_found")
        if is_member(user, org.id):
            raise Conflict(_("이미 구성원입니다."), code="already_member")
        membership = Membership(organization_id=org.id, user_id=user.id, role="member")
        db.session.add(membership)
    return membership


def leave(actor, org_id: int, user_id: int) -> None:
    with transaction():
        org = get(org_id)
        if actor.id != user_id:
            require_member_or_centre(actor, org)
        row = db.session.execute(
            select(Membership).where(Membership.organization_id == org.id, Membership.user_id == user_id)
        ).scalar_one_or_none()
        if row is None:
            raise NotFound(_("구성원이 아닙니다."))
        db.session.delete(row)


def search(*, kind: str | None = None, dong: str | None = None, verified: bool | None = None):
    """The directory query (a select statement, for paging)."""
    stmt = select(Organization).order_by(Organization.name, Organization.id)
    if kind:
        stmt = stmt.where(Organization.kind == kind)
    if dong:
        stmt = stmt.where(Organization.dong == dong)
    if verified is True:
        stmt = stmt.where(Organization.verified_at.is_not(None))
    elif verified is False:
        stmt = stmt.where(Organization.verified_at.is_(None))
    return stmt


# The verified organisations' names, for the filters of the news pages: read on every list page, and
# changed only by the centre's verification or an organisation's edit (which forget it at once in
# this process; another process's change shows within ``NAMES_TTL`` seconds).
NAMES_TTL = 30
_verified_names = Cache(ttl=NAMES_TTL, maxsize=8, tables=(Organization.__tablename__,))


def verified_names() -> list[tuple[int, str]]:
    """``(id, name)`` of every verified organisation, by name."""

    def read():
        stmt = (
            select(Organization.id, Organization.name)
            .where(Organization.verified_at.is_not(None))
            .order_by(Organization.name)
        )
        return [(org_id, name) for org_id, name in db.session.execute(stmt)]

    return list(_verified_names.get_or_compute(db.engine.url.render_as_string(), read))
