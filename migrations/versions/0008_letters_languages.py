"""letters in the recipient's language: salutations, an address book, translations that record
their source version, captured signatory lines, embargo and scheduled delivery, sign-on requests,
organisations' cities per language, letterhead fields and archiving, users' interface language

Revision ID: 0008_letters_languages
Revises: 0007_outbox_indexes
Create Date: 2026-12-01 21:20:00

Existing rows are upgraded in place: each translation is linked to the source version that was
current when it was saved, each sign-on gets its signatory line captured from its organisation as
it stands now, each delivery takes its language from its outbox row.
"""
import json

from alembic import op
import sqlalchemy as sa


revision = '0008_letters_languages'
down_revision = '0007_outbox_indexes'
branch_labels = None
depends_on = None

EMPTY_OBJECT = sa.text("'{}'")
EMPTY_LIST = sa.text("'[]'")


def _json(value):
    if value is None:
        return {}
    return value if isinstance(value, (dict, list)) else json.loads(value)


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=8), nullable=True))

    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cities', sa.JSON(), nullable=False, server_default=EMPTY_OBJECT))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=254), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('postal_addresses', sa.JSON(), nullable=False,
                                      server_default=EMPTY_OBJECT))
        batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dropped_langs', sa.JSON(), nullable=False, server_default=EMPTY_LIST))
        batch_op.add_column(sa.Column('is_embargoed', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('deliver_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('letter_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_version_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_letter_version_source_version_id_letter_version'),
                                    'letter_version', ['source_version_id'], ['id'], ondelete='SET NULL')

    op.create_table('recipient_contact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('names', sa.JSON(), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('salutations', sa.JSON(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_recipient_contact'))
    )

    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=False, server_default=EMPTY_OBJECT))
        batch_op.add_column(sa.Column('salutations', sa.JSON(), nullable=False, server_default=EMPTY_OBJECT))
        batch_op.add_column(sa.Column('contact_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_recipient_contact_id'), ['contact_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_recipient_contact_id_recipient_contact'),
                                    'recipient_contact', ['contact_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('sign_on', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lines', sa.JSON(), nullable=False, server_default=EMPTY_OBJECT))

    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lang', sa.String(length=8), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('is_fallback', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))

    op.create_table('sign_on_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('letter_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('city', sa.String(length=120), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('representative', sa.String(length=200), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('hashes', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'],
                            name=op.f('fk_sign_on_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['letter_id'], ['letter.id'],
                            name=op.f('fk_sign_on_request_letter_id_letter'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_sign_on_request_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_on_request')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_on_request_token_hash'))
    )
    with op.batch_alter_table('sign_on_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_on_request_letter_id'), ['letter_id'], unique=False)

    _upgrade_rows()


def _upgrade_rows():
    connection = op.get_bind()
    letters = {row.id: row for row in connection.execute(sa.text(
        "SELECT id, default_lang, frozen FROM letter"))}
    # each translation translates the source version current when it was saved
    versions = connection.execute(sa.text(
        "SELECT id, letter_id, lang FROM letter_version ORDER BY id")).all()
    latest_source = {}
    for version in versions:
        letter = letters[version.letter_id]
        if version.lang == letter.default_lang:
            latest_source[version.letter_id] = version.id
        elif version.letter_id in latest_source:
            connection.execute(sa.text("UPDATE letter_version SET source_version_id = :source WHERE id = :id"),
                               {"source": latest_source[version.letter_id], "id": version.id})
    # a sign-on's line, captured from its organisation as it stands, in each frozen language
    organisations = {row.id: row for row in connection.execute(sa.text(
        "SELECT id, slug, names, city, default_lang FROM organisation"))}
    for sign_on in connection.execute(sa.text(
            "SELECT id, letter_id, organisation_id, representative, representative_title FROM sign_on")).all():
        organisation = organisations[sign_on.organisation_id]
        names = _json(organisation.names)
        langs = set(_json(letters[sign_on.letter_id].frozen)) | {letters[sign_on.letter_id].default_lang}
        lines = {
            lang: {
                "organisation": names.get(lang) or names.get(organisation.default_lang) or organisation.slug,
                "city": organisation.city or "",
                "representative": sign_on.representative,
                "title": sign_on.representative_title or "",
            }
            for lang in sorted(langs)
        }
        connection.execute(sa.text("UPDATE sign_on SET lines = :lines WHERE id = :id"),
                           {"lines": json.dumps(lines), "id": sign_on.id})
    connection.execute(sa.text(
        "UPDATE delivery SET lang = (SELECT outbox_message.lang FROM outbox_message"
        " WHERE outbox_message.id = delivery.outbox_id)"))


def downgrade():
    with op.batch_alter_table('sign_on_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_on_request_letter_id'))
    op.drop_table('sign_on_request')
    with op.batch_alter_table('delivery', schema=None) as batch_op:
        batch_op.drop_column('is_fallback')
        batch_op.drop_column('lang')
    with op.batch_alter_table('sign_on', schema=None) as batch_op:
        batch_op.drop_column('lines')
    with op.batch_alter_table('recipient', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_recipient_contact_id_recipient_contact'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_recipient_contact_id'))
        batch_op.drop_column('contact_id')
        batch_op.drop_column('salutations')
        batch_op.drop_column('names')
    op.drop_table('recipient_contact')
    with op.batch_alter_table('letter_version', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_letter_version_source_version_id_letter_version'),
                                 type_='foreignkey')
        batch_op.drop_column('source_version_id')
    with op.batch_alter_table('letter', schema=None) as batch_op:
        batch_op.drop_column('deliver_at')
        batch_op.drop_column('is_embargoed')
        batch_op.drop_column('dropped_langs')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('archived_at')
        batch_op.drop_column('postal_addresses')
        batch_op.drop_column('contact_email')
        batch_op.drop_column('cities')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('lang')
