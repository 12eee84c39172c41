"""Real ``python worker.py`` processes for tests, pointed at the test's database, Redis and SMTP server."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def start_worker(app: Flask, log_path: Path, **env: str) -> subprocess.Popen[bytes]:
    config = app.config
    environment = {
        **os.environ,
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": config["REDIS_URL"],
        "SECRET_KEY": config["SECRET_KEY"],
        "BASE_URL": config["BASE_URL"],
        "MAIL_SERVER": config["MAIL_SERVER"],
        "MAIL_PORT": str(config["MAIL_PORT"]),
        "MAIL_TIMEOUT": "5",
        "WORKER_MAINTENANCE_SECONDS": "1",
        "WORKER_TTL": "16",
        "OUTBOX_SWEEP_SECONDS": "1",
        **env,
    }
    with log_path.open("ab") as log:
        # a session of its own: RQ's scheduler runs in a child process, which must die with the group
        return subprocess.Popen(
            [sys.executable, "worker.py"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def kill_group(process: subprocess.Popen[bytes], signal_number: int) -> None:
    """Signal the worker and its scheduler child (the process group the worker leads)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal_number)


def stop_worker(process: subprocess.Popen[bytes]) -> None:
    kill_group(process, signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        kill_group(process, signal.SIGKILL)
        process.wait()


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()
