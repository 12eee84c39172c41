"""Every mail is written in its recipient's language, never in the language of the request
that caused it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import update

from campaign.config import LANGUAGES
from campaign.extensions import db
from campaign.signatures.models import Signature, SignatureStatus
from tests.accounts.test_invitations import invite
from tests.accounts.test_passwords import ask_reset
from tests.smtp import Received


def html_lang(message: Received) -> str:
    html = message.message.get_body(preferencelist=("html",))
    assert html is not None
    content = html.get_content()
    return content.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("lang", LANGUAGES.split(","))
def test_the_confirmation_mail_is_in_the_language_the_signer_signed_in(
    client, campaign, sign, drain, smtp_server, lang
):
    sign(campaign.slug, lang=lang)
    drain()

    (mail,) = smtp_server.messages
    assert html_lang(mail) == lang
    assert f"/{lang}/verify/" in mail.text()


def test_the_confirmation_mail_of_a_non_english_signer_is_translated(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug, lang="en")
    sign(campaign.slug, lang="ka", email="nino@example.org", ip="198.51.100.30")
    drain()

    english, georgian = (
        smtp_server.to(address)[0] for address in ("aigerim@example.org", "nino@example.org")
    )
    assert english.message["Subject"] != georgian.message["Subject"]


def test_the_already_signed_mail_is_in_the_language_they_signed_in_not_the_new_pages(
    client, campaign, sign, drain, smtp_server
):
    sign(campaign.slug, lang="ru")
    db.session.execute(update(Signature).values(status=SignatureStatus.CONFIRMED))
    db.session.commit()
    drain()

    sign(campaign.slug, lang="en", ip="198.51.100.31")
    drain()

    assert html_lang(smtp_server.messages[-1]) == "ru"


def test_a_password_reset_is_in_the_members_own_language_not_the_forms(
    app, client, create_user, drain, smtp_server
):
    user = create_user("partner@example.org")
    user.lang = "kk"
    db.session.commit()

    ask_reset(client, "partner@example.org")
    drain()

    assert html_lang(smtp_server.to("partner@example.org")[-1]) == "kk"


def test_an_invitation_to_someone_with_an_account_is_in_their_own_language(
    app, client, create_user, login, drain, smtp_server
):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    member = create_user(email="ani@example.org")
    member.lang = "hy"
    db.session.commit()
    login(owner)

    invite(client, owner, "ani@example.org", lang="en")
    drain()

    assert html_lang(smtp_server.to("ani@example.org")[-1]) == "hy"


def test_every_html_mail_template_declares_the_language_it_is_rendered_in() -> None:
    """The mails above are read back in each language; this keeps every other kind (updates,
    reminders, letters' notices) from leaving out its ``<html lang>``."""
    templates = Path(__file__).resolve().parents[2] / "templates" / "email"
    declared = re.compile(r'<html lang="\{\{ (current_lang\(\)|page\.lang) \}\}">')
    framed = '{% extends "email/_layout.html" %}'
    mails = [path for path in sorted(templates.glob("*.html")) if not path.name.startswith("_")]

    assert len(mails) >= 18
    assert declared.search((templates / "_layout.html").read_text())
    assert [
        path.name
        for path in mails
        if not (path.read_text().startswith(framed) or declared.search(path.read_text()))
    ] == []
