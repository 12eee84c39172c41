"""Password guessing is slowed per address and per account-and-address, with exponential waits
that every 429 states in Retry-After; nobody elsewhere can lock the owner out. Logged-in pages
are never stored by a cache."""

from __future__ import annotations

from campaign.extensions import queues
from tests.accounts.test_login import post_code, post_password
from tests.accounts.test_passwords import ask_reset, change_password
from tests.conftest import PASSWORD


def forget_waits() -> None:
    """As if every wait had passed (the failures stay counted)."""
    for key in queues.connection.scan_iter("campaign:login:*:until"):
        queues.connection.delete(key)


def test_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(client, create_user):
    create_user()
    for n in range(30):
        post_password(client, "staff@example.org", f"guess {n}", ip=f"203.0.113.{n % 3}")

    response = post_password(client, "staff@example.org", PASSWORD, ip="198.51.100.9")

    assert response.status_code == 302 and "/login/verify" in response.headers["Location"]


def test_guessing_from_one_address_waits_ever_longer_and_every_429_says_how_long(client, create_user):
    create_user()
    codes = [post_password(client, "staff@example.org", f"guess {n}").status_code for n in range(6)]
    first = post_password(client, "staff@example.org", "guess 6")
    forget_waits()
    post_password(client, "staff@example.org", "guess 7")
    second = post_password(client, "staff@example.org", "guess 8")

    assert codes == [401] * 6
    assert first.status_code == second.status_code == 429
    assert 0 < int(first.headers["Retry-After"]) < int(second.headers["Retry-After"])


def test_the_right_password_from_a_throttled_address_waits_too(client, create_user):
    create_user()
    for n in range(6):
        post_password(client, "staff@example.org", f"guess {n}")

    response = post_password(client, "staff@example.org", PASSWORD)

    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0


def test_the_second_factors_429_says_when_to_come_back(client, create_user):
    create_user()
    post_password(client, "staff@example.org", PASSWORD)
    codes = [post_code(client, "000000") for _ in range(11)]

    assert [response.status_code for response in codes[:10]] == [401] * 10
    assert codes[10].status_code == 429 and int(codes[10].headers["Retry-After"]) > 0


def test_the_password_changes_429_says_when_to_come_back(client, create_user, login):
    login(create_user())
    codes = [change_password(client, f"not my password {n}") for n in range(11)]

    assert [response.status_code for response in codes[:10]] == [422] * 10
    assert codes[10].status_code == 429 and int(codes[10].headers["Retry-After"]) > 0


def test_the_password_resets_429_says_when_to_come_back(client):
    codes = [ask_reset(client, f"n{n}@example.org") for n in range(6)]

    assert codes[5].status_code == 429 and int(codes[5].headers["Retry-After"]) > 0


def test_logged_in_pages_are_not_stored_by_any_cache(client, create_user, login):
    login(create_user())

    for url in ("/en/account/", "/en/dashboard/", "/en/campaigns/none"):
        assert client.get(url).headers["Cache-Control"] == "no-store", url


def test_an_anonymous_public_page_is_not_marked_no_store(client, campaign):
    response = client.get(f"/en/campaigns/{campaign.slug}")

    assert response.headers.get("Cache-Control") != "no-store"
