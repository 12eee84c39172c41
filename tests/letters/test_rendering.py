"""The delivered letter as a head of state's office receives it: one rendering in the recipient's
language, read back from a real SMTP server and, for the PDF, with pypdf."""

# ruff: noqa: RUF001 - Cyrillic names and text are the point of these tests

from __future__ import annotations

import io
import re
from email.header import decode_header, make_header

import pytest
from pypdf import PdfReader

from campaign.extensions import db
from campaign.letters import services
from campaign.letters.jobs import deliver_letter
from campaign.letters.models import Recipient

BODY_EN = """We, the undersigned organisations, call on the **President** to act *without delay*:

1. Release [Roza Tuletayeva](https://example.org/free_roza_t) and every journalist.
2. Drop the charges:
    - under article 174;
    - under article 274.
3. Repeal the law on "foreign representatives".

> Ensuring freedom of expression remains at the core of our relations.
"""
BODY_RU = """Мы, нижеподписавшиеся организации, призываем **Президента** действовать *без промедления*:

1. Освободить [Розу Тулетаеву](https://example.org/free_roza_t) и всех журналистов.
2. Снять обвинения:
    - по статье 174;
    - по статье 274.
3. Отменить закон об «иностранных представителях».
"""


def pdf_text(message) -> str:
    [attachment] = [
        part for part in message.iter_attachments() if part.get_content_type() == "application/pdf"
    ]
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    return "\n".join(page.extract_text() for page in reader.pages)


def decoded(value: str) -> str:
    return str(make_header(decode_header(value)))


@pytest.fixture
def letter(world):
    """Coordinator and partner sign the letter in English and Russian; one recipient reads Russian."""
    letter = world.letter
    coordinator, partner = world.organisations["coord"], world.organisations["partner"]
    coordinator.names = {"en": "ADC Memorial", "ru": "АДЦ «Мемориал»"}
    coordinator.cities = {"ru": "Алматы"}
    coordinator.contact_email = "office@adc.example.org"
    coordinator.postal_addresses = {"en": "12 Karetny Lane, Almaty", "ru": "Каретный пер., 12, Алматы"}
    partner.cities = {"ru": "Москва"}
    services.save_version(
        letter, "en", "Free the defenders", BODY_EN, world.users["coord_owner"], coordinator
    )
    services.save_version(
        letter, "ru", "Свободу правозащитникам", BODY_RU, world.users["coord_owner"], coordinator
    )
    services.open_for_sign_on(letter)
    services.sign_on(
        letter,
        coordinator,
        world.users["coord_owner"],
        services.SignOnInput("Olga Abramenko", "Director", {"ru": "Ольга Абраменко"}, {"ru": "Директор"}),
    )
    services.sign_on(
        letter,
        partner,
        world.users["partner_signer"],
        services.SignOnInput(
            "Svetlana Gannushkina", "Chair", {"ru": "Светлана Ганнушкина"}, {"ru": "Председатель"}
        ),
    )
    letter.recipients.append(
        Recipient(
            name="Vladimir Putin",
            names={"ru": "Владимир Путин"},
            titles={"en": "President of the Russian Federation", "ru": "Президент Российской Федерации"},
            salutations={"ru": "Уважаемый господин Президент!", "en": "Your Excellency,"},
            country="RU",
            email="president-ru@example.org",
            lang="ru",
        )
    )
    db.session.commit()
    return letter


@pytest.fixture
def delivered(letter, drain, smtp_server):
    deliver_letter(letter.id)
    drain()
    return {
        address: smtp_server.to(address)[0]
        for address in ("president-kz@example.org", "president-ru@example.org")
    }


def test_each_numbered_demand_is_on_its_own_line_of_the_pdf(delivered):
    lines = pdf_text(delivered["president-kz@example.org"].message).splitlines()
    assert any(line.startswith("1. Release Roza Tuletayeva") for line in lines)
    assert any(line.startswith("2. Drop the charges") for line in lines)
    assert any(line.startswith("3. Repeal the law") for line in lines)


def test_a_link_is_printed_with_its_full_address_and_its_underscores(delivered):
    pdf = pdf_text(delivered["president-kz@example.org"].message)
    assert "(https://example.org/free_roza_t)" in pdf


