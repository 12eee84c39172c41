"""The one after-commit mechanism: recorded in a transaction, run after its commit, never after
a rollback; and no SQLAlchemy listener on every engine or session of the process."""

from __future__ import annotations

import contextlib

from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from campaign.after_commit import after_commit
from campaign.extensions import db
from campaign.signatures.models import Supporter


def test_a_recorded_call_runs_after_the_commit_and_not_before(app: Flask) -> None:
    calls: list[str] = []
    after_commit(calls.append, "kick")
    db.session.flush()
    assert calls == []

    db.session.commit()

    assert calls == ["kick"]


def test_a_rollback_forgets_what_was_recorded(app: Flask) -> None:
    calls: list[str] = []
    after_commit(calls.append, "kick")
    db.session.rollback()
    db.session.commit()

    assert calls == []


def test_a_savepoint_rolled_back_keeps_what_the_transaction_recorded(app: Flask) -> None:
    calls: list[str] = []
    after_commit(calls.append, "kick")
    db.session.add(Supporter(email_hash="h" * 64, email="a@example.org", lang="en"))
    db.session.commit()
    after_commit(calls.append, "again")
    with contextlib.suppress(IntegrityError), db.session.begin_nested():
        # the unique email hash, as in a race between two signers
        db.session.add(Supporter(email_hash="h" * 64, email="b@example.org", lang="en"))
    db.session.commit()

    assert calls == ["kick", "again"]


def test_the_same_call_recorded_twice_runs_once(app: Flask) -> None:
    calls: list[str] = []
    after_commit(calls.append, "mail")
    after_commit(calls.append, "mail")
    after_commit(calls.append, "bulk")
    db.session.commit()

    assert calls == ["mail", "bulk"]


def _listeners(target: type, name: str) -> list[object]:
    """The listeners attached to ``target`` itself (SQLAlchemy keeps them per class)."""
    return list(getattr(target.dispatch, name)._clslevel.get(target, ()))


def test_no_listener_is_registered_on_every_session_engine_or_pool(app: Flask) -> None:
    for name in ("after_commit", "after_rollback", "after_transaction_end"):
        assert _listeners(Session, name) == []
    for name in ("connect", "checkout"):
        assert _listeners(Pool, name) == []
