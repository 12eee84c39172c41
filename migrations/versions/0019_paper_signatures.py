"""paper signatures: sheets entered by count (with a scan) and named signers imported from CSV

Revision ID: 0019_paper_signatures
Revises: 0018_job_heartbeats
Create Date: 2026-12-01 22:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0019_paper_signatures'
down_revision = '0018_job_heartbeats'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('paper_sheet',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('collected_on', sa.Date(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('scan', sa.String(length=80), nullable=True),
    sa.Column('note', sa.String(length=300), nullable=False),
    sa.Column('rejected', sa.JSON(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_paper_sheet_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_paper_sheet_organisation_id_organisation'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_sheet'))
    )
    with op.batch_alter_table('paper_sheet', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_sheet_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('paper_signer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('sheet_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('email_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_paper_signer_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sheet_id'], ['paper_sheet.id'], name=op.f('fk_paper_signer_sheet_id_paper_sheet'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_signer')),
    sa.UniqueConstraint('campaign_id', 'email_hash', name=op.f('uq_paper_signer_campaign_id_email_hash'))
    )
    with op.batch_alter_table('paper_signer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_signer_sheet_id'), ['sheet_id'], unique=False)


def downgrade():
    with op.batch_alter_table('paper_signer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_signer_sheet_id'))
    op.drop_table('paper_signer')
    with op.batch_alter_table('paper_sheet', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_sheet_campaign_id'))
    op.drop_table('paper_sheet')
