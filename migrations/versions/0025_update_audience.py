"""updates: an update's audience segment (language, country, when they signed); NULL: everyone

Revision ID: 0025_update_audience
Revises: 0024_letter_evidence
Create Date: 2026-12-02 01:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0025_update_audience'
down_revision = '0024_letter_evidence'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaign_update', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audience', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('campaign_update', schema=None) as batch_op:
        batch_op.drop_column('audience')
