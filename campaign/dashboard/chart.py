"""A bar chart as inline SVG, drawn on the server: no JavaScript, and the page's CSP stays strict.

The chart is decoration for sighted readers; the same numbers are in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup, escape

WIDTH, HEIGHT = 720, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 12, 28
#: at most this many labels along the time axis
X_LABELS = 6


def bar_chart(series: Sequence[tuple[datetime, int]], label: str, time_format: str) -> Markup:
    """An SVG bar chart of ``series``; ``label`` names it for screen readers."""
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
        f'<text x="{LEFT - 6}" y="{TOP + 10}" text-anchor="end" font-size="11" fill="#5b5b66">{peak}</text>',
        f'<text x="{LEFT - 6}" y="{TOP + plot_height}" text-anchor="end" font-size="11" '
        'fill="#5b5b66">0</text>',
    ]
    every = max(1, -(-len(series) // X_LABELS))
    for index, (start, count) in enumerate(series):
        height = count * scale
        x = LEFT + index * slot + (slot - bar) / 2
        when = escape(start.strftime(time_format))
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_height - height:.1f}" width="{bar:.1f}" '
            f'height="{height:.1f}" fill="#a4262c"><title>{when}: {count}</title></rect>'
        )
        if index % every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 8}" text-anchor="middle" font-size="11" '
                f'fill="#5b5b66">{when}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every interpolated text is escaped above
