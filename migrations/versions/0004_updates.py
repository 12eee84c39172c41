"""updates to supporters: campaign updates, their translations, erasure requests

Revision ID: 0004_updates
Revises: 0003_letters
Create Date: 2026-11-22 10:39:37.845495

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004_updates'
down_revision = '0003_letters'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('erasure_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('supporter_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['supporter_id'], ['supporter.id'], name=op.f('fk_erasure_request_supporter_id_supporter'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_request')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_erasure_request_token_hash'))
    )
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_request_supporter_id'), ['supporter_id'], unique=False)

    op.create_table('campaign_update',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('default_lang', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('scheduled_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('fanout_cursor', sa.Integer(), nullable=False),
    sa.Column('fanout_at', sa.DateTime(), nullable=True),
    sa.Column('fanout_done_at', sa.DateTime(), nullable=True),
    sa.Column('first_outbox_id', sa.Integer(), nullable=True),
    sa.Column('last_outbox_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_campaign_update_campaign_id_campaign'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_update'))
    )
    with op.batch_alter_table('campaign_update', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_update_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_update_content_hash'), ['content_hash'], unique=False)
        batch_op.create_index('ix_campaign_update_due', ['status', 'scheduled_at'], unique=False)

    op.create_table('campaign_update_translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('update_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['update_id'], ['campaign_update.id'], name=op.f('fk_campaign_update_translation_update_id_campaign_update'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_campaign_update_translation')),
    sa.UniqueConstraint('update_id', 'lang', name=op.f('uq_campaign_update_translation_update_id_lang'))
    )


def downgrade():
    op.drop_table('campaign_update_translation')
    with op.batch_alter_table('campaign_update', schema=None) as batch_op:
        batch_op.drop_index('ix_campaign_update_due')
        batch_op.drop_index(batch_op.f('ix_campaign_update_content_hash'))
        batch_op.drop_index(batch_op.f('ix_campaign_update_campaign_id'))

    op.drop_table('campaign_update')
    with op.batch_alter_table('erasure_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_request_supporter_id'))

    op.drop_table('erasure_request')
