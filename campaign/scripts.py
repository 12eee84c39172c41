"""Which characters a name or a line of text may hold, in any script.

Letters, marks and digits of every script are welcome, and so are the two joiners some scripts
need to spell a name: ZERO WIDTH NON-JOINER (Persian, Tajik in Arabic script, Indic scripts,
Kurdish) and ZERO WIDTH JOINER (Indic conjuncts, Sinhala). Everything else invisible stays out:
control characters, the bidirectional overrides and isolates that reorder what a reader sees
("Trojan Source" tricks in a public list of signers), other format characters, unassigned and
private-use code points, line and paragraph separators.
"""

from __future__ import annotations

import unicodedata

#: format characters (Unicode category Cf) that spelling needs
JOINERS = frozenset({"\u200c", "\u200d"})
#: categories never accepted in a name: controls, format, surrogates, private use, unassigned,
#: line and paragraph separators
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


def has_hidden_characters(text: str) -> bool:
    """Whether ``text`` holds a character that is invisible or reorders text, joiners excepted."""
    return any(char not in JOINERS and unicodedata.category(char) in REFUSED_CATEGORIES for char in text)
