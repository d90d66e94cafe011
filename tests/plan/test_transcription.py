"""The transcription against the printed plan: figures read from the plan's text, section by section."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from sharing.core.extensions import db
from sharing.plan import models as m


def line_after(lines: list[str], prefix: str) -> list[str]:
    """The tab-separated cells of the first line of the plan that starts with ``prefix``."""
    for line in lines:
        if line.startswith(prefix):
            return line.split("\t")
    raise AssertionError(f"no line starts with {prefix!r}")


# --- I / IV: vision, goals, tasks and projects ------------------------------------------------------


def test_vision_goals_and_tasks_are_the_printed_ones(plan, plan_text, plan_lines):
    i = plan_lines.index("비전")
    assert plan_lines[i + 2] == plan.vision == "지속가능한 사회적경제 공동체 구축"
    assert len(plan.goals) == 3
    for goal in plan.goals:
        assert goal in plan_text
    assert [t.code for t in plan.tasks] == ["1", "2", "3", "4"]
    for task in plan.tasks:
        assert task.title in plan_text
        assert f"{task.code} {task.heading}" in plan_lines
    codes = [p.code for t in plan.tasks for p in t.projects]
    assert codes == [
        "1-1",
        "1-2",
        "1-3",
        "2-1",
        "2-2",
        "2-3",
        "3-1",
        "3-2",
        "3-3",
        "4-1",
        "4-2",
        "4-3",
        "4-4",
    ]


def test_every_project_title_and_direction_is_in_the_plan(plan, plan_text, plan_lines):
    for task in plan.tasks:
        for p in task.projects:
            assert f"{p.code} {p.title}" in plan_text, p.code  # IV-3 table
            assert f"({p.code}) {p.heading}" in plan_lines, p.code  # V heading
            assert p.directions, p.code
            for direction in p.directions:
                assert f"- ❖ {direction}" in plan_lines or f"❖ {direction}" in plan_text, direction
            for prog in p.programmes:
                for item in prog["contents"]:
                    text = item if isinstance(item, str) else item["text"]
                    # the first words of every content line are printed as such
                    assert text.split(" : ")[0][:12] in plan_text, text


# --- II: earlier results ----------------------------------------------------------------------------


def _table(plan, key) -> m.PlanTable:
    return db.session.scalar(
        select(m.PlanTable).where(m.PlanTable.plan_id == plan.id, m.PlanTable.key == key)
    )


@pytest.mark.parametrize("label", ["구매목표", "구매실적", "달성율"])
def test_public_purchase_table_is_as_printed(plan, plan_lines, label):
    printed = line_after(plan_lines, label + "\t")[1:]
    table = _table(plan, "public-purchase-2011-2016")
    assert line_after(plan_lines, "구분\t2011년")[1:] == table.columns
    row = next(r for r in table.rows if r["label"] == label)
    assert [c["text"] for c in row["cells"]] == printed


def test_public_purchase_values_in_million_won(plan):
    table = _table(plan, "public-purchase-2011-2016")
    result = next(r for r in table.rows if r["label"] == "구매실적")["cells"]
    assert [c["value"] for c in result] == ["590", "1000", "2170", "2520", "3840", "5000"]


@pytest.mark.parametrize(
    "label", ["인증사회적기업", "예비사회적기업", "마을기업", "일반협동조합\t", "사회적협동조합\t", "합 계"]
)
def test_organisation_counts_are_as_printed(plan, plan_lines, label):
    printed = line_after(plan_lines, label)
    table = _table(plan, "se-organisations-2017-03")
    row = next(r for r in table.rows if r["label"] == label.strip())
    assert [c["text"] for c in row["cells"]] == printed[1:]


def test_committees_and_centre_facts(plan, plan_lines, plan_text):
    table = _table(plan, "committees")
    for row in table.rows:
        _number, *rest = next(
            line for line in plan_lines if line.startswith(row["cells"][0]["text"] + "\t" + row["label"])
        ).split("\t")
        assert [c["text"] for c in row["cells"][1:]] == rest[1:6]
    area = _table(plan, "fair-trade-centre")
    assert [r["cells"][0]["text"] for r in area.rows] == ["77.36", "29.60", "47.76"]
    assert "연면적 77.36㎡" in plan_text
    assert "총 34개 기관 (민간 6개, 공공 28개 기관)" in plan_text


# --- V: the yearly plan tables ----------------------------------------------------------------------


def _row(plan, key) -> m.PlanTargetRow:
    return db.session.scalar(
        select(m.PlanTargetRow).where(m.PlanTargetRow.plan_id == plan.id, m.PlanTargetRow.key == key)
    )


def test_named_targets(plan):
    teams = _row(plan, "1-1/mission-teams")
    assert [t.text for t in teams.targets] == ["3", "4", "5", "6"]
    purchase = _row(plan, "4-3/public-purchase")
    assert [t.text for t in purchase.targets] == ["50억원", "50억원", "100억원", "120억원"]
    assert purchase.total_text == "320억원" and purchase.unit == "억원"
    awareness = _row(plan, "2-1/awareness")
    assert [float(t.value) for t in awareness.targets] == [31.9, 41.9, 51.9, 61.9]
    assert awareness.total_text == "매년10% 상승"


def test_every_numeric_target_row_is_a_printed_line(plan, plan_lines):
    """Rows printed as `구분 계 2017 2018 2019 2020` (or without 계) are found verbatim in the plan."""
    rows = db.session.scalars(select(m.PlanTargetRow).where(m.PlanTargetRow.plan_id == plan.id)).all()
    found = 0
    printed = set(plan_lines)
    for row in rows:
        cells = [t.text for t in row.targets]
        if any(c is None or "\n" in c for c in cells):
            continue
        candidates = {"\t".join([row.indicator, *([row.total_text] if row.total_text else []), *cells])}
        if candidates & printed:
            found += 1
    assert found >= 28, found


def test_units_are_as_printed(plan, plan_text):
    units = {r.table_unit for r in db.session.scalars(select(m.PlanTargetRow)) if r.table_unit}
    for unit in units:
        assert f"단위 : {unit}" in plan_text or f"단위 :{unit}" in plan_text or unit == "백만원", unit


# --- VI: the financial plan -------------------------------------------------------------------------


def test_every_budget_line_is_printed_as_transcribed(plan, plan_lines):
    lines = db.session.scalars(select(m.PlanBudgetLine).order_by(m.PlanBudgetLine.position)).all()
    for line in lines:
        cells = [a.text for a in line.amounts if a.text is not None]
        expected = [line.name, line.stated_total_text, *cells]
        tokens = ([c.strip() for c in text.split("\t") if c.strip()] for text in plan_lines)
        assert any(t[-len(expected) :] == expected for t in tokens), expected


def test_stated_totals_are_the_printed_ones(plan, plan_lines):
    printed = [c for c in line_after(plan_lines, "총 액\t") if c]
    assert printed[1:] == ["7,156", "1,645", "1,784", "1,739", "1,994"]
    assert plan.stated_total == 7156
    assert plan.stated_by_year == {"2017": 1645, "2018": 1784, "2019": 1739, "2020": 1994}


def test_platform_line_has_an_empty_2020_cell(plan, plan_lines):
    line = db.session.scalar(select(m.PlanBudgetLine).where(m.PlanBudgetLine.key == "sharing-platform"))
    printed = next(t for t in plan_lines if t.endswith("지역자원 공유플랫폼 구축\t40\t25\t5\t5"))
    assert printed
    assert [a.text for a in line.amounts] == ["25", "5", "5", None]


# --- VII: the evaluation framework ------------------------------------------------------------------


def test_self_evaluation_points_are_as_printed(plan, plan_lines, plan_text):
    indicators = db.session.scalars(select(m.PlanEvalIndicator).order_by(m.PlanEvalIndicator.position)).all()
    assert len(indicators) == 16
    for i in indicators:
        line = next(t for t in plan_lines if i.indicator in t and i.detail in t)
        assert re.search(rf"\t{i.points}$", line), line
    own = [i for i in indicators if i.kind == "self"]
    assert sum(i.points for i in own) == 100
    stages = {}
    for i in own:
        stages[i.stage] = stages.get(i.stage, 0) + i.points
    assert stages == {"계획": 10, "집행": 40, "산출·결과": 30, "평가결과 활용": 20}
    for stage, points in stages.items():
        assert f"{stage} ({points})" in plan_text
    external = [i for i in indicators if i.kind == "external"]
    assert sum(i.points for i in external if not i.bonus) == 100
    assert [i.points for i in external if i.bonus] == [5]
    assert "(40+α)" in plan_text


def test_evaluation_calendar_is_as_printed(plan, plan_text):
    steps = plan.evaluation["procedure"]
    assert [s["title"] for s in steps] == [
        "평가계획 수립",
        "자체평가보고서 작성",
        "외부평가위원회 구성",
        "외부평가 실시",
        "평가결과 환류",
    ]
    for s in steps:
        assert s["title"] in plan_text
        if s["when"]:
            assert f"({s['when']})" in plan_text
