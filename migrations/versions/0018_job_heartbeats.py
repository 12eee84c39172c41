"""exports and invalidations carry their run's claim and heartbeat, so a dead worker's job resumes

Revision ID: 0018_job_heartbeats
Revises: 0017_audit_log
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018_job_heartbeats'
down_revision = '0017_audit_log'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('export', 'invalidation'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('claimed_at', sa.DateTime(), nullable=True))
            batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(), nullable=True))


def downgrade():
    for table in ('invalidation', 'export'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('heartbeat_at')
            batch_op.drop_column('claimed_at')
