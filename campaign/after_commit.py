"""Work that waits for a commit: recorded inside the transaction, done once it has committed.

Whatever a transaction causes outside the database (a flush of the outbox, a job to enqueue,
the live count to move) is first made durable by the transaction itself: the outbox row, the
export or invalidation in status "queued", the update in status "sending", the confirmed
signature. What is recorded here is only the prompt to act on it now, run by one hook on the
app's session factory after the commit and forgotten on a rollback. A prompt lost with its
process (killed between the commit and the hook) or with Redis is made good by the sweep
(:func:`campaign.jobs.resume_queued`, the outbox sweep, the count reconciliation).

The hook runs after the transaction has ended: a call may not use the session (SQLAlchemy
refuses SQL in ``after_commit``), and must answer for its own failures (Redis down): the data
is committed whatever it does. A rollback of the whole transaction forgets what it recorded.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Hashable
from functools import cache
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from campaign.extensions import db

_KEY = "campaign.after_commit"

Call = Callable[..., None] | str


def after_commit(func: Call, *args: Hashable) -> None:
    """Call ``func(*args)`` once the current transaction commits; never if it rolls back.

    ``func`` is a function or its dotted path (``"campaign.dispatch.kick"``), the form RQ and
    the periodic jobs name functions in, for infrastructure that may not import the domain
    whose function it names. The same call recorded twice in one transaction runs once.
    """
    session = db.session()
    if not session.in_transaction():
        session.begin()  # no SQL yet (PostgreSQL signing runs its own): a rollback still forgets
    calls: dict[tuple[Call, tuple[Hashable, ...]], None] = session.info.setdefault(_KEY, {})
    calls.setdefault((func, args), None)


@cache
def resolve(path: str) -> Any:
    """The function (or class) at a dotted path, imported on first use."""
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _run(session: Session) -> None:
    calls = session.info.pop(_KEY, None)
    for func, args in calls or ():
        (resolve(func) if isinstance(func, str) else func)(*args)


def _forget(session: Session, transaction: SessionTransaction) -> None:
    """The outermost transaction is over: what it recorded and did not commit is forgotten.

    Not on a savepoint's rollback (``after_rollback`` fires for those too): a supporter row
    that lost a race must not take the kick of the mail queued before it with it.
    """
    if transaction.parent is None:
        session.info.pop(_KEY, None)


def init_app(app: Flask) -> None:
    """Attach the hook to the session factory of ``db`` (one per process, shared by every app
    that ``db`` is bound to: attached once)."""
    factory = db.session.session_factory
    for name, listener in (("after_commit", _run), ("after_transaction_end", _forget)):
        if not event.contains(factory, name, listener):
            event.listen(factory, name, listener)
