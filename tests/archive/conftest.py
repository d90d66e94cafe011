"""Fixtures for the archive: a small cast (owner, neighbour, organisation member, centre)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from sharing.archive import services


def new_resource(actor, **over):
    values = {
        "kind": "equipment",
        "category": "repair",
        "name": "전동드릴 빌려드려요",
        "description": "충전식 전동드릴과 비트 세트입니다.",
        "dong": "정릉3동",
        "tags": ["공구", "대여"],
        "contact": "010-1234-5678",
        "availability": "주말 오전",
    }
    values.update(over)
    return services.create(actor, values)


@dataclass
class Cast:
    owner: object
    neighbour: object
    member: object
    centre: object
    org: object
    resource: object
    org_resource: object


@pytest.fixture
def cast(make):
    owner = make.user(dong="정릉3동", name="김주민")
    neighbour = make.user(dong="장위1동", name="이웃")
    member = make.user(dong="장위1동", name="조직원")
    org = make.org(member, name="동네목수")
    centre = make.centre()
    resource = new_resource(owner)
    org_resource = new_resource(
        member,
        kind="space",
        category="culture",
        name="마을활력소 다목적실",
        description="모임 공간",
        dong="장위1동",
        tags=["대관"],
        organization_id=org.id,
    )
    return Cast(owner, neighbour, member, centre, org, resource, org_resource)
