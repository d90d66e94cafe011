"""Reading the transcribed plan's data file (``data/plan-2017-2020.yaml``): its cells and its shape."""

from __future__ import annotations

import hashlib
import re
from decimal import Decimal
from pathlib import Path

import yaml

DATA_PATH = Path(__file__).parent / "data" / "plan-2017-2020.yaml"
PROJECT_CODES = ("1-1", "1-2", "1-3", "2-1", "2-2", "2-3", "3-1", "3-2", "3-3", "4-1", "4-2", "4-3", "4-4")
RULES = ("sum", "average", "step", "none")
_NUMBER = re.compile(r"^\s*(\d[\d,]*(?:\.\d+)?)")


class PlanDataError(ValueError):
    """The data file does not describe a plan the platform can load."""


# --- Reading cells as printed ---------------------------------------------------------------------


def parse_figure(text: str | None) -> Decimal | None:
    """The leading number of a printed cell ("40,000" -> 40000, "57% (평균)" -> 57, "1회" -> 1)."""
    if text is None:
        return None
    m = _NUMBER.match(str(text))
    return Decimal(m.group(1).replace(",", "")) if m else None


def cell(raw) -> tuple[str | None, Decimal | None]:
    """(text as printed, number) of a data-file cell: a string, a number, ``{text, value}`` or null."""
    if raw is None:
        return None, None
    if isinstance(raw, dict):
        value = raw.get("value")
        return str(raw["text"]), (Decimal(str(value)) if value is not None else None)
    if isinstance(raw, bool):
        raise PlanDataError(f"unexpected boolean cell {raw!r}")
    if isinstance(raw, int | float):
        return f"{raw:,}" if isinstance(raw, int) else str(raw), Decimal(str(raw))
    return str(raw), parse_figure(raw)


def read_data(path: Path | str | None = None) -> tuple[dict, str]:
    raw = Path(path or DATA_PATH).read_bytes()
    data = yaml.safe_load(raw.decode("utf-8"))
    validate(data)
    return data, hashlib.sha256(raw).hexdigest()


def validate(data: dict) -> None:
    if not isinstance(data, dict):
        raise PlanDataError("the data file is not a mapping")
    for name in (
        "version",
        "code",
        "title",
        "period",
        "vision",
        "goals",
        "tasks",
        "financial_plan",
        "evaluation",
    ):
        if name not in data:
            raise PlanDataError(f"missing '{name}'")
    years = range(data["period"]["start"], data["period"]["end"] + 1)
    codes = [p["code"] for t in data["tasks"] for p in t["projects"]]
    if tuple(codes) != PROJECT_CODES:
        raise PlanDataError(f"expected the 13 projects {PROJECT_CODES}, got {codes}")
    for task in data["tasks"]:
        for project in task["projects"]:
            if not project["code"].startswith(task["code"] + "-"):
                raise PlanDataError(f"project {project['code']} is not under task {task['code']}")
            keys = [r["key"] for g in project.get("targets", []) for r in g["rows"]]
            if len(keys) != len(set(keys)):
                raise PlanDataError(f"duplicate target row keys in {project['code']}")
            for group in project.get("targets", []):
                for row in group["rows"]:
                    if row.get("total_rule", "none") not in RULES:
                        raise PlanDataError(f"unknown total_rule in {project['code']}/{row['key']}")
                    if set(row["years"]) - set(years):
                        raise PlanDataError(f"years outside the period in {project['code']}/{row['key']}")
    lines = data["financial_plan"]["lines"]
    if len({line["key"] for line in lines}) != len(lines):
        raise PlanDataError("duplicate budget line keys")
    for line in lines:
        if line["project"] not in codes:
            raise PlanDataError(f"budget line {line['key']} names an unknown project {line['project']}")
    keys = [i["key"] for kind in ("self", "external") for i in data["evaluation"][kind]["indicators"]]
    if len(keys) != len(set(keys)):
        raise PlanDataError("duplicate evaluation indicator keys")
