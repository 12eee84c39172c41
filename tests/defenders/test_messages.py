"""Solidarity messages: written when signing, kept back until the signer confirms, moderated by
staff one by one or in bulk, shown on the defender's page only when approved and public, and
printed, every approved one, in the defender's booklet in the scripts they were written in."""
# ruff: noqa: RUF001 - Cyrillic and Georgian messages are the point of these tests

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from sqlalchemy import func, select

from campaign.audit.models import AuditEntry
from campaign.defenders.models import MessageStatus, SolidarityMessage
from campaign.extensions import db
from campaign.signatures.models import Signature, SignatureStatus
from campaign.signatures.services import email_hash
from tests.conftest import csrf_token
from tests.signatures.test_signing import confirm

QUEUE = "/en/dashboard/messages/"
GEORGIAN = "გამარჯობა, ძალა და გამძლეობა შენ!"
RUSSIAN = "Держитесь, мы с вами!"


def sign_with_message(client, sign, drain, smtp_server, slug, email, text, public=True, show_name=True):
    fields = {"email": email, "message": text}
    if public:
        fields["message_public"] = "y"
    if show_name:
        fields["show_name"] = "y"
    assert sign(slug, **fields).status_code == 303
    drain()
    assert confirm(client, smtp_server.to(email)[-1]).status_code == 200


def all_messages() -> list[SolidarityMessage]:
    db.session.rollback()
    return list(db.session.scalars(select(SolidarityMessage).order_by(SolidarityMessage.id)))


def decide(client, action: str, *ids: int, lang: str = "en"):
    token = csrf_token(client, f"/{lang}/dashboard/messages/")
    return client.post(
        f"/{lang}/dashboard/messages/decide",
        data={"csrf_token": token, "action": action, "message": [str(number) for number in ids]},
    )


