"""demo letters upgraded in place: recipients in Russian with their salutations and names,
organisations' cities in Russian and the coordinator's letterhead, the Russian signatory lines

Revision ID: 0013_letters_demo
Revises: 0012_campaign_partners
Create Date: 2026-12-01 22:05:00

Only rows of the demo (seed-demo's example.org addresses and slugs) are touched, and only where
the field is still empty; ``flask seed-demo`` adds what is new (the Central Asia statement).
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0013_letters_demo'
down_revision = '0012_campaign_partners'
branch_labels = None
depends_on = None

SALUTATIONS = {"en": "Your Excellency, Mr. President,", "ru": "Уважаемый господин Президент!"}
#: demo recipient address -> (language, names per language)
RECIPIENTS = {
    "president-ru@example.org": ("ru", {"ru": "Владимир Путин"}),
    "president-tj@example.org": ("ru", {"ru": "Эмомали Рахмон", "tg": "Эмомалӣ Раҳмон"}),
    "president-fr@example.org": ("en", {"ru": "Франсуа Олланд"}),
}
#: demo organisation slug -> its city in Russian
CITIES_RU = {
    "adc-memorial": "Санкт-Петербург",
    "civic-assistance-committee": "Москва",
    "bureau-human-rights-due-process": "Душанбе",
    "union-of-migrant-workers": "Москва",
    "gendermediakavkaz": "Тбилиси",
    "nota-bene": "Душанбе",
    "moscow-helsinki-group": "Москва",
}
LETTERHEAD = {
    "adc-memorial": ("appeals@adc.example.org",
                     {"en": "P.O. Box 79, Brussels 1040, Belgium", "ru": "А/я 79, Брюссель 1040, Бельгия"}),
}


def _json(value):
    if value is None:
        return {}
    return value if isinstance(value, (dict, list)) else json.loads(value)


def upgrade():
    connection = op.get_bind()
    for row in connection.execute(sa.text(
            "SELECT recipient.id, recipient.email, recipient.salutations, letter.status FROM recipient"
            " JOIN letter ON letter.id = recipient.letter_id")).all():
        if row.email not in RECIPIENTS or _json(row.salutations) or row.status == "delivered":
            continue
        lang, names = RECIPIENTS[row.email]
        connection.execute(
            sa.text("UPDATE recipient SET lang = :lang, names = :names, salutations = :salutations WHERE id = :id"),
            {"lang": lang, "names": json.dumps(names), "salutations": json.dumps(SALUTATIONS), "id": row.id})
    organisations = connection.execute(sa.text(
        "SELECT id, slug, city, cities, contact_email, postal_addresses FROM organisation")).all()
    for row in organisations:
        if row.slug in CITIES_RU and not _json(row.cities):
            connection.execute(sa.text("UPDATE organisation SET cities = :cities WHERE id = :id"),
                               {"cities": json.dumps({"ru": CITIES_RU[row.slug]}), "id": row.id})
        if row.slug in LETTERHEAD and not row.contact_email:
            email, addresses = LETTERHEAD[row.slug]
            connection.execute(
                sa.text("UPDATE organisation SET contact_email = :email, postal_addresses = :addresses WHERE id = :id"),
                {"email": email, "addresses": json.dumps(addresses), "id": row.id})
    # the demo's Russian signatory lines carried the English city (captured before cities had languages)
    by_id = {row.id: row for row in organisations}
    for row in connection.execute(sa.text("SELECT id, organisation_id, lines FROM sign_on")).all():
        organisation = by_id.get(row.organisation_id)
        lines = _json(row.lines)
        if organisation is None or organisation.slug not in CITIES_RU or "ru" not in lines:
            continue
        if lines["ru"].get("city") == organisation.city:
            lines["ru"]["city"] = CITIES_RU[organisation.slug]
            connection.execute(sa.text("UPDATE sign_on SET lines = :lines WHERE id = :id"),
                               {"lines": json.dumps(lines), "id": row.id})


def downgrade():
    """The demo's added values are harmless under the older code: nothing to undo."""
