"""After delivery: a coordinator records an answer, publishes it, and the public page shows it."""

from __future__ import annotations

from sqlalchemy import select

from campaign.extensions import db
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Letter
from tests.browser.conftest import LiveServer, screenshot, serious_accessibility_violations, watch
from tests.browser.test_partners import first_login

SLUG = "central-asia-summit-human-rights"


def test_a_coordinator_records_and_publishes_an_answer_at_desktop_and_phone_width(
    live: LiveServer, new_context
):
    with live.app.app_context():
        deliver_letter(db.session.scalar(select(Letter.id).where(Letter.slug == SLUG)))
    live.deliver_mail()
    page = new_context().new_page()
    watched = watch(page, live)
    assert first_login(page, "civil-rights-defenders@example.org")

    page.goto(f"/en/letters/{SLUG}/deliveries")
    page.locator("td a", has_text="Awaiting an answer").first.click()
    form = page.locator("form[action$='/outcome']")
    form.locator("select[name=outcome]").select_option("replied")
    form.locator("input[name=occurred_on]").fill("2026-11-30")
    form.locator("textarea[name=response]").fill("Your appeal has been forwarded to the Prosecutor General.")
    form.locator("textarea[name=note]").fill("Answer came by post")
    form.get_by_role("button", name="Record").click()
    assert page.get_by_text("The outcome is recorded.").is_visible()
    page.locator("input[name=response]").check()
    page.get_by_role("button", name="Save what the public sees").click()
    screenshot(page, "en/flow-letter-follow-up")
    assert serious_accessibility_violations(page) == []

    page.goto("/en/letters/awaiting")
    screenshot(page, "en/flow-letter-awaiting")
    assert page.locator("ul.awaiting li").count() >= 1

    public = new_context(javascript=False).new_page()
    public.goto(f"/en/letters/{SLUG}")
    screenshot(public, "en/letter-public-outcomes")
    assert public.get_by_text("Your appeal has been forwarded to the Prosecutor General.").is_visible()
    assert public.get_by_text("Answer came by post").count() == 0
    assert watched.problems() == []
