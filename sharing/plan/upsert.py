"""Upserting the plan's rows by their natural keys, and counting what changed (the loader's report)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from ..core.extensions import db


@dataclass
class LoadReport:
    code: str
    version: str
    counts: dict[str, Counter] = field(default_factory=dict)

    def count(self, table: str, outcome: str) -> None:
        self.counts.setdefault(table, Counter())[outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c["created"] or c["updated"] or c["deleted"] for c in self.counts.values())

    def lines(self) -> list[str]:
        out = []
        for table, c in self.counts.items():
            total = c["created"] + c["updated"] + c["unchanged"]
            out.append(
                f"  {table:<22} {total:>4} rows: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged, {c['deleted']} deleted"
            )
        return out


def sync(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        current = getattr(obj, name)
        if isinstance(value, Decimal) or isinstance(current, Decimal):
            same = (current is None and value is None) or (
                current is not None and value is not None and Decimal(current) == Decimal(value)
            )
        else:
            same = current == value
        if not same:
            setattr(obj, name, value)
            changed = True
    return changed


def upsert(report: LoadReport, table: str, existing, make: Callable, values: dict):
    if existing is None:
        obj = make(**values)
        db.session.add(obj)
        report.count(table, "created")
        return obj
    report.count(table, "updated" if sync(existing, values) else "unchanged")
    return existing


def index(model, *where, key="key") -> dict:
    return {getattr(o, key): o for o in db.session.execute(select(model).where(*where)).scalars()}


def str_keys(mapping: dict) -> dict:
    return {str(k): v for k, v in mapping.items()}
