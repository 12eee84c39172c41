"""Everything the system holds, as text: the whole database (as a backup would have it) and Redis."""

from __future__ import annotations

import base64
import binascii
import contextlib
import sqlite3
import subprocess
import zlib

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


def _readable(value: bytes) -> list[bytes]:
    """``value``, and what RQ compressed into it: a job's pickled arguments and its traceback
    (zlib), a result's traceback (zlib in base64). A pickled string keeps its UTF-8 bytes."""
    found = [value]
    for decode in (bytes, base64.b64decode):
        with contextlib.suppress(zlib.error, binascii.Error, ValueError):
            found.append(zlib.decompress(decode(value)))
    return found


def redis_dump() -> bytes:
    """Every key and value of the app's Redis database (RQ's jobs and registries included, their
    compressed payloads and tracebacks unpacked)."""
    connection = queues.connection
    parts = []
    for key in connection.scan_iter(count=1000):
        parts.append(key)
        kind = connection.type(key)
        values: list[bytes] = []
        if kind == b"string":
            values.append(connection.get(key) or b"")
        elif kind == b"hash":
            for field, value in connection.hgetall(key).items():
                values.extend([field, value])
        elif kind == b"list":
            values.extend(connection.lrange(key, 0, -1))
        elif kind == b"set":
            values.extend(connection.smembers(key))
        elif kind == b"zset":
            values.extend(member for member, _ in connection.zrange(key, 0, -1, withscores=True))
        elif kind == b"stream":
            for _, entry in connection.xrange(key):
                for field, value in entry.items():
                    values.extend([field, value])
        for value in values:
            parts.extend(_readable(value))
    return b"\n".join(parts)
