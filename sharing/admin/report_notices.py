"""Closing the loop with the residents who reported something: when the centre resolves a report,
each reporter gets an inbox notice (and its e-mail) saying what they reported and what came of it.
The centre's private note is never in it, nor who handled it."""

from __future__ import annotations

from flask_babel import gettext as _

from ..core.vocab import label
from ..notify.services import notify
from .vocab import TARGET_LABELS

KIND = "report.resolved"
TITLE_MAX = 60


def _outcome(action: str, target_type: str) -> str:
    """What came of the report, as the reporter reads it."""
    if action == "hide":
        return _("센터가 살펴보고 이 내용을 숨겼습니다. 이제 다른 주민에게 보이지 않습니다.")
    if action == "suspend":
        if target_type == "user":
            return _("센터가 살펴보고 이 계정의 이용을 제한했습니다.")
        return _("센터가 살펴보고 작성자의 이용을 제한했습니다.")
    # dismiss, restore: the target stays as it is
    return _("센터가 살펴보았지만 이용 규칙에 어긋나지 않아 그대로 두기로 했습니다.")


def _what(target_type: str, title: str | None) -> str:
    kind = label(TARGET_LABELS, target_type)
    title = " ".join((title or "").split())
    if not title:
        return kind
    if len(title) > TITLE_MAX:
        title = title[: TITLE_MAX - 1] + "…"
    return _("%(kind)s '%(title)s'", kind=kind, title=title)


def tell_reporters(reports, action: str, target_type: str, title: str | None, url: str | None) -> int:
    """Notify the reporter of every resolved report (inside the caller's transaction); returns how
    many were told. A deleted account is not told; a reporter is told once per target."""
    what = _what(target_type, title)
    # A hidden target, or an account, has no page the reporter can open.
    link = url if url and action not in ("hide", "suspend") and target_type != "user" else ""
    told = set()
    for report in reports:
        reporter = report.reporter
        if reporter is None or reporter.deleted_at is not None or reporter.id in told:
            continue
        told.add(reporter.id)
        notify(
            reporter,
            KIND,
            _("신고하신 내용을 처리했습니다: %(what)s", what=what),
            _("신고하신 것: %(what)s", what=what)
            + "\n"
            + _outcome(action, target_type)
            + "\n"
            + _("알려 주셔서 고맙습니다."),
            link=link,
        )
    return len(told)
