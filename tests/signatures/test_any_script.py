"""Names and email addresses in any script: joiners welcome, hidden reordering refused, an
internationalised address accepted only where our mail server can deliver it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.outbox import OutboxMessage
from campaign.signatures.models import Signature
from tests.smtp import Handler, free_port

#: "Alireza" as Persian writes it: the ZERO WIDTH NON-JOINER keeps علی and رضا apart
ZWNJ_NAME = "علی\u200cرضا Karimi"  # noqa: RUF001
IDN_ADDRESS = "иван@почта.рф"


def signatures() -> int:
    return db.session.scalar(select(func.count()).select_from(Signature))


@pytest.fixture
def mail_server(
    app: Flask, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Handler]:
    """A server of this test's own (so no earlier answer about SMTPUTF8 is cached for it), offering
    SMTPUTF8 or not as the test's ``smtputf8`` parameter says, and the app sending through it."""
    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=request.param)
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setattr(app.extensions["mail"], "port", port)
    yield handler
    controller.stop()


def test_a_name_with_a_zero_width_non_joiner_signs(client, campaign, sign):
    assert sign(campaign.slug, name=ZWNJ_NAME).status_code == 303
    assert db.session.scalar(select(Signature.name)) == ZWNJ_NAME


def test_a_name_with_a_zero_width_joiner_signs(client, campaign, sign):
    assert sign(campaign.slug, name="ශ්\u200dරී Perera").status_code == 303
    assert signatures() == 1


def test_a_name_in_georgian_signs(client, campaign, sign):
    assert sign(campaign.slug, name="ნინო ბერიძე").status_code == 303
    assert db.session.scalar(select(Signature.name)) == "ნინო ბერიძე"


@pytest.mark.parametrize(
    "hidden",
    ["\u202e", "\u2067", "\u200f", "\u2028", "\ue000", "\x07"],
    ids=[
        "right-to-left-override",
        "right-to-left-isolate",
        "right-to-left-mark",
        "line-separator",
        "private-use",
        "bell",
    ],
)
def test_a_name_with_a_bidi_override_or_other_hidden_character_is_refused(client, campaign, sign, hidden):
    response = sign(campaign.slug, name=f"Roza{hidden}azoR")

    assert response.status_code == 422
    assert "Please remove invisible control characters." in response.get_data(as_text=True)
    assert signatures() == 0


def test_an_address_with_an_internationalised_domain_only_signs_without_a_check(client, campaign, sign):
    assert sign(campaign.slug, email="ivan@почта.рф").status_code == 303
    assert db.session.scalar(select(Signature.email)) == "ivan@почта.рф"


@pytest.mark.parametrize("mail_server", [True], indirect=True)
def test_an_internationalised_address_signs_where_the_server_offers_smtputf8(
    client, campaign, sign, mail_server
):
    assert sign(campaign.slug, email=IDN_ADDRESS).status_code == 303
    assert db.session.scalar(select(Signature.email)) == IDN_ADDRESS


@pytest.mark.parametrize("mail_server", [False], indirect=True)
def test_an_internationalised_address_is_refused_on_the_form_where_the_server_cannot_take_it(
    client, campaign, sign, mail_server
):
    response = sign(campaign.slug, email=IDN_ADDRESS)

    assert response.status_code == 422
    assert "We cannot send mail to this address" in response.get_data(as_text=True)
    assert signatures() == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("mail_server", [False], indirect=True)
def test_the_refusal_is_in_the_signers_language(client, campaign, sign, mail_server):
    response = sign(campaign.slug, lang="ru", email=IDN_ADDRESS)

    assert response.status_code == 422
    assert "Мы не можем отправить письмо на этот адрес" in response.get_data(as_text=True)


def test_an_internationalised_address_is_accepted_while_the_server_is_unreachable(
    app, client, campaign, sign, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_PORT", free_port())  # nobody listens there

    assert sign(campaign.slug, email=IDN_ADDRESS).status_code == 303
    assert signatures() == 1


@pytest.mark.parametrize("mail_server", [True], indirect=True)
def test_an_internationalised_address_is_mailed_with_smtputf8_and_an_idna_domain(
    client, campaign, sign, drain, mail_server
):
    sign(campaign.slug, email=IDN_ADDRESS)
    drain()

    (received,) = mail_server.messages
    assert received.rcpt_tos == ["иван@xn--80a1acny.xn--p1ai"]
    assert "/verify/" in received.text()