def defender_page(app, campaign) -> tuple[str, object]:
    """The defender's page as an anonymous visitor sees it (the test client may be logged in)."""
    response = app.test_client().get(f"/en/defenders/{campaign.defender.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True), response


def booklet_text(client, campaign, lang: str = "en") -> str:
    response = client.get(f"/{lang}/dashboard/messages/defenders/{campaign.defender.slug}/booklet.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_a_message_waits_for_the_signers_confirmation_and_then_for_a_moderator(
    app, client, campaign, sign, drain, smtp_server
):
    assert (
        sign(campaign.slug, email="a@example.org", message="Stay strong", message_public="y").status_code
        == 303
    )
    db.session.rollback()

    signature = db.session.scalar(select(Signature))
    assert (signature.message, signature.is_message_public) == ("Stay strong", True)
    assert all_messages() == []

    drain()
    confirm(client, smtp_server.to("a@example.org")[0])

    (message,) = all_messages()
    assert (message.text, message.status, message.is_public) == ("Stay strong", MessageStatus.PENDING, True)
    assert message.defender_id == campaign.defender_id and message.campaign_id == campaign.id
    assert db.session.scalar(select(Signature.message)) is None  # handed over, not kept twice
    assert "Stay strong" not in defender_page(app, campaign)[0]


def test_an_approved_public_message_is_on_the_defenders_page_escaped_and_signed_as_agreed(
    app, client, campaign, sign, drain, smtp_server, staff
):
    text = "<script>alert(1)</script>\nДержись, Роза!"
    sign_with_message(client, sign, drain, smtp_server, campaign.slug, "named@example.org", text)
    sign_with_message(
        client, sign, drain, smtp_server, campaign.slug, "quiet@example.org", "Solidarity from Berlin",
        show_name=False,
    )  # fmt: skip
    named, quiet = all_messages()
    assert (named.display_name, quiet.display_name) == ("Aigerim Test", None)

    assert decide(client, "approve", named.id).status_code == 303
    html, response = defender_page(app, campaign)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "Держись, Роза!" in html and "Aigerim Test" in html
    assert "Solidarity from Berlin" not in html  # still waiting
    assert "Set-Cookie" not in response.headers

    assert decide(client, "approve", quiet.id).status_code == 303
    html, _ = defender_page(app, campaign)
    assert "Solidarity from Berlin" in html and "A supporter" in html


def test_a_private_message_approved_stays_off_the_page_but_is_in_the_booklet_in_its_own_script(
    app, client, campaign, sign, drain, smtp_server, staff
):
    sign_with_message(
        client, sign, drain, smtp_server, campaign.slug, "ka@example.org", GEORGIAN, public=False
    )
    sign_with_message(client, sign, drain, smtp_server, campaign.slug, "ru@example.org", RUSSIAN)
    georgian, russian = all_messages()
    decide(client, "approve", georgian.id, russian.id)

    assert GEORGIAN not in defender_page(app, campaign)[0]
    assert RUSSIAN in defender_page(app, campaign)[0]

    text = booklet_text(client, campaign, lang="ru")
    assert GEORGIAN in text and RUSSIAN in text
    assert "слова солидарности" in text  # the headings in the page's language
    assert "Roza T (ru)" in text


def test_a_rejected_message_is_shown_nowhere(app, client, campaign, sign, drain, smtp_server, staff):
    sign_with_message(
        client, sign, drain, smtp_server, campaign.slug, "spam@example.org", "Buy cheap watches"
    )
    (message,) = all_messages()

    assert decide(client, "reject", message.id).status_code == 303

    assert all_messages()[0].status == MessageStatus.REJECTED
    assert "cheap watches" not in defender_page(app, campaign)[0]
    assert "cheap watches" not in booklet_text(client, campaign)
    assert "cheap watches" not in client.get(QUEUE).get_data(as_text=True)  # no longer waiting
    assert "cheap watches" in client.get(QUEUE + "?status=rejected").get_data(as_text=True)


def test_the_queue_approves_in_bulk_and_the_audit_log_counts_the_decision(
    app, client, campaign, sign, drain, smtp_server, staff
):
    for number in range(3):
        sign_with_message(
            client,
            sign,
            drain,
            smtp_server,
            campaign.slug,
            f"p{number}@example.org",
            f"Message number {number}",
        )
    html = client.get(QUEUE).get_data(as_text=True)
    assert all(f"Message number {number}" in html for number in range(3))
    for message in all_messages():  # each row's buttons post a form of its own, with that message alone
        assert f'form="one-{message.id}"' in html
        own = re.search(rf'<form [^>]*id="one-{message.id}"[^>]*>(.*?)</form>', html, flags=re.S)
        assert own and re.findall(r'name="message" value="(\d+)"', own.group(1)) == [str(message.id)]

    response = decide(client, "approve", *(message.id for message in all_messages()))

    assert response.status_code == 303
    assert "3 messages approved." in client.get(response.location).get_data(as_text=True)
    assert {message.status for message in all_messages()} == {MessageStatus.APPROVED}
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "message.approved"))
    assert entry.affected == 3 and entry.user_id == staff.id
    assert all(f"Message number {number}" in defender_page(app, campaign)[0] for number in range(3))


def test_a_decision_is_a_post_with_a_csrf_token_and_known_ids(
    app, client, campaign, sign, drain, smtp_server, staff
):
    sign_with_message(client, sign, drain, smtp_server, campaign.slug, "a@example.org", "Hello")
    (message,) = all_messages()

    assert client.get(f"/en/dashboard/messages/decide?action=approve&message={message.id}").status_code == 405
    no_token = client.post("/en/dashboard/messages/decide", data={"action": "approve", "message": message.id})
    assert no_token.status_code == 400
    assert decide(client, "publish", message.id).status_code == 400
    assert decide(client, "approve").status_code == 400
    token = csrf_token(client, QUEUE)
    bad_id = client.post(
        "/en/dashboard/messages/decide", data={"csrf_token": token, "action": "approve", "message": "1; DROP"}
    )
    assert bad_id.status_code == 400
    assert all_messages()[0].status == MessageStatus.PENDING


