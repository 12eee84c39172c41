"""What changed between two texts, line by line and, in a rewritten line, word by word.

A diff is a list of :class:`DiffLine`: unchanged lines, lines added or removed whole, lines
rewritten (the words kept plain, the words removed and added marked), and gaps where unchanged
lines are left out. Templates render it with ``_diff.html``'s ``show_diff`` (escaped like any
text). Used for a letter's versions and for a campaign's or defender's source text.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

#: words, runs of whitespace and single other characters: joined back they give the line as is
_TOKENS = re.compile(r"\w+|\s+|[^\w\s]")

SAME, ADDED, REMOVED, CHANGED, GAP = " ", "+", "-", "~", "@"


@dataclass(frozen=True)
class Segment:
    """A run of text in a diff line: unchanged (" "), added ("+") or removed ("-")."""

    kind: str
    text: str


@dataclass(frozen=True)
class DiffLine:
    #: " " unchanged, "+" added, "-" removed, "~" changed (with segments), "@" a gap
    kind: str
    segments: list[Segment] = field(default_factory=list)


def tokens(line: str) -> list[str]:
    return _TOKENS.findall(line)


def _opcodes(before: list[str], after: list[str]) -> list[tuple[str, int, int, int, int]]:
    """The matcher's opcodes, with whitespace alone between two changes counted in the change
    (so "a b" → "c d" reads as one change, not two with a kept space between)."""
    found = difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
    merged: list[tuple[str, int, int, int, int]] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(found):
        between = 0 < index < len(found) - 1
        if tag == "equal" and between and not "".join(before[i1:i2]).strip():
            tag = "replace"
        if merged and tag != "equal" and merged[-1][0] != "equal":
            _, start_i, _, start_j, _ = merged.pop()
            merged.append(("replace", start_i, i2, start_j, j2))
        else:
            merged.append((tag, i1, i2, j1, j2))
    return merged


def changed_line(old: str, new: str) -> DiffLine:
    """One line rewritten into another: the words kept plain, those removed and added marked."""
    before, after = tokens(old), tokens(new)
    segments: list[Segment] = []
    for tag, i1, i2, j1, j2 in _opcodes(before, after):
        if tag == "equal":
            segments.append(Segment(SAME, "".join(before[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment(REMOVED, "".join(before[i1:i2])))
        if j2 > j1:
            segments.append(Segment(ADDED, "".join(after[j1:j2])))
    return DiffLine(CHANGED, segments)


def _similar(old: str, new: str) -> bool:
    """Whether ``new`` reads as ``old`` rewritten (more than half its words kept), not as
    another line."""
    if not old.strip():
        return False
    return difflib.SequenceMatcher(None, tokens(old), tokens(new), autojunk=False).ratio() > 0.5


def _replaced(old: list[str], new: list[str]) -> list[DiffLine]:
    """Old lines replaced by new ones: a line rewritten shows its changed words, the rest whole."""
    out: list[DiffLine] = []
    j = 0
    for line in old:
        match = next((k for k in range(j, len(new)) if _similar(line, new[k])), None)
        if match is None:
            out.append(DiffLine(REMOVED, [Segment(REMOVED, line)]))
            continue
        out.extend(DiffLine(ADDED, [Segment(ADDED, added)]) for added in new[j:match])
        out.append(changed_line(line, new[match]))
        j = match + 1
    out.extend(DiffLine(ADDED, [Segment(ADDED, added)]) for added in new[j:])
    return out


def diff_lines(before: list[str], after: list[str], context: int = 2) -> list[DiffLine]:
    """Lines of ``after`` against ``before``, with ``context`` unchanged lines around each change
    (a gap line where more are left out); a line replaced by a similar one shows its changed words."""
    out: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    end = 0
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > end:
            out.append(DiffLine(GAP))
        end = group[-1][2]
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out.extend(DiffLine(SAME, [Segment(SAME, line)]) for line in before[i1:i2])
            else:
                out.extend(_replaced(before[i1:i2], after[j1:j2]))
    if out and end < len(before):
        out.append(DiffLine(GAP))
    return out


def diff_texts(before: str, after: str, context: int = 2) -> list[DiffLine]:
    """:func:`diff_lines` of two texts' lines (empty when they are equal)."""
    return diff_lines(before.splitlines(), after.splitlines(), context)
