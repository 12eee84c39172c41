"""outbox: a partial index of the mail that will not be sent (failed, expired), which /metrics
counts on every scrape

Revision ID: 0026_outbox_given_up
Revises: 0025_update_audience
Create Date: 2026-12-03 06:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0026_outbox_given_up'
down_revision = '0025_update_audience'
branch_labels = None
depends_on = None

NAME = 'ix_outbox_message_given_up'
GIVEN_UP = sa.text("status IN ('failed', 'expired')")


def upgrade():
    if op.get_context().dialect.name == 'postgresql':
        # CONCURRENTLY: the table holds every email ever sent, and signing writes to it meanwhile
        with op.get_context().autocommit_block():
            op.create_index(NAME, 'outbox_message', ['queue', 'status'], unique=False,
                            postgresql_where=GIVEN_UP, postgresql_concurrently=True)
    else:
        op.create_index(NAME, 'outbox_message', ['queue', 'status'], unique=False, sqlite_where=GIVEN_UP)


def downgrade():
    op.drop_index(NAME, table_name='outbox_message')
