"""A request's progress as steps (요청 → 수락 → 전달 → 반납 → 후기), for the request page: each step's
label and whether it is done, the current one or still to come. A giveaway, swap or sale has no
return: its steps are 요청 → 수락 → 전달 → 후기."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ...core.i18n import labels
from ..models import BORROWABLE_KINDS

STEP_LABELS = {
    "requested": _l("요청"),
    "accepted": _l("수락"),
    "handed_over": _l("전달"),
    "returned": _l("반납"),
    "reviewed": _l("후기"),
}
# The step a request is at, by its status (returned: waiting for the reviews).
CURRENT = {
    "requested": "requested",
    "accepted": "accepted",
    "borrowed": "handed_over",
    "returned": "reviewed",
}


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # "done", "current" or "todo"


def loan_steps(loan, *, reviewed: bool) -> list[Step]:
    """The steps of ``loan``; none is current once it was declined or cancelled (the page says so)."""
    names = list(STEP_LABELS)
    if loan.listing.kind not in BORROWABLE_KINDS:
        names.remove("returned")
    text = labels(STEP_LABELS)
    current = CURRENT.get(loan.status)
    if current is None:  # declined, cancelled: only the request was made
        return [Step(text[n], "done" if n == "requested" else "todo") for n in names]
    at = names.index(current)
    if current == "reviewed" and reviewed:
        at = len(names)  # every step done
    return [
        Step(text[n], "done" if i < at else "current" if i == at else "todo") for i, n in enumerate(names)
    ]
