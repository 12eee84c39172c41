"""outbox: partial indexes of the rows waiting to be sent and of the rows being sent

Revision ID: 0007_outbox_indexes
Revises: 0006_dashboard
Create Date: 2026-11-30 04:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_outbox_indexes'
down_revision = '0006_dashboard'
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")
SENDING = sa.text("status = 'sending'")


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_due')
        batch_op.create_index('ix_outbox_message_pending', ['queue', 'id'], unique=False,
                              postgresql_where=PENDING, sqlite_where=PENDING)
        batch_op.create_index('ix_outbox_message_sending', ['locked_at'], unique=False,
                              postgresql_where=SENDING, sqlite_where=SENDING)


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_message_sending', sqlite_where=SENDING)
        batch_op.drop_index('ix_outbox_message_pending', sqlite_where=PENDING)
        batch_op.create_index('ix_outbox_message_due', ['status', 'next_attempt_at'], unique=False)
