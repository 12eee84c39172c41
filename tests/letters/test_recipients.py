"""Recipients: the staff's address book, picked into letters, edited or removed until delivery."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Recipient, RecipientContact
from tests.letters.conftest import post, reload

CONTACT = {
    "name": "Sadyr Japarov",
    "country": "KG",
    "email": "President-KG@example.org",
    "lang": "ru",
    "name_ru": "Садыр Жапаров",
    "title_en": "President of the Kyrgyz Republic",
    "title_ru": "Президент Кыргызской Республики",
    "salutation_en": "Your Excellency, Mr. President,",
    "salutation_ru": "Уважаемый господин Президент!",
    "notes": "The office prefers letters in Russian.",
}


def test_staff_keep_an_entry_in_the_address_book_with_names_titles_and_salutations_per_language(
    world, as_user
):
    response = post(as_user("staff"), "/en/letters/address-book/new", **CONTACT)

    assert response.status_code == 303
    contact = db.session.scalar(select(RecipientContact))
    assert contact.email == "president-kg@example.org"
    assert contact.name_in("ru") == "Садыр Жапаров" and contact.name_in("en") == "Sadyr Japarov"
    assert contact.salutation("ru") == "Уважаемый господин Президент!"
    page = as_user("staff").get("/en/letters/address-book").get_data(as_text=True)
    assert "Sadyr Japarov" in page and "President of the Kyrgyz Republic" in page


def test_partners_cannot_see_the_address_book(world, as_user):
    assert as_user("coord_owner").get("/en/letters/address-book").status_code == 404


def test_a_letter_picks_a_recipient_from_the_address_book_as_its_own_copy(world, as_user):
    post(as_user("staff"), "/en/letters/address-book/new", **CONTACT)
    contact = db.session.scalar(select(RecipientContact))

    response = post(
        as_user("coord_owner"), f"/en/letters/{world.letter.slug}/recipients/pick", contact_id=contact.id
    )

    assert response.status_code == 303
    picked = db.session.scalar(select(Recipient).where(Recipient.contact_id == contact.id))
    assert picked.title("ru") == "Президент Кыргызской Республики" and picked.lang == "ru"
    post(as_user("staff"), f"/en/letters/address-book/{contact.id}", **(CONTACT | {"title_ru": "Другое"}))
    db.session.expire_all()
    assert db.session.get(Recipient, picked.id).title("ru") == "Президент Кыргызской Республики"


def test_the_coordinator_edits_a_recipient_until_the_letter_is_delivered(world, as_user):
    letter = world.letter
    [recipient] = letter.recipients
    url = f"/en/letters/{letter.slug}/recipients/{recipient.id}"
    fields = {"name": "Kassym-Jomart Tokayev", "country": "KZ", "email": "kz@example.org", "lang": "ru"}

    assert (
        post(as_user("coord_owner"), url, **fields, salutation_ru="Уважаемый господин Президент!").status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(Recipient, recipient.id).salutation("ru") == "Уважаемый господин Президент!"

    services.open_for_sign_on(reload(letter))
    db.session.commit()
    deliver_letter(letter.id)
    response = post(as_user("coord_owner"), url, **fields | {"email": "other@example.org"})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Recipient, recipient.id).email == "kz@example.org"


def test_a_recipient_without_an_email_address_is_refused_with_a_message(world, as_user):
    response = post(
        as_user("coord_owner"),
        f"/en/letters/{world.letter.slug}/recipients",
        name="X",
        country="KZ",
        lang="en",
    )
    assert response.status_code == 422
    assert "Please enter an email address." in response.get_data(as_text=True)
