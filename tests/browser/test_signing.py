"""Signing as a visitor without JavaScript does it: the form, the email, the link, the confirmation."""

from __future__ import annotations

import re

from tests.browser.conftest import screenshot, watch


def test_a_visitor_without_javascript_signs_and_confirms_through_the_emailed_link(live, new_context):
    api = live.app.test_client()
    campaign = api.get("/api/v1/campaigns").get_json()["campaigns"][0]
    before = api.get(f"/api/v1/campaigns/{campaign['slug']}").get_json()["signature_count"]
    page = new_context(javascript=False).new_page()
    watched = watch(page, live)
    email = "browser-signer@example.org"

    page.goto(f"/en/campaigns/{campaign['slug']}")
    form = page.locator("form", has=page.locator("input[name=email]"))
    form.locator("input[name=name]").fill("Browser Signer")
    form.locator("input[name=email]").fill(email)
    form.locator("select[name=country]").select_option("KZ")
    for required in form.locator("input[type=checkbox][required]").all():
        required.check()
    form.locator("button[type=submit], input[type=submit]").first.click()
    screenshot(page, "en/flow-signing-check-email")
    live.deliver_mail()
    [mail] = live.smtp.to(email)
    link = re.search(r"https?://\S*/verify/\S+", mail.text())
    assert link, mail.text()
    page.goto(link.group(0))
    confirm = page.locator("main form[method=post] button[type=submit]")
    if confirm.count():  # the link shows a page whose button confirms (a GET changes nothing)
        confirm.first.click()
    screenshot(page, "en/flow-signing-confirmed")

    assert page.locator("h1").first.inner_text() == "Thank you"
    assert api.get(f"/api/v1/campaigns/{campaign['slug']}").get_json()["signature_count"] == before + 1
    assert watched.problems() == []
