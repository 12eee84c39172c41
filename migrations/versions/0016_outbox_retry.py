"""outbox: temporary failures retried for OUTBOX_RETRY_HOURS, then expired; abandoned claims counted

Revision ID: 0016_outbox_retry
Revises: 0015_defender_records
Create Date: 2026-12-01 22:00:00

Existing rows are upgraded in place: a row the old attempt limit failed for a temporary reason
(a 4xx, an unreachable server, a worker that died holding it) within the last 72 hours goes back
to pending, due at once, so that a server that came back gets it; a permanent refusal (5xx)
stays failed.
"""
import re
from datetime import datetime, timedelta

from alembic import op
import sqlalchemy as sa


revision = '0016_outbox_retry'
down_revision = '0015_defender_records'
branch_labels = None
depends_on = None

#: how the old sender wrote an SMTP reply code into last_error: "(550, b'...')" or "': (550, "
PERMANENT_REPLY = re.compile(r"\(5\d\d,")


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('abandoned', sa.Integer(), server_default=sa.text('0'), nullable=False))

    connection = op.get_bind()
    outbox = sa.table(
        'outbox_message',
        sa.column('id', sa.Integer),
        sa.column('status', sa.String),
        sa.column('last_error', sa.Text),
        sa.column('next_attempt_at', sa.DateTime),
        sa.column('created_at', sa.DateTime),
    )
    since = datetime.utcnow() - timedelta(hours=72)
    failed = connection.execute(
        sa.select(outbox.c.id, outbox.c.last_error).where(outbox.c.status == 'failed', outbox.c.created_at >= since)
    ).all()
    temporary = [row_id for row_id, error in failed if not PERMANENT_REPLY.search(error or '')]
    if temporary:
        connection.execute(
            outbox.update().where(outbox.c.id.in_(temporary)).values(status='pending', next_attempt_at=None)
        )


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('abandoned')
        batch_op.drop_column('expires_at')
