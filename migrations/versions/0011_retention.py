"""campaign: per-campaign retention of signers' data after closing

Revision ID: 0011_retention
Revises: 0010_held_for_review
Create Date: 2026-12-01 21:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011_retention'
down_revision = '0010_held_for_review'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retention_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('anonymised_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('anonymised_at')
        batch_op.drop_column('closed_at')
        batch_op.drop_column('retention_days')
