"""moderation: a signature remembers the bulk invalidation that took it, so the latest can be undone

Revision ID: 0020_invalidation_undo
Revises: 0019_paper_signatures
Create Date: 2026-12-01 22:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0020_invalidation_undo'
down_revision = '0019_paper_signatures'
branch_labels = None
depends_on = None

TAKEN = sa.text("invalidation_id IS NOT NULL")


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('invalidation_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_signature_invalidation_id', ['invalidation_id'], unique=False,
                              postgresql_where=TAKEN, sqlite_where=TAKEN)
    with op.batch_alter_table('invalidation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('undone_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('invalidation', schema=None) as batch_op:
        batch_op.drop_column('undone_at')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index('ix_signature_invalidation_id')
        batch_op.drop_column('invalidation_id')
