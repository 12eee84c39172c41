"""Who is behind it: the privacy page from the settings, linked beside the form and in every email."""

from __future__ import annotations

from campaign.signatures.emails import _rendered as rendered
from tests.signatures.test_signing import confirmation_link
from tests.workers import ROOT


def test_the_privacy_page_says_who_runs_the_site_and_how_long_we_keep_data(app, client):
    app.config.update(
        OPERATOR_NAME="Human Rights House Test",
        OPERATOR_CONTACT="privacy@hrh.example.org",
        OPERATOR_ADDRESS="1 Example Street, Oslo",
        SIGNATURE_RETENTION_DAYS=90,
    )

    html = client.get("/en/privacy").get_data(as_text=True)

    assert "Human Rights House Test" in html and "privacy@hrh.example.org" in html
    assert "1 Example Street, Oslo" in html
    assert "90 days later" in html
    assert "never store your IP address" in html


def test_the_privacy_page_is_in_the_pages_language(client):
    assert 'lang="ru"' in client.get("/ru/privacy").get_data(as_text=True)


def test_the_signing_form_links_the_privacy_page(client, campaign):
    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
    form = html.split('<section class="sign"', 1)[1].split("</section>", 1)[0]

    assert 'href="/en/privacy"' in form


def test_the_embedded_form_and_the_follow_form_link_the_privacy_page(client, campaign):
    embed = client.get(f"/ru/embed/campaigns/{campaign.slug}").get_data(as_text=True)
    defender = client.get(f"/ru/defenders/{campaign.defender.slug}").get_data(as_text=True)
    follow = defender.split('<section class="follow"', 1)[1].split("</section>", 1)[0]

    assert 'href="/ru/privacy" target="_blank"' in embed.split("<form", 1)[1].split("</form>", 1)[0]
    assert 'href="/ru/privacy"' in follow


def test_every_signers_email_names_the_operator_and_links_the_privacy_page(
    app, client, campaign, sign, drain, smtp_server
):
    app.config["OPERATOR_NAME"] = "Human Rights House Test"
    rendered.cache_clear()  # a process renders each confirmation once, with the settings it started with
    sign(campaign.slug, lang="ru")
    drain()
    [mail] = smtp_server.messages

    assert "Human Rights House Test" in mail.text()
    assert "https://campaign.example.org/ru/privacy" in mail.text()
    assert (
        "https://campaign.example.org/ru/privacy"
        in mail.message.get_body(preferencelist=("html",)).get_content()
    )
    assert confirmation_link(mail)


def test_every_email_template_ends_with_the_footer_that_links_the_privacy_page():
    """The HTML mails have it from their shared frame (the letter itself includes it), the text
    parts each at their end."""
    templates = [path for path in (ROOT / "templates" / "email").iterdir() if not path.name.startswith("_")]

    assert len(templates) > 20
    for path in templates:
        text = path.read_text()
        if path.suffix == ".html" and path.name != "letter_delivery.html":
            assert text.startswith('{% extends "email/_layout.html" %}'), path.name
        else:
            assert f'{{% include "email/_footer{path.suffix}" %}}' in text, path.name
    assert '{% include "email/_footer.html" %}' in (ROOT / "templates" / "email" / "_layout.html").read_text()


def test_the_confirmation_mail_names_the_operator_and_the_campaign_in_its_frame(
    app, campaign, sign, drain, smtp_server
):
    app.config["OPERATOR_NAME"] = "Human Rights <Watch> Test"
    rendered.cache_clear()  # the confirmation's rendering is kept per process, settings and all
    sign(campaign.slug, lang="ru")
    drain()

    (mail,) = smtp_server.messages
    html = mail.message.get_body(preferencelist=("html",)).get_content()
    header, rest = html.split("<body", 1)[1].split("</p>", 1)
    assert "<strong>Human Rights &lt;Watch&gt; Test</strong>" in header  # escaped, first
    campaign_name = header.rsplit('<span style="color:#5b5b66;">', 1)[1].split("</span>")[0]
    assert campaign_name and (f"«{campaign_name}»" in rest or f"“{campaign_name}”" in rest)
    assert rest.index("/privacy") > rest.index("/verify/")  # the footer closes the frame
    assert "<img" not in html and "<link" not in html and "<style" not in html


def test_a_campaign_page_names_its_partners_with_logos_we_serve(app, client, campaign):
    import io

    from PIL import Image

    from campaign.accounts import logos
    from campaign.accounts.services import find_or_create_organisation
    from campaign.extensions import db

    memorial = find_or_create_organisation("Memorial Test")
    image = io.BytesIO()
    Image.new("RGB", (40, 20), "#345e7d").save(image, "PNG")
    db.session.flush()
    memorial.logo = logos.store(memorial.id, logos.reencode(image.getvalue()))
    campaign.partners = [memorial, find_or_create_organisation("Without Logo")]
    db.session.commit()

    html = client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)

    section = html.split('<section class="partners"', 1)[1].split("</section>", 1)[0]
    assert "Supported by" in section and "Memorial Test" in section and "Without Logo" in section
    logo = section.split('src="', 1)[1].split('"', 1)[0]
    assert logo.startswith("/media/logos/")  # served by us, from a path on this host
    served = client.get(logo)
    assert served.mimetype == "image/png"
    served.close()


def test_a_campaign_without_partners_shows_no_supported_by(client, campaign):
    assert "Supported by" not in client.get(f"/en/campaigns/{campaign.slug}").get_data(as_text=True)
