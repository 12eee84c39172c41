"""Everything the system holds, as text: the whole database (as a backup would have it) and Redis."""

from __future__ import annotations

import sqlite3
import subprocess

from campaign.extensions import db, queues


def database_dump() -> str:
    """``pg_dump`` of PostgreSQL, or SQLite's own dump: what a backup or a leak would contain."""
    db.session.remove()
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
        return subprocess.run(
            ["pg_dump", "--data-only", plain], check=True, capture_output=True, text=True
        ).stdout
    db.engine.dispose()
    with sqlite3.connect(url.database or "") as connection:
        return "\n".join(connection.iterdump())


def redis_dump() -> bytes:
    """Every key and value of the app's Redis database (RQ's jobs and registries included)."""
    connection = queues.connection
    parts = []
    for key in connection.scan_iter(count=1000):
        parts.append(key)
        kind = connection.type(key)
        if kind == b"string":
            parts.append(connection.get(key) or b"")
        elif kind == b"hash":
            parts.extend(b"%s=%s" % item for item in connection.hgetall(key).items())
        elif kind == b"list":
            parts.extend(connection.lrange(key, 0, -1))
        elif kind == b"set":
            parts.extend(connection.smembers(key))
        elif kind == b"zset":
            parts.extend(member for member, _ in connection.zrange(key, 0, -1, withscores=True))
        elif kind == b"stream":
            parts.extend(repr(entry).encode() for entry in connection.xrange(key))
    return b"\n".join(parts)
