"""A bar chart as inline SVG, drawn on the server: no JavaScript, and the page's CSP stays strict.

The chart is decoration for sighted readers; the same numbers are in a table beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from markupsafe import Markup, escape

from campaign.formatting import format_number

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 28
#: at most this many labels along the time axis
X_LABELS = 6


def bar_chart(
    series: Sequence[tuple[datetime, int]], label: str, time_label: Callable[[datetime], str]
) -> Markup:
    """An SVG bar chart of ``series``; ``label`` names it for screen readers, ``time_label``
    writes a bar's time in the page's language."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    peak = max((count for _, count in series), default=0)
    scale = plot_height / peak if peak else 0.0
    slot = plot_width / len(series) if series else plot_width
    bar = max(slot * 0.8, 1.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}">',
        f'<line x1="{LEFT}" y1="{TOP + plot_height}" x2="{WIDTH - RIGHT}" y2="{TOP + plot_height}" '
        'stroke="#888"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" font-size="11" fill="#5b5b66">'
        f"{escape(format_number(peak))}</text>",
        f'<text x="{LEFT - 6}" y="{TOP + plot_height}" text-anchor="end" font-size="11" '
        'fill="#5b5b66">0</text>',
    ]
    every = max(1, -(-len(series) // X_LABELS))
    for index, (start, count) in enumerate(series):
        height = count * scale
        x = LEFT + index * slot + (slot - bar) / 2
        when = escape(time_label(start))
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_height - height:.1f}" width="{bar:.1f}" '
            f'height="{height:.1f}" fill="#a4262c">'
            f"<title>{when}: {escape(format_number(count))}</title></rect>"
        )
        if index % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" '
                f'fill="#5b5b66">{when}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above


def cumulative_chart(
    series: Sequence[tuple[datetime, int]],
    goal: int,
    label: str,
    goal_label: str,
    time_label: Callable[[datetime], str],
) -> Markup:
    """The running total of ``series`` as a line climbing towards a dashed line at ``goal``."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    totals, running = [], 0
    for start, count in series:
        running += count
        totals.append((start, running))
    top = max(goal, running, 1)
    scale = plot_height / top
    step = plot_width / max(len(totals) - 1, 1)
    base = TOP + plot_height

    def y(value: int) -> float:
        return base - value * scale

    points = " ".join(f"{LEFT + index * step:.1f},{y(total):.1f}" for index, (_, total) in enumerate(totals))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-label="{escape(label)}">',
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - RIGHT}" y2="{base}" stroke="#888"/>',
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" font-size="11" fill="#5b5b66">0</text>',
        f'<line x1="{LEFT}" y1="{y(goal):.1f}" x2="{WIDTH - RIGHT}" y2="{y(goal):.1f}" stroke="#2f6b3a" '
        'stroke-dasharray="6 4"/>',
        f'<text x="{WIDTH - RIGHT}" y="{y(goal) - 4:.1f}" text-anchor="end" font-size="11" fill="#2f6b3a">'
        f"{escape(goal_label)}</text>",
        f'<text x="{LEFT - 6}" y="{y(goal) + 4:.1f}" text-anchor="end" font-size="11" fill="#5b5b66">'
        f"{escape(format_number(goal))}</text>",
    ]
    if points:
        parts.append(f'<polyline points="{points}" fill="none" stroke="#a4262c" stroke-width="2"/>')
    every = max(1, -(-len(totals) // X_LABELS))
    for index, (start, _total) in enumerate(totals):
        if index % every == 0 or index == len(totals) - 1:
            parts.append(
                f'<text x="{LEFT + index * step:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" '
                f'fill="#5b5b66">{escape(time_label(start))}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
