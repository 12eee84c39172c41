"""A letter in Russian, Armenian or Georgian, with its PDF, is taken by a mail server that keeps to
the standards: no line over 998 octets, no 8-bit data without 8BITMIME (the session's test server)."""

# ruff: noqa: RUF001 - Cyrillic, Armenian and Georgian text are the point of these tests

from __future__ import annotations

import pytest
from sqlalchemy import select

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Delivery, Recipient
from tests.letters.test_delivery import pdf_text

#: a long title (a subject over several encoded words) and a paragraph longer than any line may be
TEXTS = {
    "ru": (
        "Открытое письмо Президенту о немедленном освобождении журналистов и правозащитников, "
        "задержанных за мирную деятельность, и о прекращении преследования их семей и адвокатов",
        "Мы, нижеподписавшиеся организации, призываем **президента** освободить правозащитников. " * 20,
    ),
    "hy": (
        "Բաց նամակ Նախագահին՝ խաղաղ գործունեության համար ձերբակալված լրագրողների և "
        "իրավապաշտպանների անհապաղ ազատ արձակման և նրանց ընտանիքների հետապնդման դադարեցման մասին",
        "Մենք՝ ստորագրող կազմակերպություններս, կոչ ենք անում **Նախագահին** ազատ արձակել իրավապաշտպաններին։ "
        * 20,
    ),
    "ka": (
        "ღია წერილი პრეზიდენტს მშვიდობიანი საქმიანობისთვის დაკავებული ჟურნალისტებისა და "
        "უფლებადამცველების დაუყოვნებლივ გათავისუფლებისა და მათი ოჯახების დევნის შეწყვეტის შესახებ",
        "ჩვენ, ხელმომწერი ორგანიზაციები, მოვუწოდებთ **პრეზიდენტს** გაათავისუფლოს უფლებადამცველები. " * 20,
    ),
}


@pytest.mark.parametrize("lang", sorted(TEXTS))
def test_a_letter_and_its_pdf_in_a_non_latin_script_go_through_a_strict_server(
    world, lang, drain, smtp_server
):
    letter = world.letter
    title, body = TEXTS[lang]
    services.save_version(letter, lang, title, body, world.users["coord_owner"], world.organisations["coord"])
    services.open_for_sign_on(letter)
    services.sign_on(
        letter,
        world.organisations["coord"],
        world.users["coord_owner"],
        services.SignOnInput("Галина Петриашвили", "Председатель"),
    )
    address = f"head-of-state-{lang}@example.org"
    letter.recipients.append(
        Recipient(name="Head of State", titles={}, country="AM", email=address, lang=lang)
    )
    db.session.commit()

    deliver_letter(letter.id)
    drain()

    assert smtp_server.handler.refusals == []
    [mail] = smtp_server.to(address)
    assert mail.message["Subject"] == title
    assert "Галина Петриашвили" in mail.text()
    # (pypdf reads some scripts' spaces back doubled)
    assert body.split(" **")[0] in " ".join(pdf_text(mail.message).split())
    [delivery] = [d for d in db.session.scalars(select(Delivery)) if d.recipient.email == address]
    assert delivery.status == "sent"
