"""The market's figures for the plan (project 3-1): listings on the market and completed loans."""

from __future__ import annotations

from sqlalchemy import func, select

from ...core.extensions import db
from ..models import Listing, Loan


def metrics() -> dict[str, int]:
    """Live figures for the plan's project 3-1: listings on the market (not deleted) and completed loans."""
    listings = db.session.execute(
        select(func.count()).select_from(Listing).where(Listing.status != "deleted")
    ).scalar_one()
    completed = db.session.execute(
        select(func.count()).select_from(Loan).where(Loan.status == "returned")
    ).scalar_one()
    return {"listings": int(listings), "loans_completed": int(completed)}


def _month(column):
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone("Asia/Seoul", column), "YYYY-MM")
    return func.strftime("%Y-%m", func.datetime(column, "+9 hours"))


def monthly_metrics() -> dict[str, dict[str, int]]:
    """``{"YYYY-MM": {"listings": n, "loans_completed": n}}`` by month in Seoul time: listings created
    (not deleted) and loans completed (returned) that month."""
    out: dict[str, dict[str, int]] = {}
    month = _month(Listing.created_at)
    for key, n in db.session.execute(
        select(month, func.count()).where(Listing.status != "deleted").group_by(month)
    ).all():
        out.setdefault(key, {"listings": 0, "loans_completed": 0})["listings"] = int(n)
    month = _month(Loan.returned_at)
    for key, n in db.session.execute(
        select(month, func.count()).where(Loan.status == "returned").group_by(month)
    ).all():
        out.setdefault(key, {"listings": 0, "loans_completed": 0})["loans_completed"] = int(n)
    return dict(sorted(out.items()))
