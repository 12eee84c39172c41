"""What goes over the wire: messages written without the email package read back whole, over
PIPELINING and without it, and a refusal leaves the connection usable."""

from __future__ import annotations

import smtplib

import pytest
from flask_mail import Attachment, Message

from campaign.mime import named_sender
from campaign.smtp import send, transport

BODY = "Roza was released today.\n.A line that starts with a dot\n\n" + "Свобода! " * 40


def message(recipient: str) -> Message:
    return Message(
        subject="Новости кампании: Роза Тулетаева на свободе, и это очень длинная тема письма",
        recipients=[recipient],
        body=BODY,
        html="<p>Розу <strong>освободили</strong></p>",
        extra_headers={"List-Unsubscribe": "<https://campaign.example.org/en/u/abc>"},
    )


@pytest.mark.parametrize("pipelining", [True, False])
def test_a_message_reads_back_whole(app, smtp_server, pipelining):
    smtp_server.handler.pipelining = pipelining
    try:
        with transport() as via:
            via.send(message("reader@example.org"))
            via.send(message("second@example.org"))
            assert via.host.has_extn("pipelining") is pipelining
    finally:
        smtp_server.handler.pipelining = True

    [received] = smtp_server.to("reader@example.org")
    parsed = received.message
    assert parsed["Subject"] == "Новости кампании: Роза Тулетаева на свободе, и это очень длинная тема письма"
    assert parsed["To"] == "reader@example.org"
    sender = app.config["MAIL_DEFAULT_SENDER"]
    assert parsed["From"].addresses[0].addr_spec == sender.split("<")[-1].strip(">")
    assert parsed["List-Unsubscribe"] == "<https://campaign.example.org/en/u/abc>"
    assert parsed["Message-ID"] and parsed["Date"]
    # text travels in MIME's canonical form, lines ending in CRLF
    assert parsed.get_body(preferencelist=("plain",)).get_content() == BODY.replace("\n", "\r\n")
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert html == "<p>Розу <strong>освободили</strong></p>"
    assert len(smtp_server.to("second@example.org")) == 1


def test_a_refused_recipient_raises_and_the_connection_carries_the_next(app, smtp_server):
    smtp_server.handler.refused["nobody@example.org"] = "550 5.1.1 no such mailbox"
    try:
        with transport() as via:
            with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
                via.send(message("nobody@example.org"))
            via.send(message("somebody@example.org"))
    finally:
        smtp_server.handler.refused.clear()

    assert refused.value.recipients["nobody@example.org"][0] == 550
    assert smtp_server.to("nobody@example.org") == []
    assert len(smtp_server.to("somebody@example.org")) == 1


def test_a_message_with_an_attachment_goes_out_whole(app, smtp_server):
    with_file = message("attached@example.org")
    with_file.attachments.append(Attachment("appeal.txt", "text/plain", b"Free Roza"))
    with transport() as via:
        via.send(with_file)

    [received] = smtp_server.to("attached@example.org")
    [attachment] = received.message.iter_attachments()
    assert attachment.get_filename() == "appeal.txt"
    assert attachment.get_content() == "Free Roza"


#: a message as it reaches the wire in 7-bit: lines that start with a dot, one that is only a dot
DOTTED = (
    b"From: <sender@example.org>\r\nTo: <dots@example.org>\r\nSubject: dots\r\n"
    b"Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
    b"Roza was released today.\r\n.A line that starts with a dot\r\n.\r\n..two dots\r\nThe end.\r\n"
)


@pytest.mark.parametrize("pipelining", [True, False])
def test_lines_starting_with_a_dot_reach_the_recipient_unchanged(app, smtp_server, pipelining):
    smtp_server.handler.pipelining = pipelining
    try:
        with smtplib.SMTP("127.0.0.1", smtp_server.port, timeout=5) as host:
            send(host, "sender@example.org", ["dots@example.org"], DOTTED)
    finally:
        smtp_server.handler.pipelining = True

    [received] = smtp_server.to("dots@example.org")
    assert received.data.splitlines() == DOTTED.splitlines()


def test_a_bare_sender_address_is_named_after_the_operator_and_a_named_one_is_kept(
    app, campaign, sign, drain, smtp_server
):
    app.config["OPERATOR_NAME"] = "Правозащитный центр"
    sign(campaign.slug)
    drain()

    sender = smtp_server.to("aigerim@example.org")[0].message["From"].addresses[0]
    assert (sender.display_name, sender.addr_spec) == (
        "Правозащитный центр",
        app.config["MAIL_DEFAULT_SENDER"],
    )
    assert named_sender("Kazakhstan Bureau <bureau@hrc.example.org>") == (
        "Kazakhstan Bureau <bureau@hrc.example.org>"
    )
    assert named_sender(("Бюро", "bureau@hrc.example.org")) == ("Бюро", "bureau@hrc.example.org")
