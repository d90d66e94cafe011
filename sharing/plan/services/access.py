"""The plan and its projects, and who may read them (the centre only)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...auth.services import require_centre
from ...core.errors import NotFound
from ...core.extensions import db
from ..models import PlanDocument, PlanProject, PlanTargetRow

PLAN_CODE = "2017-2020"
PLATFORM_PROJECT = "3-1"


def current_plan() -> PlanDocument:
    plan = db.session.execute(select(PlanDocument).filter_by(code=PLAN_CODE)).scalar_one_or_none()
    if plan is None:
        raise NotFound(
            _("기본계획이 아직 불러와지지 않았습니다. 'flask plan load'를 실행해 주세요."),
            code="plan_not_loaded",
        )
    return plan


def plan_for(actor) -> PlanDocument:
    """The plan, for the centre only (403 for anyone else)."""
    require_centre(actor)
    return current_plan()


def get_project(plan: PlanDocument, code: str) -> PlanProject:
    stmt = (
        select(PlanProject)
        .where(PlanProject.plan_id == plan.id, PlanProject.code == code)
        .options(
            selectinload(PlanProject.task),
            selectinload(PlanProject.target_rows).selectinload(PlanTargetRow.targets),
            selectinload(PlanProject.budget_lines),
        )
    )
    project = db.session.execute(stmt).scalar_one_or_none()
    if project is None:
        raise NotFound(_("세부사업을 찾을 수 없습니다."), code="project_not_found")
    return project
