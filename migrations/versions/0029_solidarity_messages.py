"""solidarity messages: a signer's words to a defender, moderated; a signature holds its message
until the signer confirms

Revision ID: 0029_solidarity_messages
Revises: 0028_campaign_sender
Create Date: 2026-12-03 06:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0029_solidarity_messages'
down_revision = '0028_campaign_sender'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signature', schema=None) as batch_op:
        # nullable, and a constant default: neither rewrites the table on PostgreSQL
        batch_op.add_column(sa.Column('message', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('is_message_public', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table('solidarity_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('defender_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=True),
    sa.Column('signature_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('is_public', sa.Boolean(), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=True),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaign.id'], name=op.f('fk_solidarity_message_campaign_id_campaign'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['defender_id'], ['defender.id'], name=op.f('fk_solidarity_message_defender_id_defender'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signature_id'], ['signature.id'], name=op.f('fk_solidarity_message_signature_id_signature'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solidarity_message'))
    )
    with op.batch_alter_table('solidarity_message', schema=None) as batch_op:
        batch_op.create_index('ix_solidarity_message_defender_status', ['defender_id', 'status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_solidarity_message_signature_id'), ['signature_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_solidarity_message_status'), ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('solidarity_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solidarity_message_status'))
        batch_op.drop_index(batch_op.f('ix_solidarity_message_signature_id'))
        batch_op.drop_index('ix_solidarity_message_defender_status')
    op.drop_table('solidarity_message')
    with op.batch_alter_table('signature', schema=None) as batch_op:
        batch_op.drop_column('is_message_public')
        batch_op.drop_column('message')
