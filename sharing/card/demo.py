"""Demo card data: the demo residents top up and pay the village enterprises a few times.

Idempotent through the ledger's own idempotency keys: a second run replays the same keys and moves
nothing (the keys are per resident; the top-up caps still hold).
"""

from __future__ import annotations

from sqlalchemy import select

from ..auth.services import find_by_email
from ..core.errors import DomainError
from ..core.extensions import db
from ..orgs.models import Organization
from . import services

RESIDENTS = (
    "minji@demo.sharing.kr",
    "junho@demo.sharing.kr",
    "seoyeon@demo.sharing.kr",
    "dohyun@demo.sharing.kr",
)
TOPUP = 200_000
# (resident index, organisation name, price, use mileage)
PAYMENTS = (
    (0, "키득키득", 12_000, False),
    (0, "나무와 열매", 23_500, False),
    (0, "키득키득", 8_000, True),
    (2, "동네목수", 45_000, False),  # not junho: a member cannot pay their own organisation
    (2, "협동조합 에너토피아", 30_000, False),
    (2, "성북동 아름다운 사람들", 15_000, False),
    (2, "나무와 열매", 9_900, False),
    (3, "성북어린이돌봄협동조합", 60_000, False),
    (3, "협동조합 성북신나", 7_000, False),
)


def seed(scale: int, echo) -> None:
    users = [find_by_email(email) for email in RESIDENTS]
    names = dict(db.session.execute(select(Organization.name, Organization.id)).all())
    made = 0
    for _i, user in enumerate(users):
        if user is None:
            continue
        try:
            services.post_topup(user, TOPUP, idempotency_key="demo-topup-1")
        except DomainError as err:
            echo(f"  card: top-up skipped for {user.email}: {err.message}")
    for n, (who, org_name, price, use_mileage) in enumerate(PAYMENTS, start=1):
        user, org_id = users[who], names.get(org_name)
        if user is None or org_id is None:
            continue
        try:
            services.pay(user, org_id, price, use_mileage=use_mileage, idempotency_key=f"demo-pay-{n}")
            made += 1
        except DomainError as err:
            echo(f"  card: payment skipped ({org_name}): {err.message}")
    echo(f"card: demo residents topped up, {made} demo payments present")
