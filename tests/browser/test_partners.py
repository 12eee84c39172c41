"""A partner's first login through the QR code of the second factor, and a letter from draft to delivery."""

from __future__ import annotations

from playwright.sync_api import Page

from campaign.letters.demo import demo_password
from tests.browser.conftest import LiveServer, decode_qr, screenshot, totp_code, watch


def first_login(page: Page, email: str) -> str:
    """Log in with the password, scan the QR code shown, answer with its code; the otpauth URI read."""
    page.goto("/en/account/login")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(demo_password())
    page.locator("main button[type=submit]").click()
    qr = page.locator("main img").first
    qr.scroll_into_view_if_needed()
    assert qr.evaluate("image => image.complete && image.naturalWidth > 0"), "the QR code is a broken image"
    uri = decode_qr(qr.screenshot())
    page.locator("input[name=code]").fill(totp_code(uri) if uri else "000000")
    page.locator("main button[type=submit]").click()
    return uri


def test_a_partner_sets_up_the_second_factor_by_scanning_the_qr_code(live: LiveServer, new_context):
    page = new_context().new_page()
    watched = watch(page, live)

    uri = first_login(page, "civic-assistance@example.org")
    screenshot(page, "en/flow-recovery-codes")

    assert uri.startswith("otpauth://totp/")
    assert page.locator("code").count() >= 5, "no recovery codes shown after the second factor was set up"
    assert watched.problems() == []


def test_a_coordinator_takes_a_letter_from_draft_to_delivery(live: LiveServer, new_context):
    page = new_context().new_page()
    watched = watch(page, live)
    recipient = "browser-recipient@example.net"
    assert first_login(page, "adc-memorial@example.org")

    page.goto("/en/letters/new")
    page.locator("input[name=slug]").fill("browser-letter")
    page.locator("input[name=title]").fill("Release the defenders")
    page.locator("textarea[name=body]").fill("We call on the **President** to release them.\n\nSigned below.")
    page.locator("main button[type=submit]").click()
    page.locator("summary", has_text="Add a new recipient").click()
    new_recipient = page.locator("form[action$='/recipients']")
    new_recipient.locator("input[name=name]").fill("A. President")
    new_recipient.locator("select[name=country]").select_option("KZ")
    new_recipient.locator("input[name=email]").fill(recipient)
    new_recipient.locator("select[name=lang]").select_option("en")
    new_recipient.locator("input[name=title_en]").fill("President")
    new_recipient.get_by_role("button", name="Add recipient").click()
    page.get_by_role("button", name="Open for sign-on").click()
    page.goto("/en/letters/browser-letter/sign")
    page.locator("input[name=representative]").fill("Olga Abramenko")
    page.locator("input[name=representative_title]").fill("Director")
    page.get_by_role("button", name="Sign on").click()
    page.goto("/en/letters/browser-letter/work")
    screenshot(page, "en/flow-letter-workspace")
    page.get_by_role("link", name="Deliver…").click()
    page.get_by_role("link", name="See exactly what each recipient receives").click()
    screenshot(page, "en/flow-letter-preview")
    page.go_back()
    page.get_by_role("button", name="Deliver now to these recipients").click()
    live.deliver_mail()
    page.reload()
    screenshot(page, "en/flow-letter-deliveries")

    [mail] = live.smtp.to(recipient)
    assert "Olga Abramenko" in mail.text()
    assert [part.get_content_type() for part in mail.message.iter_attachments()] == ["application/pdf"]
    assert page.locator("tr.delivery-sent").count() == 1
    assert live.app.test_client().get("/api/v1/letters/browser-letter").get_json()["status"] == "delivered"
    assert watched.problems() == []