def test_the_russian_recipient_gets_every_signatory_line_in_russian(delivered):
    pdf = pdf_text(delivered["president-ru@example.org"].message)
    assert "АДЦ «Мемориал», Алматы (Ольга Абраменко, Директор)" in pdf
    assert "Партнёр Орг, Москва (Светлана Ганнушкина, Председатель)" in pdf
    assert "Free the defenders" not in pdf and "Chair" not in pdf and "Moscow" not in pdf


def test_the_russian_copy_is_wholly_in_russian_salutation_title_and_letterhead(delivered):
    pdf = pdf_text(delivered["president-ru@example.org"].message)
    for text in (
        "Владимир Путин",
        "Президент Российской Федерации",
        "Уважаемый господин Президент!",
        "Каретный пер., 12, Алматы",
        "1. Освободить Розу Тулетаеву (https://example.org/free_roza_t)",
        "Приложение: подписавшие",
    ):
        assert text in pdf


def test_the_reference_and_page_number_are_on_every_page(letter, delivered):
    attachment = next(delivered["president-kz@example.org"].message.iter_attachments())
    pages = PdfReader(io.BytesIO(attachment.get_content())).pages
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert (
            letter.reference in page.extract_text()
            and f"page {number} of {len(pages)}" in page.extract_text()
        )


def test_the_plain_text_part_is_readable_text_without_markup(delivered):
    text = delivered["president-ru@example.org"].text()
    assert "**" not in text and "](" not in text and "<" not in text
    assert "1. Освободить Розу Тулетаеву (https://example.org/free_roza_t) и всех журналистов." in text
    assert "   - по статье 174;" in text
    assert "1. АДЦ «Мемориал», Алматы (Ольга Абраменко, Директор)" in text


def test_the_html_part_is_the_same_rendering(delivered):
    html = delivered["president-ru@example.org"].message.get_body(preferencelist=("html",)).get_content()
    assert '<a href="https://example.org/free_roza_t"' in html and "<strong>Президента</strong>" in html


def test_the_mail_comes_from_the_coordinator_on_behalf_of_the_coalition_with_its_reply_to(delivered):
    message = delivered["president-ru@example.org"].message
    [sender] = message["From"].addresses
    assert " ".join(sender.display_name.split()) == "АДЦ «Мемориал», от имени 2 организаций"
    assert sender.addr_spec == "no-reply@campaign.example.org"
    assert message["Reply-To"] == "office@adc.example.org"
    [english] = delivered["president-kz@example.org"].message["From"].addresses
    assert english.display_name == "ADC Memorial, on behalf of 2 organisations"


def test_a_recipient_without_a_frozen_version_in_their_language_gets_the_default_and_the_log_says_so(
    letter, as_user, drain, smtp_server
):
    letter.recipients.append(
        Recipient(
            name="Sadyr Japarov", titles={"ky": "Президент"}, country="KG", email="kg@example.org", lang="ky"
        )
    )
    db.session.commit()
    deliver_letter(letter.id)
    drain()

    [mail] = smtp_server.to("kg@example.org")
    assert decoded(mail.message["Subject"]) == "Free the defenders"
    log = as_user("coord_owner").get(f"/en/letters/{letter.slug}/deliveries").get_data(as_text=True)
    assert "no version in ky was frozen, so the letter went in en" in log


def test_a_profile_edit_after_signing_changes_nothing_delivered(letter, world, drain, smtp_server):
    partner = world.organisations["partner"]
    partner.names = {"en": "Renamed Org", "ru": "Переименованная"}
    partner.city, partner.cities = "Vilnius", {"ru": "Вильнюс"}
    db.session.commit()

    deliver_letter(letter.id)
    drain()

    pdf = pdf_text(smtp_server.to("president-ru@example.org")[0].message)
    assert "Партнёр Орг, Москва (Светлана Ганнушкина, Председатель)" in pdf
    assert "Вильнюс" not in pdf and "Renamed" not in pdf


