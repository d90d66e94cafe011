"""Server-rendered SVG charts (presentation attributes only: the CSP forbids inline styles).

Every chart is decorative for screen readers (``aria-hidden``) because the page puts a data table
beside it; each bar also carries its value and its label in text, so nothing is told by colour alone.
"""

from __future__ import annotations

from markupsafe import Markup, escape

PALETTE = ("#1f5f8b", "#c8553d", "#2d7d46", "#7a4fa0", "#8a6d1d", "#4a6572")


def _fmt(n) -> str:
    return f"{int(n):,}" if float(n).is_integer() else f"{float(n):,.1f}"


def grouped_bars(
    groups: list[str], series: list[str], values: list[list[float]], *, title: str, unit: str = ""
) -> Markup:
    """Bars grouped by ``groups`` (e.g. tasks), one bar per ``series`` (e.g. years) in each group.
    ``values[g][s]``."""
    width, height, left, bottom, top = 640, 300, 48, 56, 24
    plot_w, plot_h = width - left - 12, height - top - bottom
    peak = max([v for row in values for v in row] + [1])
    group_w = plot_w / max(len(groups), 1)
    bar_w = (group_w - 16) / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-hidden="true" focusable="false" class="plan-chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 12}" y2="{top + plot_h}" stroke="#6b7785"/>',
        f'<text x="4" y="{top - 8}" font-size="11" fill="#333">{escape(unit)}</text>',
    ]
    for gi, group in enumerate(groups):
        x0 = left + gi * group_w + 8
        for si, label in enumerate(series):
            v = values[gi][si]
            h = plot_h * v / peak
            x = x0 + si * bar_w
            y = top + plot_h - h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[si % len(PALETTE)]}"/>'
            )
            parts.append(
                f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{y - 3:.1f}" font-size="9" text-anchor="middle" '
                f'fill="#222">{escape(_fmt(v))}</text>'
            )
            parts.append(
                f'<text x="{x + (bar_w - 2) / 2:.1f}" y="{top + plot_h + 12:.1f}" font-size="9" '
                f'text-anchor="middle" fill="#333">{escape(str(label)[-2:])}</text>'
            )
        parts.append(
            f'<text x="{x0 + (group_w - 16) / 2:.1f}" y="{top + plot_h + 30:.1f}" font-size="12" '
            f'text-anchor="middle" fill="#111">{escape(group)}</text>'
        )
    legend_y = height - 10
    for si, label in enumerate(series):
        lx = left + si * 90
        parts.append(
            f'<rect x="{lx}" y="{legend_y - 9}" width="10" height="10" fill="{PALETTE[si % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{lx + 14}" y="{legend_y}" font-size="11" fill="#222">{escape(str(label))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(labels: list[str], values: list[float], *, title: str, color: str = PALETTE[0]) -> Markup:
    """A simple bar chart (e.g. a metric by month), each bar labelled with its value."""
    width, height, left, bottom, top = 640, 200, 12, 36, 20
    plot_w, plot_h = width - left - 12, height - top - bottom
    peak = max(list(values) + [1])
    slot = plot_w / max(len(labels), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-hidden="true" focusable="false" class="plan-chart">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 12}" y2="{top + plot_h}" stroke="#6b7785"/>',
    ]
    for i, (label, v) in enumerate(zip(labels, values, strict=True)):
        h = plot_h * v / peak
        x = left + i * slot + 4
        y = top + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot - 8:.1f}" height="{h:.1f}" fill="{color}"/>'
        )
        parts.append(
            f'<text x="{x + (slot - 8) / 2:.1f}" y="{y - 3:.1f}" font-size="9" text-anchor="middle" '
            f'fill="#222">{escape(_fmt(v))}</text>'
        )
        parts.append(
            f'<text x="{x + (slot - 8) / 2:.1f}" y="{top + plot_h + 14:.1f}" font-size="9" '
            f'text-anchor="middle" fill="#333">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
