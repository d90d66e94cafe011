"""The plan's charts as geometry: bars, lines, labels and the axis, computed here; the template
``plan/_charts.html`` draws them as SVG (presentation attributes only: the CSP forbids inline styles).

The charts a phone shows are drawn at about a phone's width (``PHONE_WIDTH``) with words of
``TEXT`` units, so that scaled to the screen they stay at least 12 px high.

Every chart is decorative for screen readers (``aria-hidden``) because the page puts a data table
beside it; each bar also carries its value and its label in text, so nothing is told by colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PALETTE = ("#1f5f8b", "#c8553d", "#2d7d46", "#7a4fa0", "#8a6d1d", "#4a6572")
PHONE_WIDTH = 320
TEXT = 13


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
class Line:
    """A polyline through ``points`` ((x, y) pairs), with a dot on each point."""

    points: list[tuple[float, float]]
    stroke: str

    @property
    def path(self) -> str:
        return " ".join(f"{x},{y}" for x, y in self.points)


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
    lines: list[Line] = field(default_factory=list)
    axis: tuple[float, float, float, float] | None = None  # (x1, y1, x2, y2) when not the baseline


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
    groups: list[str],
    series: list[str],
    values: list[list[float | None]],
    *,
    title: str,
    unit: str = "",
    blank: str = "",
) -> Chart:
    """Horizontal bars grouped by ``groups`` (e.g. tasks), one bar per ``series`` (e.g. years) in each
    group, each bar with its series label on the left and its value at its end; ``values[g][s]``.
    Drawn at a phone's width: the group name heads its rows, so long Korean names need no room."""
    width, left, value_room, top = PHONE_WIDTH, 48, 44, 26
    row, head, gap = 20, 22, 8
    plot_w = width - left - value_room
    peak = max([v or 0 for row_ in values for v in row_] + [1])
    body = len(groups) * (head + len(series) * row + gap)
    height = top + body + 28
    chart = Chart(
        title, width, height, top + body, left, width - value_room, axis=(left, top, left, top + body)
    )
    chart.labels.append(Label(4, TEXT + 2, unit, TEXT, "#333"))
    y = top
    for gi, group in enumerate(groups):
        chart.labels.append(Label(4, _r(y + head - 7), group, TEXT, "#111"))
        y += head
        for si, label in enumerate(series):
            v = values[gi][si]
            w = plot_w * (v or 0) / peak
            chart.rects.append(Rect(left, _r(y + 3), _r(w), row - 6, PALETTE[si % len(PALETTE)]))
            chart.labels.append(Label(left - 4, _r(y + row - 6), str(label), TEXT, "#333", "end"))
            chart.labels.append(
                Label(_r(left + w + 4), _r(y + row - 6), blank if v is None else _fmt(v), TEXT, "#222")
            )
            y += row
        y += gap
    legend_y = height - 8
    for si, label in enumerate(series):
        lx = 4 + si * 76
        chart.rects.append(Rect(lx, legend_y - 10, 11, 11, PALETTE[si % len(PALETTE)]))
        chart.labels.append(Label(lx + 15, legend_y, str(label), TEXT, "#222"))
    return chart


def line(labels: list[str], values: list[float], *, title: str, color: str = PALETTE[0]) -> Chart:
    """One series over time (e.g. a metric by month) as a line with a dot per point: the first, every
    third and the last point named below the axis, the highest and the last value written."""
    width, height, left, right, top, bottom = PHONE_WIDTH, 150, 12, 12, 26, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max(list(values) + [1])
    step = plot_w / max(len(values) - 1, 1)
    points = [
        (_r(left + i * step), _r(top + plot_h - plot_h * max(v, 0) / peak)) for i, v in enumerate(values)
    ]
    chart = Chart(title, width, height, top + plot_h, left, width - right)
    if not points:
        return chart
    chart.lines.append(Line(points, color))
    last = len(points) - 1
    for i, label in enumerate(labels):
        if i % 3 == 0 or i == last:
            anchor = "start" if i == 0 else "end" if i == last else "middle"
            chart.labels.append(Label(points[i][0], top + plot_h + 20, label, TEXT - 1, "#333", anchor))
    high = max(range(len(values)), key=lambda i: (values[i], i))
    if high != last and values[high] > 0:
        chart.labels.append(
            Label(
                points[high][0],
                _r(points[high][1] - 6),
                _fmt(values[high]),
                TEXT,
                "#222",
                "middle" if high > 0 else "start",
            )
        )
    chart.labels.append(
        Label(points[last][0], _r(points[last][1] - 6), _fmt(values[last]), TEXT, "#111", "end")
    )
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
