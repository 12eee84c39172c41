"""``flask send-update SLUG --subject TEXT --body-file FILE [--lang xx]``."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import select

from campaign.extensions import db
from campaign.updates.models import Update


def run(app, *args: str):
    return app.test_cli_runner().invoke(args=["send-update", *args])


def test_send_update_mails_every_supporter_once_even_when_run_twice(
    app, campaign, add_signer, tmp_path, drain, smtp_server
):
    add_signer(campaign, "anna@example.org")
    add_signer(campaign, "dmitry@example.org", lang="ru")
    body = tmp_path / "body.md"
    body.write_text("She was **released** today.", encoding="utf-8")

    first = run(app, campaign.slug, "--subject", "Roza is free", "--body-file", str(body))
    drain()
    second = run(app, campaign.slug, "--subject", "Roza is free", "--body-file", str(body))
    drain()

    assert first.exit_code == 0, first.output
    assert "sending to 2 supporters" in first.output
    assert second.exit_code == 0
    assert "nothing sent again" in second.output
    assert Counter(a for m in smtp_server.messages for a in m.rcpt_tos) == Counter(
        ["anna@example.org", "dmitry@example.org"]
    )
    assert smtp_server.to("dmitry@example.org")[0].message["Subject"] == "Roza is free"


def test_send_update_writes_the_update_in_the_given_language(app, campaign, add_signer, tmp_path, drain):
    body = tmp_path / "body.md"
    body.write_text("Освобождена.", encoding="utf-8")

    result = run(app, campaign.slug, "--subject", "Новости", "--body-file", str(body), "--lang", "ru")

    assert result.exit_code == 0, result.output
    update = db.session.scalar(select(Update))
    assert update.default_lang == "ru"
    assert update.translations["ru"].subject == "Новости"


def test_send_update_refuses_an_unknown_campaign_or_language(app, campaign, tmp_path):
    body = tmp_path / "body.md"
    body.write_text("Text", encoding="utf-8")

    unknown = run(app, "no-such-campaign", "--subject", "S", "--body-file", str(body))
    bad_lang = run(app, campaign.slug, "--subject", "S", "--body-file", str(body), "--lang", "xx")

    assert unknown.exit_code == bad_lang.exit_code == 2
    assert "no campaign" in unknown.output
    assert db.session.scalar(select(Update)) is None


def test_send_update_refuses_an_unknown_token_and_fills_in_names(
    app, campaign, add_signer, tmp_path, drain, smtp_server
):
    add_signer(campaign, "anna@example.org")
    body = tmp_path / "body.md"
    body.write_text("Dear {name}, {nmae}", encoding="utf-8")

    refused = run(app, campaign.slug, "--subject", "News", "--body-file", str(body))
    assert refused.exit_code == 2 and "correct or remove {nmae}" in refused.output
    assert db.session.scalar(select(Update)) is None

    body.write_text("Dear {name}, she is free. {}", encoding="utf-8")
    assert run(app, campaign.slug, "--subject", "News", "--body-file", str(body)).exit_code == 0
    drain()
    assert "Dear Anna, she is free. {}" in smtp_server.to("anna@example.org")[0].text()
