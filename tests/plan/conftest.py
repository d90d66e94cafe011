"""Fixtures of the plan tests: the loaded plan, a centre account, a resident, and the plan's text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sharing.plan.loader import load_plan

# The printed plan (a copy of shared/seed/seongbuk-social-economy-basic-plan-2017-2020.txt).
PLAN_TEXT_PATH = Path(os.environ.get("PLAN_TEXT", Path(__file__).parent / "plan-source.txt"))


@pytest.fixture(scope="session")
def plan_text() -> str:
    return PLAN_TEXT_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def plan_lines(plan_text) -> list[str]:
    return [line.rstrip("\n") for line in plan_text.splitlines()]


@pytest.fixture
def plan(app):
    load_plan()
    from sharing.core.extensions import db
    from sharing.plan.services import current_plan

    plan = current_plan()
    db.session.commit()  # end the read snapshot: requests made by the test client commit elsewhere
    return plan


@pytest.fixture
def centre(make):
    return make.centre()


@pytest.fixture
def resident(make):
    return make.user()
