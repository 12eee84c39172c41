"""signature: held for review replaces the shadow ban of the fraud throttle

Signatures signed past FRAUD_SIGNATURES_PER_IP_HOUR were confirmed and never counted, with no one
ever looking at them. They are now held (status "held") until a moderator releases or
invalidates them; today's shadow-banned rows were never reviewed, so they become held.
``is_fraudulent`` becomes ``is_over_limit`` (confirming such a signature holds it), and the
indexes of counted signatures no longer need it.

Revision ID: 0010_held_for_review
Revises: 0009_source_versions
Create Date: 2026-12-01 21:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_held_for_review'
down_revision = '0009_source_versions'
branch_labels = None
depends_on = None

#: index name -> its last column, after (campaign_id, status)
COUNTED = {
    'ix_signature_counted': 'country',
    'ix_signature_counted_lang': 'lang',
    'ix_signature_counted_source': 'source',
    'ix_signature_counted_confirmed_at': 'confirmed_at',
}


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        for name in COUNTED:
            batch_op.drop_index(name)
        batch_op.alter_column('is_fraudulent', new_column_name='is_over_limit',
                              existing_type=sa.Boolean(), existing_nullable=False)
    op.execute("UPDATE signature SET status = 'held' WHERE is_over_limit AND status = 'confirmed'")
    with op.batch_alter_table('signature', schema=None) as batch_op:
        for name, column in COUNTED.items():
            batch_op.create_index(name, ['campaign_id', 'status', column], unique=False)


def downgrade():
    op.execute("UPDATE signature SET status = 'confirmed' WHERE status = 'held'")
    with op.batch_alter_table('signature', schema=None) as batch_op:
        for name in COUNTED:
            batch_op.drop_index(name)
        batch_op.alter_column('is_over_limit', new_column_name='is_fraudulent',
                              existing_type=sa.Boolean(), existing_nullable=False)
    with op.batch_alter_table('signature', schema=None) as batch_op:
        for name, column in COUNTED.items():
            batch_op.create_index(name, ['campaign_id', 'status', 'is_fraudulent', column], unique=False)
