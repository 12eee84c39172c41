"""campaign, defender, letter: archived_at, when staff (or, for a letter, its coordinator)
archived it: hidden from every public list and page, its data kept for a restore

Revision ID: 0030_archived_at
Revises: 0029_solidarity_messages
Create Date: 2026-12-03 06:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0030_archived_at'
down_revision = '0029_solidarity_messages'
branch_labels = None
depends_on = None

TABLES = ('campaign', 'defender', 'letter')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('archived_at', sa.DateTime(), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('archived_at')
