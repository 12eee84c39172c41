"""signatures: when the signer stopped the campaign's updates, for each update's "unsubscribed
since" count; NULL: never, or before this was recorded

Revision ID: 0031_updates_stopped_at
Revises: 0030_archived_at
Create Date: 2026-12-03 07:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0031_updates_stopped_at'
down_revision = '0030_archived_at'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updates_stopped_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('updates_stopped_at')
