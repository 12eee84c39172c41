"""defenders: case records (status history, detention, charges, hearings, sentence) with sources
and verification dates, partial dates, a transliterated search key, a place in the public register; updates published on public pages; followers of a case

Revision ID: 0015_defender_records
Revises: 0014_recent_signers_index
Create Date: 2026-12-01 21:30:00

Existing rows are carried over: each defender's present status becomes the first entry of its
status history (date unknown), the free-text charges and sentence of each language become one
charge and one sentence fact, and the search key is computed from every name. The demo's
invented day dates (events known only by month or year) get their true precision.
"""
from alembic import op
import sqlalchemy as sa
from anyascii import anyascii
import hashlib
import json
import re
from datetime import date


revision = '0015_defender_records'
down_revision = '0014_recent_signers_index'
branch_labels = None
depends_on = None

#: (defender slug, stored date, true date, precision): the demo's timeline as first seeded
DEMO_DATES = (
    ('roza-tuletayeva', '2011-12-01', '2011-12-16', 'day'),
    ('roza-tuletayeva', '2014-01-01', '2014-01-01', 'year'),
    ('vladimir-kozlov', '2014-01-01', '2014-01-01', 'year'),
    ('vadim-kuramshin', '2014-01-01', '2014-01-01', 'year'),
    ('tatiana-kotlyar', '2011-01-01', '2011-01-01', 'year'),
)

defender = sa.table('defender', sa.column('id', sa.Integer), sa.column('slug', sa.String),
                    sa.column('status', sa.String), sa.column('search_names', sa.Text))
translation = sa.table('defender_translation', sa.column('defender_id', sa.Integer),
                       sa.column('lang', sa.String), sa.column('name', sa.String),
                       sa.column('charges', sa.Text), sa.column('sentence', sa.Text))
timeline = sa.table('timeline_event', sa.column('defender_id', sa.Integer),
                    sa.column('happened_on', sa.Date), sa.column('precision', sa.String))
case_fact = sa.table('case_fact', sa.column('defender_id', sa.Integer), sa.column('kind', sa.String),
                     sa.column('status', sa.String), sa.column('texts', sa.JSON),
                     sa.column('outcomes', sa.JSON), sa.column('precision', sa.String))


def _key(name):
    return re.sub(r'[^a-z0-9]+', ' ', anyascii(name).lower()).strip()


def upgrade():
    op.create_table('case_fact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('defender_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=True),
    sa.Column('happened_on', sa.Date(), nullable=True),
    sa.Column('precision', sa.String(length=5), server_default='day', nullable=False),
    sa.Column('article', sa.String(length=200), server_default='', nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('outcomes', sa.JSON(), nullable=False),
    sa.Column('source_url', sa.String(length=500), server_default='', nullable=False),
    sa.Column('source_title', sa.String(length=300), server_default='', nullable=False),
    sa.Column('verified_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['defender_id'], ['defender.id'], name=op.f('fk_case_fact_defender_id_defender'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_fact'))
    )
    with op.batch_alter_table('case_fact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_fact_defender_id'), ['defender_id'], unique=False)
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('precision', sa.String(length=5), server_default='day', nullable=False))
    with op.batch_alter_table('defender', schema=None) as batch_op:
        batch_op.add_column(sa.Column('search_names', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('is_public', sa.Boolean(), server_default=sa.false(), nullable=False))
    # a defender some public campaign already shows goes into the register; the others wait for staff
    op.execute("UPDATE defender SET is_public = true WHERE id IN "
               "(SELECT defender_id FROM campaign WHERE status <> 'draft' AND defender_id IS NOT NULL)")

    bind = op.get_bind()
    rows = bind.execute(sa.select(translation.c.defender_id, translation.c.lang, translation.c.name,
                                  translation.c.charges, translation.c.sentence)).all()
    for defender_id, slug, status in bind.execute(sa.select(defender.c.id, defender.c.slug, defender.c.status)).all():
        own = [row for row in rows if row.defender_id == defender_id]
        facts = [dict(kind='status', status=status, texts={})]
        for kind in ('charge', 'sentence'):
            texts = {row.lang: getattr(row, 'charges' if kind == 'charge' else 'sentence') for row in own}
            texts = {lang: text for lang, text in texts.items() if text}
            if texts:
                facts.append(dict(kind=kind, status=None, texts=texts))
        for fact in facts:
            bind.execute(case_fact.insert().values(defender_id=defender_id, outcomes={}, precision='day', **fact))
        keys = list(dict.fromkeys(k for k in (_key(row.name) for row in own) if k))
        bind.execute(defender.update().where(defender.c.id == defender_id).values(search_names='\n'.join(keys)))
        for demo_slug, stored, true, precision in DEMO_DATES:
            if demo_slug == slug:
                bind.execute(timeline.update()
                             .where(timeline.c.defender_id == defender_id,
                                    timeline.c.happened_on == date.fromisoformat(stored))
                             .values(happened_on=date.fromisoformat(true), precision=precision))

    # the source versions (0009) hashed charges and sentence with the other fields: hash again
    # without them, so that translations up to date before stay up to date
    tracked = sa.table('defender_translation', sa.column('id', sa.Integer),
                       sa.column('source_text', sa.JSON), sa.column('source_hash', sa.String))
    for row_id, source_text in bind.execute(sa.select(tracked.c.id, tracked.c.source_text)
                                            .where(tracked.c.source_text.is_not(None))).all():
        text = {field: value for field, value in source_text.items() if field not in ('charges', 'sentence')}
        digest = hashlib.sha256(json.dumps(text, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
        bind.execute(tracked.update().where(tracked.c.id == row_id).values(source_text=text, source_hash=digest))
    with op.batch_alter_table('defender_translation', schema=None) as batch_op:
        batch_op.drop_column('sentence')
        batch_op.drop_column('charges')
    with op.batch_alter_table('campaign_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
    op.create_table('follower',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('defender_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['defender_id'], ['defender.id'], name=op.f('fk_follower_defender_id_defender'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follower')),
    sa.UniqueConstraint('defender_id', 'email_hash', name=op.f('uq_follower_defender_id_email_hash'))
    )
    with op.batch_alter_table('follower', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follower_defender_id'), ['defender_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follower_token_hash'), ['token_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('follower', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follower_token_hash'))
        batch_op.drop_index(batch_op.f('ix_follower_defender_id'))
    op.drop_table('follower')
    with op.batch_alter_table('campaign_update', schema=None) as batch_op:
        batch_op.drop_column('published_at')
    with op.batch_alter_table('defender_translation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('charges', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('sentence', sa.Text(), server_default='', nullable=False))
    bind = op.get_bind()
    for defender_id, kind, texts in bind.execute(sa.select(case_fact.c.defender_id, case_fact.c.kind, case_fact.c.texts)
                                                 .where(case_fact.c.kind.in_(('charge', 'sentence')))).all():
        column = 'charges' if kind == 'charge' else 'sentence'
        for lang, text in (texts or {}).items():
            bind.execute(translation.update().where(translation.c.defender_id == defender_id,
                                                    translation.c.lang == lang).values(**{column: text}))
    with op.batch_alter_table('defender', schema=None) as batch_op:
        batch_op.drop_column('is_public')
        batch_op.drop_column('search_names')
    with op.batch_alter_table('timeline_event', schema=None) as batch_op:
        batch_op.drop_column('precision')
    with op.batch_alter_table('case_fact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_fact_defender_id'))
    op.drop_table('case_fact')
