"""Test data made through the services, so tests see what the application would make."""

from __future__ import annotations

import itertools

from sharing.auth import services as auth_services
from sharing.orgs import services as org_services

_seq = itertools.count(1)


class Factory:
    PASSWORD = "maeul-gongyu-4821"  # zxcvbn score 3 or more (the minimum)

    def __init__(self, app):
        self.app = app

    def user(self, *, email=None, name=None, dong="정릉3동", role="resident", password=PASSWORD):
        n = next(_seq)
        reg = auth_services.Registration(
            email or f"user{n}@example.kr", password, name or f"주민{n}", dong, True, True
        )
        return auth_services.register(reg, role=role)

    def centre(self, **kw):
        return self.user(role="centre", name="센터 담당자", **kw)

    def org(
        self,
        member=None,
        *,
        verified=True,
        kind="village_enterprise",
        dong="장위1동",
        name=None,
        discount_bp=0,
        mileage_bp=0,
    ):
        member = member or self.user()
        org = org_services.create(
            member,
            org_services.OrganizationInput(name or f"마을기업{next(_seq)}", kind, dong, "소개"),
        )
        if verified or discount_bp or mileage_bp:
            centre = self._centre()
            if verified:
                org_services.set_verified(centre, org.id, True)
            if discount_bp or mileage_bp:
                org_services.set_card_policy(centre, org.id, discount_bp=discount_bp, mileage_bp=mileage_bp)
        return org

    def _centre(self):
        existing = auth_services.find_by_email("factory-centre@example.kr")
        return existing or self.centre(email="factory-centre@example.kr")

    def token(self, user) -> str:
        token, _expires = auth_services.issue_token(user)
        return token
