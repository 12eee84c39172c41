"""signature: consent to be contacted by the partner whose link the signer came through, apart
from consent to the campaign's updates (issue 16, item 7); false for every existing signature

Revision ID: 0027_partner_consent
Revises: 0026_outbox_given_up
Create Date: 2026-12-03 06:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0027_partner_consent'
down_revision = '0026_outbox_given_up'
branch_labels = None
depends_on = None


def upgrade():
    # a constant default: PostgreSQL adds the column without rewriting the table
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partner_may_contact', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('partner_may_contact')
