"""letters: each delivery's follow-up (outcome, deadline, what is public) and its append-only history

Deliveries made before this migration get a follow-up awaiting an answer, thirty days from delivery.

Revision ID: 0022_follow_up
Revises: 0021_update_author_key
Create Date: 2026-12-02 00:36:38

"""
from alembic import op
import sqlalchemy as sa


revision = '0022_follow_up'
down_revision = '0021_update_author_key'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('delivery_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=12), nullable=False),
    sa.Column('deadline_days', sa.Integer(), nullable=False),
    sa.Column('acknowledged_on', sa.Date(), nullable=True),
    sa.Column('registration_number', sa.String(length=100), nullable=False),
    sa.Column('responded_on', sa.Date(), nullable=True),
    sa.Column('response', sa.Text(), nullable=False),
    sa.Column('response_scan', sa.String(length=64), nullable=True),
    sa.Column('is_registration_public', sa.Boolean(), nullable=False),
    sa.Column('is_response_public', sa.Boolean(), nullable=False),
    sa.Column('handed_on', sa.Date(), nullable=True),
    sa.Column('update_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['delivery_id'], ['delivery.id'], name=op.f('fk_delivery_follow_up_delivery_id_delivery'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['update_id'], ['campaign_update.id'], name=op.f('fk_delivery_follow_up_update_id_campaign_update'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_follow_up')),
    sa.UniqueConstraint('delivery_id', name=op.f('uq_delivery_follow_up_delivery_id'))
    )
    op.create_table('delivery_follow_up_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('follow_up_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('scan', sa.String(length=64), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['follow_up_id'], ['delivery_follow_up.id'], name=op.f('fk_delivery_follow_up_event_follow_up_id_delivery_follow_up'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_delivery_follow_up_event_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_delivery_follow_up_event_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_delivery_follow_up_event'))
    )
    with op.batch_alter_table('delivery_follow_up_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_delivery_follow_up_event_follow_up_id'), ['follow_up_id'], unique=False)
    op.execute(
        "INSERT INTO delivery_follow_up (delivery_id, outcome, deadline_days, registration_number, response,"
        " is_registration_public, is_response_public, updated_at)"
        " SELECT id, 'awaiting', 30, '', '', false, false, created_at FROM delivery"
    )


def downgrade():
    with op.batch_alter_table('delivery_follow_up_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_delivery_follow_up_event_follow_up_id'))

    op.drop_table('delivery_follow_up_event')
    op.drop_table('delivery_follow_up')
