"""Every message is valid on the wire: RFC 2047 headers that decode character for character, IDNA
domains, lines within 998 octets and 7-bit data, through a server that refuses anything else
(the session's test server offers no 8BITMIME). An internationalised local part goes out only
where the server offers SMTPUTF8, and otherwise raises the one exception callers catch."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32

import pytest
from flask_mail import Attachment, Message
from sqlalchemy import select

from campaign.extensions import db
from campaign.mime import AddressNotSendable, message_bytes
from campaign.outbox import MailKind, OutboxMessage, _builders, queue_mail, register_builders
from campaign.smtp import SMTPTransport, transport
from tests.smtp import SMTPServer

ALPHABETS = {
    "ru": "Свобода правозащитникам и журналистам ",
    "hy": "Ազատություն իրավապաշտպաններին և լրագրողներին ",
    "ka": "თავისუფლება უფლებადამცველებსა და ჟურნალისტებს ",
}


def subject_of(lang: str) -> str:
    """200 characters, spaces included at every place an encoded word might be cut."""
    return (ALPHABETS[lang] * 10)[:200]


def letter(recipient: str, subject: str = "Appeal", **fields) -> Message:
    return Message(subject=subject, recipients=[recipient], body="Текст письма. " * 200, **fields)


@pytest.mark.parametrize("lang", sorted(ALPHABETS))
def test_a_200_character_subject_decodes_character_for_character_with_an_attachment(app, smtp_server, lang):
    message = letter("reader@example.org", subject_of(lang))
    message.attach("письмо.pdf", "application/pdf", b"%PDF-1.7 " * 500)
    with transport() as via:
        via.send(message)

    [received] = smtp_server.to("reader@example.org")
    assert received.message["Subject"] == subject_of(lang)
    [attachment] = received.message.iter_attachments()
    assert attachment.get_filename() == "письмо.pdf"
    assert attachment.get_content() == b"%PDF-1.7 " * 500


@pytest.mark.parametrize("lang", sorted(ALPHABETS))
def test_a_200_character_subject_decodes_character_for_character_without_an_attachment(
    app, smtp_server, lang
):
    with transport() as via:
        via.send(letter("reader@example.org", subject_of(lang), html="<p>Текст</p>"))

    [received] = smtp_server.to("reader@example.org")
    assert received.message["Subject"] == subject_of(lang)


def test_every_line_is_within_998_octets_and_7_bit(app):
    message = letter("reader@example.org", subject_of("ka"), html="<p>" + "ჟ" * 5000 + "</p>")
    message.extra_headers = {"X-Campaign": "ა" * 600}
    message.attachments.append(Attachment("long.txt", "text/plain", "ა" * 5000))
    data = message_bytes(message)

    assert data.isascii()
    assert max(len(line) for line in data.split(b"\r\n")) <= 998


def test_a_display_name_with_commas_quotes_and_cyrillic_reads_back_whole(app, smtp_server):
    name = 'Правозащитный центр «Мемориал», "Вясна"'
    with transport() as via:
        via.send(
            letter(
                "reader@example.org",
                sender=(name, "office@example.org"),
                reply_to="Вясна <reply@example.org>",
            )
        )

    [received] = smtp_server.to("reader@example.org")
    # decoded as RFC 2047 says (Python's address parser keeps the folding space between encoded words)
    raw = BytesHeaderParser(policy=compat32).parsebytes(received.data)["From"]
    assert str(make_header(decode_header(raw))) == f"{name} <office@example.org>"
    assert received.message["Reply-To"].addresses[0].addr_spec == "reply@example.org"


def test_an_internationalised_domain_goes_out_as_its_a_label(app, smtp_server):
    with transport() as via:
        via.send(letter("dina@пример.рф"))

    [received] = smtp_server.to("dina@xn--e1afmkfd.xn--p1ai")
    assert received.message["To"] == "dina@xn--e1afmkfd.xn--p1ai"


def test_an_internationalised_local_part_without_smtputf8_raises_before_anything_is_sent(app, smtp_server):
    with transport() as via, pytest.raises(AddressNotSendable):
        via.send(letter("дина@example.org"))
    assert smtp_server.messages == []


@pytest.fixture
def plain_kind() -> Iterator[str]:
    """An outbox kind of this test's own, whose message is a plain text to the row's recipient."""
    register_builders({"test_plain": MailKind(lambda row: letter(row.recipient or ""))})
    yield "test_plain"
    _builders.pop("test_plain")


def test_an_outbox_row_to_an_internationalised_local_part_fails_for_good_with_its_reason(
    app, plain_kind, drain, smtp_server
):
    queue_mail(plain_kind, "дина@example.org", "en", "test:idn")
    db.session.commit()
    drain()

    row = db.session.scalars(select(OutboxMessage)).one()
    assert row.status == "failed" and "SMTPUTF8" in row.last_error
    assert smtp_server.messages == []


@pytest.fixture
def smtputf8_server() -> Iterator[SMTPServer]:
    server = SMTPServer(strict=True, eight_bit_mime=False, smtputf8=True)
    server.start()
    yield server
    server.stop()


def test_an_internationalised_local_part_goes_out_where_the_server_offers_smtputf8(app, smtputf8_server):
    with smtplib.SMTP("127.0.0.1", smtputf8_server.port, timeout=5) as host:
        SMTPTransport(host).send(letter("дина@пример.рф", subject_of("ru")))

    [received] = smtputf8_server.messages
    assert received.rcpt_tos == ["дина@xn--e1afmkfd.xn--p1ai"]
    assert received.message["To"] == "дина@xn--e1afmkfd.xn--p1ai"
    assert received.message["Subject"] == subject_of("ru")
