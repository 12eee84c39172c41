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
