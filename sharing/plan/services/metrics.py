"""Project 3-1 live: the platform's own indicators, from the features' services.

The archive, market, news and card features each expose ``metrics()`` (current totals) and
``monthly_metrics()`` (by month) in their services, imported here directly (the plan sits above the
features it summarises). A function a feature does not offer counts as zeros, and the figures are
read whatever shape a feature answers in.
"""

from __future__ import annotations

from datetime import date

from ...archive import services as archive_services
from ...card import services as card_services
from ...core.time import seoul_today
from ...market import services as market_services
from ...news import services as news_services

# Which feature gives which indicator.
SOURCES = {
    "archive": ("resources",),
    "market": ("listings", "loans_completed"),
    "news": ("posts",),
    "card": ("organizations_on_card", "card_payments", "card_volume", "mileage_issued", "fund_balance"),
}
KEYS = tuple(k for keys in SOURCES.values() for k in keys)
MONEY_KEYS = ("card_volume", "mileage_issued", "fund_balance")
# Each feature's services, by the names in SOURCES.
FEATURES = {
    "archive": archive_services,
    "market": market_services,
    "news": news_services,
    "card": card_services,
}


def _service(feature: str, name: str):
    return getattr(FEATURES.get(feature), name, None)


def _whole(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def platform_metrics() -> dict[str, int]:
    """All nine indicators, each a current whole number (0 when its feature is not there)."""
    out = dict.fromkeys(KEYS, 0)
    for feature, keys in SOURCES.items():
        fn = _service(feature, "metrics")
        figures = fn() if fn else {}
        for key in keys:
            out[key] = _whole((figures or {}).get(key))
    return out


def _month_key(value) -> str | None:
    if isinstance(value, date):
        return f"{value.year:04d}-{value.month:02d}"
    text = str(value or "")
    return text[:7] if len(text) >= 7 and text[4] == "-" else None


def _normalise_monthly(raw, keys) -> dict[str, dict[str, int]]:
    """{month: {key: n}} from the shapes a feature may answer: a list of rows with ``month``, a mapping
    of month -> figures, or a mapping of key -> (month -> n | [(month, n)] | [{month, value}])."""
    out: dict[str, dict[str, int]] = {}
    if not raw:
        return out
    if isinstance(raw, list | tuple):
        for row in raw:
            if isinstance(row, dict):
                month = _month_key(row.get("month"))
                if month:
                    for key in keys:
                        if key in row:
                            out.setdefault(month, {})[key] = _whole(row[key])
        return out
    if isinstance(raw, dict):
        if any(key in raw for key in keys):
            for key in keys:
                series = raw.get(key) or {}
                items = series.items() if isinstance(series, dict) else series
                for item in items:
                    if isinstance(item, dict):
                        month, n = item.get("month"), item.get("value", item.get("count"))
                    else:
                        month, n = item
                    month = _month_key(month)
                    if month:
                        out.setdefault(month, {})[key] = _whole(n)
            return out
        for month, figures in raw.items():
            month = _month_key(month)
            if month and isinstance(figures, dict):
                for key in keys:
                    if key in figures:
                        out.setdefault(month, {})[key] = _whole(figures[key])
    return out


def last_months(count: int, today: date | None = None) -> list[str]:
    today = today or seoul_today()
    y, m = today.year, today.month
    months = []
    for _ in range(count):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return months[::-1]


def monthly_platform_metrics(months: int = 12, today: date | None = None) -> list[dict]:
    """The last ``months`` months, oldest first: ``[{month, resources, listings, …}]`` (zeros when a
    feature has nothing for a month)."""
    merged: dict[str, dict[str, int]] = {}
    for feature, keys in SOURCES.items():
        fn = _service(feature, "monthly_metrics")
        try:
            raw = fn() if fn else None
        except TypeError:  # a signature we do not know: treat as missing
            raw = None
        for month, figures in _normalise_monthly(raw, keys).items():
            merged.setdefault(month, {}).update(figures)
    return [
        {"month": m, **{k: merged.get(m, {}).get(k, 0) for k in KEYS}} for m in last_months(months, today)
    ]


def resources_by_kind_and_dong() -> dict[str, dict[str, int]]:
    """{kind: {dong: n}} from the archive, whatever shape it answers in; {} when it is not there."""
    fn = _service("archive", "resource_counts_by_kind_and_dong")
    raw = fn() if fn else None
    out: dict[str, dict[str, int]] = {}
    if not raw:
        return out
    if isinstance(raw, dict):
        for k, v in raw.items():
            if isinstance(k, tuple) and len(k) == 2:
                out.setdefault(str(k[0]), {})[str(k[1])] = _whole(v)
            elif isinstance(v, dict):
                for dong, n in v.items():
                    out.setdefault(str(k), {})[str(dong)] = _whole(n)
    else:
        for row in raw:
            if isinstance(row, dict):
                kind, dong = row.get("kind"), row.get("dong")
                n = row.get("count", row.get("n", row.get("total")))
            else:
                kind, dong, n = row
            out.setdefault(str(kind), {})[str(dong)] = _whole(n)
    return out


def step_status(steps: dict | None, metrics: dict[str, int]) -> list[dict]:
    """The plan's yearly steps for 3-1 with, for each, the live indicators that show it."""
    out = []
    for year, items in sorted((steps or {}).items()):
        rows = []
        for item in items:
            keys = item.get("metrics") or []
            rows.append(
                {
                    "text": item["text"],
                    "metrics": {k: metrics.get(k, 0) for k in keys},
                    "started": bool(keys) and any(metrics.get(k, 0) > 0 for k in keys),
                    "measurable": bool(keys),
                }
            )
        out.append({"year": int(year), "items": rows})
    return out
