"""campaigns: the sender name and Reply-To address of a campaign's update mails; NULL: the site's

Revision ID: 0028_campaign_sender
Revises: 0027_partner_consent
Create Date: 2026-12-03 06:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0028_campaign_sender'
down_revision = '0027_partner_consent'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender_name', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('reply_to', sa.String(length=254), nullable=True))


def downgrade():
    with op.batch_alter_table('campaign', schema=None) as batch_op:
        batch_op.drop_column('reply_to')
        batch_op.drop_column('sender_name')
