"""The diff of two texts: whole lines added or removed, a rewritten line's changed words only,
rendered escaped and named for screen readers (templates/_diff.html)."""

from __future__ import annotations

import re

from flask import Flask, g, render_template_string

from campaign.textdiff import ADDED, CHANGED, GAP, REMOVED, SAME, DiffLine, Segment, diff_texts

PARAGRAPH = (
    "We, the undersigned organisations, call on the authorities to release the human rights "
    "defenders detained since March, to drop every charge brought against them for their "
    "peaceful work, and to let their lawyers and families visit them without delay."
)


def render(app: Flask, lines: list[DiffLine], lang: str = "en", text_lang: str = "en") -> str:
    with app.test_request_context(f"/{lang}/"):
        g.lang = lang
        return render_template_string(
            '{% from "_diff.html" import show_diff %}{{ show_diff(lines, text_lang) }}',
            lines=lines,
            text_lang=text_lang,
        )


def marked(html: str) -> list[str]:
    """The texts inside <ins> and <del>, in order, each with its tag."""
    return [f"{tag}:{text}" for tag, text in re.findall(r"<(ins|del)>(.*?)</\1>", html, re.S)]


def test_a_changed_word_in_a_long_paragraph_marks_only_that_word(app: Flask) -> None:
    lines = diff_texts(PARAGRAPH, PARAGRAPH.replace("March", "April"))

    assert lines == [
        DiffLine(
            CHANGED,
            [
                Segment(SAME, PARAGRAPH[: PARAGRAPH.index("March")]),
                Segment(REMOVED, "March"),
                Segment(ADDED, "April"),
                Segment(SAME, PARAGRAPH[PARAGRAPH.index("March") + len("March") :]),
            ],
        )
    ]
    html = render(app, lines)
    assert marked(html) == ["del:March", "ins:April"]
    assert "call on the authorities to release the human rights defenders detained since " in html


def test_changed_words_side_by_side_read_as_one_change(app: Flask) -> None:
    """Two neighbouring words rewritten are one removal and one addition, not split at the space."""
    lines = diff_texts("Release them at once.", "Release them without delay.")

    assert marked(render(app, lines)) == ["del:at once", "ins:without delay"]


def test_html_in_the_text_is_escaped_kept_changed_or_not(app: Flask) -> None:
    lines = diff_texts(
        "<script>alert(1)</script> stays\nRelease <b>her</b>.",
        "<script>alert(1)</script> stays\nRelease <b>them</b> & <i>her</i>.",
    )

    html = render(app, lines)
    assert "<script>" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; stays</p>" in html
    assert marked(html) == ["del:her", "ins:them", "ins: &amp; &lt;i&gt;her&lt;/i&gt;"]
    assert "Release &lt;b&gt;<span" in html


def test_whole_lines_added_and_removed_are_marked_whole(app: Flask) -> None:
    before = "Dear President,\nWe call on you.\nSigned below."
    after = "Dear President,\nWe call on you.\nAn answer is requested within a month.\nSincerely"

    lines = diff_texts(before, after)

    assert [line.kind for line in lines] == [SAME, SAME, REMOVED, ADDED, ADDED]
    assert marked(render(app, lines)) == [
        "del:Signed below.",
        "ins:An answer is requested within a month.",
        "ins:Sincerely",
    ]


def test_unchanged_text_is_not_marked_and_far_lines_are_left_out(app: Flask) -> None:
    before = "\n".join(f"Paragraph {n}." for n in range(1, 11))
    after = before.replace("Paragraph 5.", "Paragraph five.")

    lines = diff_texts(before, after)
    html = render(app, lines)

    assert marked(html) == ["del:5", "ins:five"]
    assert [line.kind for line in lines] == [GAP, SAME, SAME, CHANGED, SAME, SAME, GAP]
    assert [line.segments[0].text for line in lines if line.kind == SAME] == [
        "Paragraph 3.",
        "Paragraph 4.",
        "Paragraph 6.",
        "Paragraph 7.",
    ]
    assert "Paragraph 2." not in html and "Paragraph 8." not in html  # over two lines away
    assert '<span class="diff-mark" aria-hidden="true"> </span>Paragraph 4.</p>' in html
    assert html.count('<p class="diff-line diff-gap">…</p>') == 2
    assert diff_texts(before, before) == []


def test_the_changes_are_named_for_screen_readers_in_the_pages_language(app: Flask) -> None:
    lines = diff_texts("Release her.", "Release her now.\nA new line.")

    html = render(app, lines, lang="ru", text_lang="en")

    assert '<div class="diff" lang="en">' in html
    assert '<span class="visually-hidden" lang="ru">добавлено: </span><ins> now</ins>' in html
    assert '<span class="visually-hidden" lang="ru">добавлено: </span><ins>A new line.</ins>' in html
    removed = render(app, diff_texts("Release her.\nSigned.", "Release her."), lang="ru", text_lang="en")
    assert '<span class="visually-hidden" lang="ru">удалено: </span><del>Signed.</del>' in removed
