"""campaign_partner: the partner organisations a campaign's page names ("Supported by")

Revision ID: 0012_campaign_partners
Revises: 0011_retention
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012_campaign_partners'
down_revision = '0011_retention'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('campaign_partner',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_partner_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_campaign_partner_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('campaign_id', 'organisation_id', name=op.f('pk_campaign_partner'))
    )


def downgrade():
    op.drop_table('campaign_partner')