def test_a_partner_and_a_visitor_can_neither_moderate_nor_download(
    app, client, campaign, sign, drain, smtp_server, create_user, login
):
    sign_with_message(
        client, sign, drain, smtp_server, campaign.slug, "a@example.org", "Secret words", public=False
    )
    (message,) = all_messages()
    booklet = f"/en/dashboard/messages/defenders/{campaign.defender.slug}/booklet.pdf"

    assert app.test_client().get(QUEUE).status_code in (302, 401)
    assert app.test_client().get(booklet).status_code in (302, 401)

    login(create_user("partner@example.org", org="Memorial"))
    token = csrf_token(client, "/en/account/")
    assert client.get(QUEUE).status_code == 404
    assert client.get(booklet).status_code == 404
    response = client.post(
        "/en/dashboard/messages/decide",
        data={"csrf_token": token, "action": "approve", "message": message.id},
    )
    assert response.status_code == 404
    assert all_messages()[0].status == MessageStatus.PENDING


def test_a_message_longer_than_500_characters_is_refused_and_nothing_typed_is_lost(
    app, client, campaign, sign, drain, smtp_server
):
    too_long = "ж" * 501

    response = sign(campaign.slug, name="Aigerim Test", email="long@example.org", message=too_long)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Please shorten your message to 500 characters." in html
    assert too_long in html and 'value="Aigerim Test"' in html and 'value="long@example.org"' in html
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Signature)) == 0

    assert sign(campaign.slug, email="long@example.org", message="ж" * 500).status_code == 303


def test_a_message_keeps_its_line_breaks_and_refuses_hidden_characters(
    app, client, campaign, sign, drain, smtp_server
):
    assert sign(campaign.slug, email="rtl@example.org", message="abc\u202edef").status_code == 422

    sign_with_message(
        client, sign, drain, smtp_server, campaign.slug, "lines@example.org", "  One\r\nTwo  \r\n"
    )

    assert all_messages()[0].text == "One\nTwo"


def test_erasing_a_signer_deletes_their_messages_and_takes_them_off_the_page(
    app, client, campaign, sign, drain, smtp_server, staff
):
    from campaign.signatures.erasure import erase_person

    sign_with_message(client, sign, drain, smtp_server, campaign.slug, "gone@example.org", "Forget me later")
    decide(client, "approve", all_messages()[0].id)
    assert "Forget me later" in defender_page(app, campaign)[0]

    erase_person(email_hash("gone@example.org"))
    db.session.commit()

    assert all_messages() == []
    assert "Forget me later" not in defender_page(app, campaign)[0]


def test_a_message_waiting_leaves_the_cached_pages_alone_and_approving_it_shows_it_at_once(
    app, client, campaign, sign, drain, smtp_server, staff
):
    app.extensions["page_cache"].seconds = 30  # the render cache on, as in production
    visitor = app.test_client()
    page = f"/en/defenders/{campaign.defender.slug}"
    first = visitor.get(page)

    sign_with_message(client, sign, drain, smtp_server, campaign.slug, "c@example.org", "Cached words")

    assert visitor.get(page).headers["ETag"] == first.headers["ETag"]  # nothing public changed
    decide(client, "approve", all_messages()[0].id)
    assert "Cached words" in visitor.get(page).get_data(as_text=True)


def test_the_queue_says_when_a_messages_signature_was_held_or_invalidated(
    app, client, campaign, sign, drain, smtp_server, staff
):
    for email in ("kept@example.org", "bot@example.org"):
        sign_with_message(client, sign, drain, smtp_server, campaign.slug, email, f"From {email}")
    bot = db.session.scalar(select(Signature).where(Signature.email_hash == email_hash("bot@example.org")))
    bot.status = SignatureStatus.INVALIDATED  # as a moderator's invalidation leaves it
    db.session.commit()

    html = client.get(QUEUE).get_data(as_text=True)

    assert html.count("its signature was invalidated") == 1
    assert html.index("From kept@") < html.index("its signature was invalidated") < html.index("From bot@")


def test_a_script_the_booklets_font_lacks_leaves_the_booklet_printable(
    app, client, campaign, sign, drain, smtp_server, staff
):
    sign_with_message(client, sign, drain, smtp_server, campaign.slug, "zh@example.org", "我们与你同在 🙂")
    sign_with_message(client, sign, drain, smtp_server, campaign.slug, "ka@example.org", GEORGIAN)
    decide(client, "approve", *(message.id for message in all_messages()))

    text = booklet_text(client, campaign)  # a 200 with a PDF: DejaVu has no CJK, and no emoji

    assert GEORGIAN in text
