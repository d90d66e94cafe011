"""Tables of the basic plan (loaded from the data file) and of what the centre records against it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import utcnow
from ..core.extensions import db

# Figures of the plan: 40,000 (천원), 31.9 (%), 142.9 (%) ... exact decimals, never floats.
Figure = Numeric(18, 4)


class PlanDocument(db.Model):
    """One basic plan (code "2017-2020"): its header, vision, goals, stated budget totals, narrative."""

    __tablename__ = "plan_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    version: Mapped[str] = mapped_column(String(40))
    checksum: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    subtitle: Mapped[str] = mapped_column(String(200), default="")
    slogan: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(100), default="")
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    purpose: Mapped[str] = mapped_column(Text, default="")
    vision: Mapped[str] = mapped_column(String(200))
    goals: Mapped[list] = mapped_column(JSON, default=list)
    budget_unit: Mapped[str] = mapped_column(String(20), default="백만원")
    stated_total: Mapped[int | None] = mapped_column(Integer)
    stated_by_year: Mapped[dict] = mapped_column(JSON, default=dict)  # {"2017": 1645, ...} as printed
    sections: Mapped[list] = mapped_column(JSON, default=list)  # I, II, III narrative blocks
    evaluation: Mapped[dict] = mapped_column(JSON, default=dict)  # VII: organisation, procedure, ...
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tasks = relationship("PlanTask", order_by="PlanTask.position", cascade="all, delete-orphan")

    @property
    def years(self) -> list[int]:
        return list(range(self.period_start, self.period_end + 1))


class PlanTask(db.Model):
    """추진과제 (1 … 4)."""

    __tablename__ = "plan_tasks"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_documents.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    short_title: Mapped[str] = mapped_column(String(100), default="")
    heading: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    projects = relationship("PlanProject", order_by="PlanProject.position", back_populates="task")


class PlanProject(db.Model):
    """세부사업 (1-1 … 4-4): directions, programmes (사업개요·기간·내용) and, for 3-1, its yearly steps."""

    __tablename__ = "plan_projects"
    __table_args__ = (UniqueConstraint("plan_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_documents.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("plan_tasks.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    heading: Mapped[str] = mapped_column(String(200), default="")
    short_title: Mapped[str] = mapped_column(String(200), default="")
    sub_items: Mapped[list] = mapped_column(JSON, default=list)
    directions: Mapped[list] = mapped_column(JSON, default=list)
    programmes: Mapped[list] = mapped_column(JSON, default=list)
    platform_steps: Mapped[dict | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)

    task = relationship("PlanTask", back_populates="projects")
    target_rows = relationship("PlanTargetRow", order_by="PlanTargetRow.position", back_populates="project")
    budget_lines = relationship(
        "PlanBudgetLine", order_by="PlanBudgetLine.position", back_populates="project"
    )


class PlanTargetRow(db.Model):
    """One row of a project's yearly plan table (연도별 추진계획): indicator, unit, stated total."""

    __tablename__ = "plan_target_rows"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_documents.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("plan_projects.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))  # "1-1/mission-teams"
    caption: Mapped[str] = mapped_column(String(100), default="")
    programme: Mapped[str | None] = mapped_column(String(200))
    table_unit: Mapped[str | None] = mapped_column(String(40))
    indicator: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(40))
    total_text: Mapped[str | None] = mapped_column(String(200))
    total_value: Mapped[Decimal | None] = mapped_column(Figure)
    total_rule: Mapped[str] = mapped_column(String(20), default="none")  # sum | average | step | none
    step: Mapped[Decimal | None] = mapped_column(Figure)
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    project = relationship("PlanProject", back_populates="target_rows")
    targets = relationship(
        "PlanTarget", order_by="PlanTarget.year", cascade="all, delete-orphan", back_populates="row"
    )


class PlanTarget(db.Model):
    """One year's cell of a target row, as printed, with its number when it has one."""

    __tablename__ = "plan_targets"
    __table_args__ = (UniqueConstraint("row_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("plan_target_rows.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(String(300))
    value: Mapped[Decimal | None] = mapped_column(Figure)

    row = relationship("PlanTargetRow", back_populates="targets")


class PlanBudgetLine(db.Model):
    """One line of the financial plan (재정계획, 백만원) with its stated total."""

    __tablename__ = "plan_budget_lines"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_documents.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("plan_projects.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    task_label: Mapped[str] = mapped_column(String(200), default="")
    project_label: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(200))
    stated_total: Mapped[int | None] = mapped_column(Integer)
    stated_total_text: Mapped[str] = mapped_column(String(40), default="")
    non_budget: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    project = relationship("PlanProject", back_populates="budget_lines")
    amounts = relationship(
        "PlanBudgetAmount",
        order_by="PlanBudgetAmount.year",
        cascade="all, delete-orphan",
        back_populates="line",
    )


class PlanBudgetAmount(db.Model):
    """One year of a budget line: the printed cell ("-", blank or a number) and its amount."""

    __tablename__ = "plan_budget_amounts"
    __table_args__ = (UniqueConstraint("line_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("plan_budget_lines.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    text: Mapped[str | None] = mapped_column(String(40))  # None: the print leaves the cell empty
    amount: Mapped[int | None] = mapped_column(Integer)

    line = relationship("PlanBudgetLine", back_populates="amounts")


class PlanTable(db.Model):
    """A table of earlier results (section II) or a small table of section V, with its checks."""

    __tablename__ = "plan_tables"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_documents.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    section: Mapped[str] = mapped_column(String(10))
    project_code: Mapped[str | None] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(40))
    value_unit: Mapped[str | None] = mapped_column(String(40))
    header: Mapped[str] = mapped_column(String(100), default="")
    columns: Mapped[list] = mapped_column(JSON, default=list)
    rows: Mapped[list] = mapped_column(JSON, default=list)  # [{label, cells: [{text, value}]}]
    checks: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PlanEvalIndicator(db.Model):
    """An indicator of the self-evaluation (자체평가) or external evaluation (외부평가) with its points."""

    __tablename__ = "plan_eval_indicators"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan_documents.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # self | external
    key: Mapped[str] = mapped_column(String(80))
    stage: Mapped[str] = mapped_column(String(100))
    stage_points: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(100))
    item_points: Mapped[str] = mapped_column(String(20))
    indicator: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(String(300), default="")
    points: Mapped[int] = mapped_column(Integer)
    bonus: Mapped[bool] = mapped_column(Boolean, default=False)  # the α of "30+α"
    position: Mapped[int] = mapped_column(Integer, default=0)


class PlanResult(db.Model):
    """A result the centre records for a project, year and indicator (the latest one counts)."""

    __tablename__ = "plan_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("plan_projects.id", ondelete="RESTRICT"), index=True)
    target_row_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_target_rows.id", ondelete="SET NULL"), index=True
    )
    year: Mapped[int] = mapped_column(Integer, index=True)
    indicator: Mapped[str] = mapped_column(String(200))
    actual: Mapped[Decimal] = mapped_column(Figure)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str] = mapped_column(String(500), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    project = relationship("PlanProject")
    target_row = relationship("PlanTargetRow")
    recorded_by = relationship("User")


class PlanScore(db.Model):
    """The score of one evaluation indicator for one year (0 … its points)."""

    __tablename__ = "plan_scores"
    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("plan_eval_indicators.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer, index=True)
    score: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    note: Mapped[str] = mapped_column(Text, default="")
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    indicator = relationship("PlanEvalIndicator")
