"""We keep the least: a failed job's traceback, which RQ keeps in Redis for days, names no one."""

from __future__ import annotations

from rq.registry import FailedJobRegistry

from campaign.extensions import queues
from tests.dump import redis_dump

ADDRESS, CLIENT_IP = "roza.failed@example.org", "203.0.113.91"


def fails_naming_someone() -> None:
    """A job whose error names a person, as an SMTP refusal or a database error with its
    parameters does."""
    raise RuntimeError(f"could not mail {ADDRESS} (signed from {CLIENT_IP})")


def test_a_failed_jobs_traceback_in_redis_holds_no_address(app, drain):
    queues.enqueue("bulk", fails_naming_someone, failure_ttl=3600)

    drain()

    registry = FailedJobRegistry("bulk", connection=queues.connection)
    [job] = registry.get_job_ids()
    failure = registry.job_class.fetch(job, connection=queues.connection)
    assert "RuntimeError: could not mail [email] (signed from [ip])" in failure.latest_result().exc_string
    dump = redis_dump()
    assert ADDRESS.encode() not in dump and CLIENT_IP.encode() not in dump
