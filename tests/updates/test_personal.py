"""``{name}`` in an update: each reader's name, escaped; a neutral word without one; the preview."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.outbox import OutboxMessage
from campaign.signatures.models import Signature
from campaign.updates.models import Update
from tests.conftest import csrf_token

TEXTS = {
    "en": ("{name}, Roza is free", "Dear {name}, she was **released**."),
    "ru": ("{name}, Роза на свободе", "Дорогой друг {name}, её **освободили**."),
}


def named(signature: Signature, name: str) -> None:
    db.session.get(Signature, signature.id).name = name
    db.session.commit()


def html_of(mail) -> str:
    return mail.message.get_body(preferencelist=("html",)).get_content()


def base(campaign) -> str:
    return f"/en/dashboard/campaigns/{campaign.slug}/updates/"


def test_each_reader_gets_their_own_name_in_their_language(
    campaign, add_signer, write_update, send, smtp_server
):
    named(add_signer(campaign, "anna@example.org"), "Anna Lee")
    named(add_signer(campaign, "dina@example.org", lang="ru"), "Дина Ахметова")

    send(write_update(campaign, TEXTS))

    [english] = smtp_server.to("anna@example.org")
    assert english.message["Subject"] == "Anna Lee, Roza is free"
    assert "Dear Anna Lee, she was **released**." in english.text()
    assert "Dear Anna Lee, she was <strong>released</strong>." in html_of(english)
    [russian] = smtp_server.to("dina@example.org")
    assert russian.message["Subject"] == "Дина Ахметова, Роза на свободе"
    assert "Дорогой друг Дина Ахметова, её <strong>освободили</strong>." in html_of(russian)
    assert "{name}" not in english.text() + html_of(english) + russian.text() + html_of(russian)


def test_a_name_is_never_markup_nor_markdown(campaign, add_signer, write_update, send, smtp_server):
    named(add_signer(campaign, "script@example.org"), "<script>alert(1)</script>")
    named(add_signer(campaign, "stars@example.org"), "**x** [a](javascript:alert(1))")

    send(write_update(campaign, TEXTS))

    [script] = smtp_server.to("script@example.org")
    assert "<script" not in html_of(script)
    assert "Dear &lt;script&gt;alert(1)&lt;/script&gt;, she was" in html_of(script)
    assert "Dear <script>alert(1)</script>, she was" in script.text()  # plain text is not HTML
    [stars] = smtp_server.to("stars@example.org")
    assert "Dear **x** [a](javascript:alert(1)), she was <strong>released</strong>" in html_of(stars)
    assert "<strong>x</strong>" not in html_of(stars) and "href" not in html_of(stars).split("she was")[0]


def test_a_name_with_a_line_break_stays_on_the_subjects_line(
    campaign, add_signer, write_update, send, smtp_server
):
    named(add_signer(campaign, "anna@example.org"), "Anna\r\nBcc: all@example.org")

    send(write_update(campaign, TEXTS))

    [mail] = smtp_server.messages
    assert mail.message["Subject"] == "Anna Bcc: all@example.org, Roza is free"
    assert mail.message["Bcc"] is None and mail.rcpt_tos == ["anna@example.org"]


def test_a_reader_without_a_name_gets_a_neutral_word_in_the_texts_language(
    campaign, add_signer, write_update, send, smtp_server
):
    named(add_signer(campaign, "anon@example.org"), "")
    named(add_signer(campaign, "anon-ru@example.org", lang="ru"), "  ")
    named(add_signer(campaign, "anon-kk@example.org", lang="kk"), "")  # no Kazakh text: the English one

    send(write_update(campaign, TEXTS))

    assert smtp_server.to("anon@example.org")[0].message["Subject"] == "friend, Roza is free"
    assert "Дорогой друг друг, её" in smtp_server.to("anon-ru@example.org")[0].text()
    assert "Dear friend, she was" in smtp_server.to("anon-kk@example.org")[0].text()


def test_the_name_is_read_when_sending_and_never_copied_into_the_outbox(
    campaign, add_signer, write_update, send, smtp_server
):
    named(add_signer(campaign, "anna@example.org"), "Anna Lee")

    send(write_update(campaign, TEXTS))

    [row] = db.session.scalars(select(OutboxMessage)).all()
    assert set(row.payload) == {"update_id", "supporter_id"}
    assert "Anna Lee" not in repr(row.payload) + (row.last_error or "")


def test_unknown_tokens_are_refused_and_other_braces_left_as_typed(
    client, staff, campaign, add_signer, send, smtp_server
):
    data = {"lang": "en", "subject": "News for {nmae}", "body": "Hi {name} and {Name} {"}
    refused = client.post(base(campaign), data=data | {"csrf_token": csrf_token(client, base(campaign))})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "please correct or remove: {nmae}." in page and "please correct or remove: {Name}." in page
    assert db.session.scalar(select(Update)) is None

    add_signer(campaign, "anna@example.org")
    data = {"lang": "en", "subject": "News", "body": 'Costs { } and {"a": 1}, {name}, {'}
    saved = client.post(base(campaign), data=data | {"csrf_token": csrf_token(client, base(campaign))})
    assert saved.status_code == 303
    send(db.session.scalar(select(Update)))

    assert 'Costs { } and {"a": 1}, Anna, {' in smtp_server.messages[0].text()


def test_the_preview_shows_a_sample_name_per_language(client, staff, campaign, write_update):
    update = write_update(campaign, TEXTS)

    page = client.get(f"{base(campaign)}{update.id}").get_data(as_text=True)

    assert "Dear Anna, she was <strong>released</strong>." in page
    assert "Дорогой друг Анна, её <strong>освободили</strong>." in page
    assert "Here {name} is shown as “Anna”; a supporter whose name we do not have reads “friend”." in page


def test_the_preview_button_fills_in_the_sample_name_escaping_nothing_it_should_not(client, staff, campaign):
    data = {"lang": "ru", "subject": "{name}!", "body": "Привет, {name} *<b>x</b>*", "preview": "1"}

    response = client.post(base(campaign), data=data | {"csrf_token": csrf_token(client, base(campaign))})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<strong>Анна!</strong>" in page and "Привет, Анна <em>" in page
    assert db.session.scalar(select(Update)) is None


def test_a_test_send_carries_the_campaigners_own_name(
    client, staff, campaign, write_update, drain, smtp_server
):
    staff.name = "Карина <b>"
    db.session.commit()
    update = write_update(campaign, TEXTS)
    page = f"{base(campaign)}{update.id}"

    client.post(f"{page}/test", data={"csrf_token": csrf_token(client, page), "lang": "ru"})
    drain()

    [mail] = smtp_server.messages
    assert mail.message["Subject"] == "[Тест] Карина <b>, Роза на свободе"
    assert "Дорогой друг Карина &lt;b&gt;, её" in html_of(mail)
    assert "Карина" not in repr(db.session.scalars(select(OutboxMessage.payload)).all())


def test_a_published_update_reads_the_neutral_word_on_the_public_page(client, staff, campaign, write_update):
    update = write_update(campaign, TEXTS)
    page = f"{base(campaign)}{update.id}"
    client.post(f"{page}/publish", data={"csrf_token": csrf_token(client, page)})

    public = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    assert "Dear friend, she was" in public and "{name}" not in public
