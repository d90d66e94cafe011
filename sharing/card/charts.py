"""A server-rendered bar chart's geometry (the template draws it with presentation attributes)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    baseline: int
    maximum: int


def bar_chart(points: list[tuple[str, int]], *, width: int = 640, height: int = 240) -> BarChart:
    """Bars for non-negative values; negative values are drawn as zero (the table beside says it)."""
    top, bottom = 20, 40
    plot = height - top - bottom
    maximum = max([v for _l, v in points] + [1])
    slot = width // max(len(points), 1)
    bars = []
    for i, (label, value) in enumerate(points):
        h = round(plot * max(value, 0) / maximum)
        bars.append(Bar(label, value, i * slot + slot // 6, top + plot - h, max(slot * 2 // 3, 1), h))
    return BarChart(bars, width, height, top + plot, maximum)


@dataclass(frozen=True)
class HBar:
    label: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class HBarChart:
    bars: list[HBar]
    width: int
    height: int
    left: int
    row: int


def hbar_chart(
    points: list[tuple[str, int]], *, width: int = 640, row: int = 28, left: int = 200
) -> HBarChart:
    """Horizontal bars (long Korean names fit on the left); negative values are drawn as zero."""
    plot = width - left - 90
    maximum = max([v for _l, v in points] + [1])
    bars = [
        HBar(
            label[:14] + ("…" if len(label) > 14 else ""),
            value,
            i * row,
            round(plot * max(value, 0) / maximum),
        )
        for i, (label, value) in enumerate(points)
    ]
    return HBarChart(bars, width, max(len(points), 1) * row, left, row)
