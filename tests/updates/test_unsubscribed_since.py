"""Each update's "unsubscribed since": its recipients who stopped updates or all mail after it."""

from __future__ import annotations

import re

from campaign.extensions import db
from campaign.signatures.models import Signature
from campaign.updates import services
from campaign.updates.audience import Segment
from tests.updates.test_unsubscribe import unsubscribe_path


def test_only_the_updates_own_recipients_who_left_after_it_count(
    app, client, staff, campaign, add_signer, write_update, send, smtp_server
):
    for address in ("stops@example.org", "leaves-all@example.org", "stays@example.org"):
        add_signer(campaign, address)
    add_signer(campaign, "dina@example.org", lang="ru")
    add_signer(campaign, "gone@example.org", unsubscribed=True)  # before any update: no recipient
    first = write_update(campaign)
    services.set_audience(first, Segment(lang="en"))
    db.session.commit()
    send(first)
    http = app.test_client(use_cookies=False)
    http.post(unsubscribe_path(smtp_server, "stops@example.org"), data={"List-Unsubscribe": "One-Click"})
    http.post(unsubscribe_path(smtp_server, "leaves-all@example.org"), data={"action": "all"})
    http.post(unsubscribe_path(smtp_server, "stops@example.org"), data={"List-Unsubscribe": "One-Click"})
    smtp_server.messages.clear()

    second = write_update(campaign, {"en": ("Next", "More news.")})
    send(second)
    http.post(unsubscribe_path(smtp_server, "dina@example.org"), data={"List-Unsubscribe": "One-Click"})

    assert services.update_progress(first.id)["unsubscribed_since"] == 2
    assert services.update_progress(second.id)["unsubscribed_since"] == 1  # Dina; not the first's two
    assert services.update_progress(second.id)["sent"] == 2
    base = f"/en/dashboard/campaigns/{campaign.slug}/updates/"
    listing = client.get(base).get_data(as_text=True)
    assert "<th>Unsubscribed since</th>" in listing
    for update, count in ((first, "2"), (second, "1")):
        row = re.search(rf'updates/{update.id}">.*?</tr>', listing, re.S).group(0)
        assert re.findall(r"<td>([^<]*)</td>", row)[-1] == count
    page = client.get(f"{base}{first.id}").get_data(as_text=True)
    assert "<dt>Unsubscribed since</dt><dd>2 " in page
    assert client.get(f"{base}{first.id}/progress.json").get_json()["unsubscribed_since"] == 2


def test_stopping_twice_keeps_the_first_time(app, campaign, add_signer, write_update, send, smtp_server):
    signature = add_signer(campaign, "anna@example.org")
    send(write_update(campaign))
    path = unsubscribe_path(smtp_server, "anna@example.org")
    http = app.test_client(use_cookies=False)

    http.post(path, data={"List-Unsubscribe": "One-Click"})
    first_time = db.session.get(Signature, signature.id).updates_stopped_at
    db.session.rollback()
    http.post(path, data={"List-Unsubscribe": "One-Click"})

    assert first_time is not None
    assert db.session.get(Signature, signature.id).updates_stopped_at == first_time
