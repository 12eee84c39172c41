"""translations: the version of the source text each translation was made from

Revision ID: 0009_source_versions
Revises: 0008_letters_languages
Create Date: 2026-12-01 21:45:00

Existing translations are taken to follow their source as it is now (nothing better is known):
each non-source row of campaigns, defenders and updates gets a copy of its source's current
text and its hash.
"""
import hashlib
import json

from alembic import op
import sqlalchemy as sa


revision = '0009_source_versions'
down_revision = '0008_letters_languages'
branch_labels = None
depends_on = None

#: translation table, parent table, foreign key column, tracked fields
TABLES = (
    ('campaign_translation', 'campaign', 'campaign_id', ('title', 'summary', 'body', 'demand', 'target')),
    ('defender_translation', 'defender', 'defender_id', ('name', 'occupation', 'charges', 'sentence', 'bio')),
    ('campaign_update_translation', 'campaign_update', 'update_id', ('subject', 'body')),
)


def _digest(text):
    return hashlib.sha256(json.dumps(text, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def upgrade():
    for table, _, _, _ in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('source_text', sa.JSON(), nullable=True))
            batch_op.add_column(sa.Column('source_hash', sa.String(length=64), nullable=True))
    connection = op.get_bind()
    for table, parent, key, fields in TABLES:
        rows = connection.execute(sa.text(
            f"SELECT t.id, t.{key} AS parent_id, t.lang, p.default_lang, {', '.join('t.' + f for f in fields)} "
            f"FROM {table} t JOIN {parent} p ON p.id = t.{key}"
        )).mappings().all()
        sources = {
            row['parent_id']: {field: row[field] or '' for field in fields}
            for row in rows if row['lang'] == row['default_lang']
        }
        target = sa.table(table, sa.column('id'), sa.column('source_text', sa.JSON()), sa.column('source_hash'))
        for row in rows:
            source = sources.get(row['parent_id'])
            if row['lang'] == row['default_lang'] or source is None:
                continue
            connection.execute(
                target.update().where(target.c.id == row['id']).values(
                    source_text=source, source_hash=_digest(source)
                )
            )


def downgrade():
    for table, _, _, _ in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('source_hash')
            batch_op.drop_column('source_text')
