"""The archive's own vocabularies: resource kinds, who may register which kind, zone labels."""

from flask_babel import lazy_gettext as _l

from ..core.vocab import DONGS, ZONES, zone_of

RESOURCE_KINDS = {
    "person": _l("인적자원"),
    "space": _l("공간"),
    "equipment": _l("장비·물품"),
    "organization": _l("단체"),
    "program": _l("프로그램"),
}

# Residents register their own skills and things; spaces, organisations and programmes are registered
# by an organisation's member (with the organisation linked) or by the centre.
KINDS_NEEDING_ORGANIZATION = ("space", "organization", "program")

# The zone filter value for dongs the plan places in no regeneration zone.
OUTSIDE = "outside"
OUTSIDE_LABEL = _l("권역 외")
ZONE_CODES = (*ZONES.keys(), OUTSIDE)

STALE_AFTER_DAYS = 365


def zone_code(dong: str | None) -> str:
    """The zone filter value of a dong: the zone's name, or ``outside``."""
    return zone_of(dong) or OUTSIDE


def zone_label(code: str | None) -> str:
    return str(OUTSIDE_LABEL) if code == OUTSIDE else (code or "")


def zone_dongs(code: str) -> tuple[str, ...]:
    if code == OUTSIDE:
        return tuple(d for d in DONGS if zone_of(d) is None)
    return ZONES.get(code, ())


def dongs_by_zone() -> list[tuple[str, tuple[str, ...]]]:
    """Every zone with its dongs, in the plan's order, and the dongs outside any zone last."""
    return [(z, zone_dongs(z)) for z in ZONE_CODES]
