"""The server-drawn bar chart: one bar per bucket, scaled to the peak, its texts escaped."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from campaign.dashboard.chart import BOTTOM, HEIGHT, TOP, bar_chart

START = datetime(2026, 12, 1)


def hours(*counts: int) -> list[tuple[datetime, int]]:
    return [(START + timedelta(hours=index), count) for index, count in enumerate(counts)]


def heights(svg: str) -> list[float]:
    return [float(height) for height in re.findall(r'<rect [^>]*height="([0-9.]+)"', svg)]


def test_each_bucket_is_a_bar_and_the_peak_fills_the_plot(app):
    with app.test_request_context():
        svg = str(bar_chart(hours(0, 5, 10), "Signatures per hour", lambda moment: f"{moment:%H}"))

    assert heights(svg) == [0.0, (HEIGHT - TOP - BOTTOM) / 2, HEIGHT - TOP - BOTTOM]


def test_an_empty_series_draws_an_empty_chart(app):
    with app.test_request_context():
        svg = str(bar_chart([], "Signatures per hour", str))

    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert heights(svg) == []


def test_the_label_and_bar_titles_are_escaped(app):
    with app.test_request_context():
        svg = str(bar_chart(hours(1), '<script>"x"</script>', lambda moment: "<b>"))

    assert "<script>" not in svg and "<b>" not in svg
    assert 'aria-label="&lt;script&gt;&#34;x&#34;&lt;/script&gt;"' in svg
