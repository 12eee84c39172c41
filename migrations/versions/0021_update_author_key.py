"""updates: the author of an update is a foreign key to the staff account (it was a bare id)

Revision ID: 0021_update_author_key
Revises: 0020_invalidation_undo
Create Date: 2026-12-02 00:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0021_update_author_key'
down_revision = '0020_invalidation_undo'
branch_labels = None
depends_on = None

FOREIGN_KEY = 'fk_campaign_update_created_by_id_user_account'


def upgrade():
    # An id left by an account deleted before the key existed would refuse the constraint.
    op.execute(sa.text(
        "UPDATE campaign_update SET created_by_id = NULL "
        "WHERE created_by_id IS NOT NULL AND created_by_id NOT IN (SELECT id FROM user_account)"
    ))
    with op.batch_alter_table('campaign_update', schema=None) as batch_op:
        batch_op.create_foreign_key(FOREIGN_KEY, 'user_account', ['created_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('campaign_update', schema=None) as batch_op:
        batch_op.drop_constraint(FOREIGN_KEY, type_='foreignkey')
