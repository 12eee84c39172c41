"""One mailbox, however it is spelled, is one signer (normalise_email, a pure function)."""

from __future__ import annotations

import pytest

from campaign.signatures.services import normalise_email


@pytest.mark.parametrize(
    ("spelled", "mailbox"),
    [
        ("Aigerim@Example.ORG", "aigerim@example.org"),
        ("  aigerim@example.org \n", "aigerim@example.org"),
        ("aigerim+petition@example.org", "aigerim@example.org"),
        ("a.i.g.e.r.i.m@gmail.com", "aigerim@gmail.com"),
        ("A.Igerim+news@GoogleMail.com", "aigerim@gmail.com"),
    ],
)
def test_the_spellings_of_one_mailbox_fold_into_one(spelled, mailbox):
    assert normalise_email(spelled) == mailbox


def test_dots_are_kept_where_the_provider_does_not_ignore_them():
    assert normalise_email("a.igerim@example.org") == "a.igerim@example.org"


def test_only_the_last_at_sign_separates_the_domain():
    assert normalise_email('"a@b"@example.org') == '"a@b"@example.org'
