"""audit log: entries name the letter, organisation and person they concern, indexed for the filters

Revision ID: 0017_audit_log
Revises: 0016_outbox_retry
Create Date: 2026-12-01 21:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017_audit_log'
down_revision = '0016_outbox_retry'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('letter_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('organisation_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('subject_user_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_audit_entry_letter_id_letter'), 'letter', ['letter_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_index('ix_audit_entry_letter_id', ['letter_id'], unique=False)
        batch_op.create_index('ix_audit_entry_user_id', ['user_id'], unique=False)
        batch_op.create_index('ix_audit_entry_action', ['action'], unique=False)


def downgrade():
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entry_action')
        batch_op.drop_index('ix_audit_entry_user_id')
        batch_op.drop_index('ix_audit_entry_letter_id')
        batch_op.drop_constraint(batch_op.f('fk_audit_entry_letter_id_letter'), type_='foreignkey')
        batch_op.drop_column('subject_user_id')
        batch_op.drop_column('organisation_id')
        batch_op.drop_column('letter_id')
