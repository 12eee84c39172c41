"""The public letter page and the letters JSON API (DESIGN.md section 4)."""

# ruff: noqa: RUF001 - Cyrillic names and text are the point of these tests

from __future__ import annotations

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.jobs import deliver_letter


def open_and_sign(world) -> None:
    services.open_for_sign_on(world.letter)
    services.sign_on(
        world.letter,
        world.organisations["partner"],
        world.users["partner_signer"],
        services.SignOnInput("Svetlana Gannushkina", "Chair"),
    )
    db.session.commit()


def test_a_letter_being_drafted_has_no_public_page_or_api_entry(world, client):
    assert client.get(f"/en/letters/{world.letter.slug}").status_code == 404
    response = client.get(f"/api/v1/letters/{world.letter.slug}")
    assert response.status_code == 404 and response.get_json()["error"] == "not found"
    assert client.get("/api/v1/letters").get_json() == {"letters": []}


def test_the_public_page_shows_the_letter_recipients_and_signatories_in_the_seeds_style(world, client):
    open_and_sign(world)
    html = client.get(f"/ru/letters/{world.letter.slug}").get_data(as_text=True)
    assert '<html lang="ru">' in html
    assert "Свободу правозащитникам" in html and "<strong>президента</strong>" in html
    assert "Kassym-Jomart Tokayev, Президент Казахстана" in html
    assert "Партнёр Орг, Moscow (Svetlana Gannushkina, Chair)" in html


def test_a_missing_language_falls_back_to_the_default_with_a_notice(world, client, app):
    app.config["LANGUAGES"] = ["en", "ru", "fr"]
    open_and_sign(world)
    html = client.get(f"/fr/letters/{world.letter.slug}").get_data(as_text=True)
    assert "Free the defenders" in html
    assert 'role="note"' in html


def test_the_api_lists_public_letters_and_describes_one(world, client, drain):
    open_and_sign(world)
    [entry] = client.get("/api/v1/letters?lang=ru").get_json()["letters"]
    assert entry == {
        "slug": "test-letter",
        "title": "Свободу правозащитникам",
        "status": "open",
        "url": "https://campaign.example.org/ru/letters/test-letter",
    }

    deliver_letter(world.letter.id)
    drain()
    response = client.get("/api/v1/letters/test-letter")
    assert response.headers["Cache-Control"].startswith("public")
    data = response.get_json()
    assert set(data) == {"slug", "title", "status", "embargoed", "recipients", "signatories", "deliveries"}
    assert data["status"] == "delivered" and data["title"] == "Free the defenders"
    assert data["recipients"] == [
        {"name": "Kassym-Jomart Tokayev", "title": "President of Kazakhstan", "country": "KZ", "lang": "en"}
    ]
    [signatory] = data["signatories"]
    assert (
        signatory["organisation"] == "Partner Org" and signatory["representative"] == "Svetlana Gannushkina"
    )
    [delivery] = data["deliveries"]
    assert delivery["recipient"] == "Kassym-Jomart Tokayev" and delivery["status"] == "sent"
    assert delivery["sent_at"].endswith("Z")


def test_the_public_page_says_when_and_to_whom_it_was_delivered(world, client, drain):
    open_and_sign(world)
    deliver_letter(world.letter.id)
    drain()
    html = client.get(f"/en/letters/{world.letter.slug}").get_data(as_text=True)
    assert "To Kassym-Jomart Tokayev on" in html


def test_seed_demo_loads_partner_organisations_and_letters_idempotently(app):
    from sqlalchemy import func, select

    from campaign.accounts.models import Organisation, User
    from campaign.letters.models import Letter

    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert runner.invoke(args=["seed-demo"]).exit_code == 0

    letters = {letter.slug: letter for letter in db.session.scalars(select(Letter))}
    opened = letters["appeal-russia-tajikistan-migrant-workers"]
    assert opened.status == "open" and len(opened.signatories()) == 4 and len(opened.recipients) == 2
    assert letters["open-letter-hollande-kazakhstan"].status == "drafting"
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 11
    assert {r.lang for r in opened.recipients} == {"ru"}
    assert opened.recipients[0].salutation("ru") == "Уважаемый господин Президент!"
    statement = letters["central-asia-summit-human-rights"]
    assert (
        statement.status == "open"
        and len(statement.recipients) == 5
        and set(statement.frozen) == {"en", "ru"}
    )
    assert len(statement.signatories()) == 4
    assert {r.country for r in statement.recipients} == {"KZ", "KG", "TJ", "TM", "UZ"}
    owners = db.session.scalars(select(User)).all()
    assert all(user.email.endswith("@example.org") and not user.has_totp for user in owners)