TITLES = {
    "ru": "Обращение правозащитников к администрациям Российской Федерации и Республики Таджикистан",
    "kk": "Қазақстан Республикасының Президенті Қасым-Жомарт Тоқаевқа ашық хат: әділ сот және сөз бостандығы",
    "ky": "Кыргыз Республикасынын Президентине ачык кат: журналисттерди бошотуу жана сөз эркиндиги",
    "hy": "Բաց նամակ Հայաստանի Հանրապետության Նախագահին՝ լրագրողների ազատ արձակման մասին",
    "ka": "ღია წერილი საქართველოს პრეზიდენტს ჟურნალისტების გათავისუფლების შესახებ",
    "en": "Appeal by Human Rights Defenders to the Administrations of the Russian Federation and Tajikistan",
}


@pytest.mark.parametrize("lang", sorted(TITLES))
def test_every_subject_decodes_to_the_title_however_long_and_in_any_script(lang, world, drain, smtp_server):
    letter = world.letter
    title = (TITLES[lang] + " — " + TITLES[lang])[:200].strip()
    services.save_version(
        letter, "en", title, BODY_EN, world.users["coord_owner"], world.organisations["coord"]
    )
    services.drop_language(letter, "ru")
    services.open_for_sign_on(letter)
    db.session.commit()

    deliver_letter(letter.id)
    drain()

    [mail] = smtp_server.to("president-kz@example.org")
    assert decoded(mail.message["Subject"]) == title
    raw_lines = mail.raw.decode("ascii").split("\r\n") if hasattr(mail, "raw") else []
    assert all(len(line) <= 998 for line in raw_lines)
    assert re.sub(r"\s+", " ", decoded(mail.message["Subject"])) == re.sub(r"\s+", " ", title)


def test_the_annex_and_addresses_are_set_ragged_not_stretched_across_the_line(delivered):
    """fpdf2 justifies a multi-line cell by default: the hash line of the annex came out as three
    words spread over the page's width, and a long signatory line would too."""
    attachment = next(delivered["president-ru@example.org"].message.iter_attachments())
    annex = PdfReader(io.BytesIO(attachment.get_content())).pages[-1].extract_text(extraction_mode="layout")
    assert re.search(r"Подписанный текст: sha256\s*\n\s*[0-9a-f]{64}", annex)


def test_nested_items_the_quote_bold_and_italic_are_set_as_written(delivered):
    attachment = next(delivered["president-kz@example.org"].message.iter_attachments())
    reader = PdfReader(io.BytesIO(attachment.get_content()))
    lines = [line.strip() for line in reader.pages[0].extract_text().splitlines()]
    fonts = {str(font["/BaseFont"]) for font in reader.pages[0]["/Resources"]["/Font"].values()}

    assert "• under article 174;" in lines and "• under article 274." in lines
    assert "Ensuring freedom of expression remains at the core of our relations." in lines
    assert any(name.endswith("DejaVuSansBold") for name in fonts)
    assert any(name.endswith("DejaVuSansOblique") for name in fonts)


ARMENIAN_GEORGIAN = {
    "hy": ("Ազատություն իրավապաշտպաններին", "1. Ազատ արձակել լրագրողներին։", "Հարգելի պարոն Նախագահ,"),
    "ka": ("თავისუფლება უფლებადამცველებს", "1. გაათავისუფლოს ჟურნალისტები.", "ბატონო პრეზიდენტო,"),
}


@pytest.mark.parametrize("lang", sorted(ARMENIAN_GEORGIAN))
def test_an_armenian_or_georgian_copy_reads_back_in_its_script(lang, letter, world, drain, smtp_server):
    title, demand, salutation = ARMENIAN_GEORGIAN[lang]
    services.save_version(
        letter, lang, title, demand + "\n", world.users["coord_owner"], world.organisations["coord"]
    )
    services.open_for_sign_on(letter)
    letter.recipients.append(
        Recipient(
            name="President",
            salutations={lang: salutation},
            country="AM",
            email="head@example.org",
            lang=lang,
        )
    )
    db.session.commit()
    deliver_letter(letter.id)
    drain()

    [mail] = smtp_server.to("head@example.org")
    pdf = pdf_text(mail.message)
    assert decoded(mail.message["Subject"]) == title
    assert title in pdf and salutation in pdf and demand in pdf
