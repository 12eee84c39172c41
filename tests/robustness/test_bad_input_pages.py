"""Bad input gets a 4xx page in the visitor's language, not a 500 and not a bare English error:
the cases a fuzzer once found 500s for (a NUL in a slug or in ?ref=, a file where the signing form
expects a name, an id past INTEGER), an oversized body and a body that is not a form."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from campaign.extensions import db
from campaign.signatures.models import Signature
from tests.conftest import form_token

#: the Russian of campaign.errors.MESSAGES
UNREADABLE = "Запрос не удалось обработать. Вернитесь назад и попробуйте ещё раз."
TOO_LARGE = "Отправленные данные слишком велики."
NOT_A_FORM = "Эта страница принимает только то, что отправляет её собственная форма."
NOT_FOUND = "Страница не найдена."


def page_text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/ru/campaigns/%00", 400, UNREADABLE),
        ("/ru/campaigns/a%00b", 400, UNREADABLE),
        ("/ru/campaigns/{slug}?ref=%00", 400, UNREADABLE),
        ("/ru/campaigns/{slug}?ref=%01", 400, UNREADABLE),
        ("/ru/no-such-page", 404, NOT_FOUND),  # no route: the language is the path's
    ],
)
def test_a_bad_path_or_query_is_a_4xx_page_in_the_visitors_language(client, campaign, url, status, message):
    response = client.get(url.format(slug=campaign.slug))

    assert response.status_code == status
    assert '<html lang="ru"' in page_text(response)
    assert message in page_text(response)


@pytest.mark.parametrize("export_id", [2**31, 2**63])
def test_an_id_past_the_databases_integer_is_a_404_page_in_the_visitors_language(
    client, create_user, login, export_id
):
    login(create_user(role="admin"))

    response = client.get(f"/ru/dashboard/exports/{export_id}")

    assert response.status_code == 404
    assert NOT_FOUND in page_text(response)


def signing_form(client, campaign) -> tuple[str, dict[str, str]]:
    url = f"/ru/campaigns/{campaign.slug}"
    fields = {"name": "Айгерим", "email": "aigerim@example.org", "country": "KZ"}
    return url, fields | {"form_token": form_token(client, url)}


def signatures() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Signature))


def test_a_file_where_the_signing_form_expects_a_name_is_a_400_page_in_russian(client, campaign):
    url, data = signing_form(client, campaign)

    response = client.post(
        url,
        data={**data, "name": (io.BytesIO(b"%PDF-1.7\x00\xff"), "name.pdf")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 400
    assert UNREADABLE in page_text(response)
    assert signatures() == 0


def test_a_body_past_the_size_limit_is_a_413_page_in_russian(app, client, campaign):
    url, data = signing_form(client, campaign)

    response = client.post(url, data={**data, "name": "я" * app.config["MAX_CONTENT_LENGTH"]})

    assert response.status_code == 413
    assert TOO_LARGE in page_text(response)
    assert signatures() == 0


def test_a_body_that_is_not_a_form_is_a_415_page_in_russian(client, campaign):
    url, data = signing_form(client, campaign)

    response = client.post(url, json=data)

    assert response.status_code == 415
    assert '<html lang="ru"' in page_text(response)
    assert NOT_A_FORM in page_text(response)
    assert signatures() == 0
