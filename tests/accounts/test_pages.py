"""Every account page renders in Russian, for the people it is meant for."""

from __future__ import annotations

from tests.conftest import csrf_token


def test_an_owners_pages_render_in_russian(client, create_user, login):
    owner = create_user(email="owner@example.org", org="ADC Memorial")
    login(owner, lang="ru")
    org = f"/ru/account/organisations/{owner.memberships[0].organisation_id}"

    for path, text in [
        ("/ru/account/", "Сменить пароль"),
        (f"{org}/members", "Пригласить участника"),
        (f"{org}/profile", "Сохранить профиль"),
        ("/ru/account/password", "Текущий пароль"),
        ("/ru/account/recovery-codes", "Создать новые коды"),
    ]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert text in page.get_data(as_text=True), path


def test_the_reset_form_explains_a_bad_address_in_russian(client):
    url = "/ru/account/password/reset"

    response = client.post(url, data={"csrf_token": csrf_token(client, url), "email": "not an address"})

    assert response.status_code == 422
    assert 'lang="ru"' in response.get_data(as_text=True)
    assert "Введите правильный адрес электронной почты" in response.get_data(as_text=True)
