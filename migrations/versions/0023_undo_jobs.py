"""moderation: undoing an invalidation is a job of its own, with progress and a claim

Revision ID: 0023_undo_jobs
Revises: 0022_follow_up
Create Date: 2026-12-02 00:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0023_undo_jobs'
down_revision = '0022_follow_up'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('invalidation_undo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('invalidation_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('restored', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('claimed_at', sa.DateTime(), nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_invalidation_undo_campaign_id_campaign'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invalidation_id'], ['invalidation.id'], name=op.f('fk_invalidation_undo_invalidation_id_invalidation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invalidation_undo')),
    sa.UniqueConstraint('invalidation_id', name=op.f('uq_invalidation_undo_invalidation_id'))
    )
    with op.batch_alter_table('invalidation_undo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invalidation_undo_campaign_id'), ['campaign_id'], unique=False)


def downgrade():
    with op.batch_alter_table('invalidation_undo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invalidation_undo_campaign_id'))
    op.drop_table('invalidation_undo')
