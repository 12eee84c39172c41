"""letters: the SMTP server's reply to each message, and a delivered letter's evidence (the Merkle
root over its campaign's confirmed signatures, with one leaf per signature)

Revision ID: 0024_letter_evidence
Revises: 0023_undo_jobs
Create Date: 2026-12-02 00:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0024_letter_evidence'
down_revision = '0023_undo_jobs'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('smtp_reply', sa.Text(), nullable=True))
    op.create_table(
        'letter_evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.Column('campaign_id', sa.Integer(), nullable=True),
        sa.Column('as_of', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), nullable=True),
        sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('root', sa.String(length=64), nullable=True),
        sa.Column('leaf_count', sa.Integer(), nullable=True),
        sa.Column('countries', sa.JSON(), nullable=False),
        sa.Column('block_roots', sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['letter_id'], ['letter.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('letter_id'),
    )
    op.create_table(
        'evidence_leaf',
        sa.Column('evidence_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('signature_id', sa.Integer(), nullable=True),
        sa.Column('record', sa.String(length=100), nullable=False),
        sa.Column('leaf', sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(['evidence_id'], ['letter_evidence.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['signature_id'], ['signature.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('evidence_id', 'position'),
    )
    op.create_index('ix_evidence_leaf_signature_id', 'evidence_leaf', ['signature_id'], unique=False)


def downgrade():
    op.drop_index('ix_evidence_leaf_signature_id', table_name='evidence_leaf')
    op.drop_table('evidence_leaf')
    op.drop_table('letter_evidence')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('smtp_reply')
