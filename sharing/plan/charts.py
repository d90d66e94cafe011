"""The plan's bar charts as geometry: bars, labels and the axis, computed here; the template
``plan/_charts.html`` draws them as SVG (presentation attributes only: the CSP forbids inline styles).

Every chart is decorative for screen readers (``aria-hidden``) because the page puts a data table
beside it; each bar also carries its value and its label in text, so nothing is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PALETTE = ("#1f5f8b", "#c8553d", "#2d7d46", "#7a4fa0", "#8a6d1d", "#4a6572")


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Label:
    x: float
    y: float
    text: str
    size: int
    fill: str
    anchor: str = "start"


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    baseline: float  # the axis line, from ``left`` to ``right``
    left: float
    right: float
    rects: list[Rect] = field(default_factory=list)
    labels: list[Label] = field(default_factory=list)


def _fmt(n) -> str:
    return f"{int(n):,}" if float(n).is_integer() else f"{float(n):,.1f}"


def _r(value: float) -> float:
    return round(value, 1)


def _bar(
    chart: Chart, x: float, y: float, width: float, height: float, fill: str, value, label: str, label_y
):
    """One bar with its value above it and its label below the axis."""
    chart.rects.append(Rect(_r(x), _r(y), _r(width), _r(height), fill))
    middle = _r(x + width / 2)
    chart.labels.append(Label(middle, _r(y - 3), _fmt(value), 9, "#222", "middle"))
    chart.labels.append(Label(middle, _r(label_y), label, 9, "#333", "middle"))


def grouped_bars(
    groups: list[str], series: list[str], values: list[list[float]], *, title: str, unit: str = ""
) -> Chart:
    """Bars grouped by ``groups`` (e.g. tasks), one bar per ``series`` (e.g. years) in each group.
    ``values[g][s]``."""
    width, height, left, bottom, top = 640, 300, 48, 56, 24
    plot_w, plot_h = width - left - 12, height - top - bottom
    peak = max([v for row in values for v in row] + [1])
    group_w = plot_w / max(len(groups), 1)
    bar_w = (group_w - 16) / max(len(series), 1)
    chart = Chart(title, width, height, top + plot_h, left, width - 12)
    chart.labels.append(Label(4, top - 8, unit, 11, "#333"))
    for gi, group in enumerate(groups):
        x0 = left + gi * group_w + 8
        for si, label in enumerate(series):
            v = values[gi][si]
            h = plot_h * v / peak
            x = x0 + si * bar_w
            colour = PALETTE[si % len(PALETTE)]
            _bar(chart, x, top + plot_h - h, bar_w - 2, h, colour, v, str(label)[-2:], top + plot_h + 12)
        chart.labels.append(
            Label(_r(x0 + (group_w - 16) / 2), _r(top + plot_h + 30), group, 12, "#111", "middle")
        )
    legend_y = height - 10
    for si, label in enumerate(series):
        lx = left + si * 90
        chart.rects.append(Rect(lx, legend_y - 9, 10, 10, PALETTE[si % len(PALETTE)]))
        chart.labels.append(Label(lx + 14, legend_y, str(label), 11, "#222"))
    return chart


def bars(labels: list[str], values: list[float], *, title: str, color: str = PALETTE[0]) -> Chart:
    """A simple bar chart (e.g. a metric by month), each bar labelled with its value."""
    width, height, left, bottom, top = 640, 200, 12, 36, 20
    plot_w, plot_h = width - left - 12, height - top - bottom
    peak = max(list(values) + [1])
    slot = plot_w / max(len(labels), 1)
    chart = Chart(title, width, height, top + plot_h, left, width - 12)
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * v / peak
        _bar(chart, left + i * slot + 4, top + plot_h - h, slot - 8, h, color, v, label, top + plot_h + 14)
    return chart
