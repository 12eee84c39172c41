"""ix_signature_recent_signers: the campaign page's recent signers cost the same however many are pending or private

Revision ID: 0014_recent_signers_index
Revises: 0013_letters_demo
Create Date: 2026-12-01 22:50:00

"""
from alembic import op


revision = '0014_recent_signers_index'
down_revision = '0013_letters_demo'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.create_index(
            'ix_signature_recent_signers', ['campaign_id', 'status', 'is_name_public', 'confirmed_at'], unique=False
        )


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_index('ix_signature_recent_signers')
