"""A letter's Markdown as the plain text of its email and PDF (render_body, plain_text: pure)."""

from __future__ import annotations

from campaign.letters.render import plain_text, render_body


def text(markdown: str) -> str:
    return plain_text(render_body(markdown))


def test_a_link_keeps_its_whole_address_underscores_and_query_included():
    written = text("Read [the report](https://example.org/free_roza_now?a=1&b=2).")

    assert written == "Read the report (https://example.org/free_roza_now?a=1&b=2)."


def test_emphasis_leaves_no_markup():
    assert text("We call on the **President** to free *Roza* and __Max__.") == (
        "We call on the President to free Roza and Max."
    )


def test_each_numbered_demand_is_a_line_of_its_own():
    demands = text("1. Release Roza\n2. Drop the charges")

    assert demands.splitlines() == ["1. Release Roza", "2. Drop the charges"]


def test_paragraphs_are_separated_by_a_blank_line():
    assert text("First.\n\nSecond.") == "First.\n\nSecond."


def test_a_script_in_the_source_leaves_nothing_behind():
    assert "alert" not in text("Text.\n\n<script>alert(1)</script>")
