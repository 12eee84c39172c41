"""CSV cells that a spreadsheet would run as formulas are neutralised (a pure function)."""

from __future__ import annotations

import pytest

from campaign.dashboard.csvsafe import neutralise


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_would_be_formula_is_shown_as_text(formula):
    assert neutralise(formula) == "'" + formula


@pytest.mark.parametrize("text", ["Aigerim", "Roza = free", "a-b", "", "Тулетаева"])
def test_ordinary_text_is_left_alone(text):
    assert neutralise(text) == text


def test_none_and_numbers_become_text():
    assert (neutralise(None), neutralise(12), neutralise(-3)) == ("", "12", "'-3")
