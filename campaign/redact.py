"""No trace in logs: client IPs, email addresses and tokens are masked in every log record the
processes write (web, worker, CLI), whoever logs it (our code, SQLAlchemy's errors with their
parameters, RQ's tracebacks, gunicorn).

A log is copied, shipped and kept far longer than anything else, and read by more people: a
leaked log must not list who signed. :func:`install` replaces the logging module's record
factory, so a record is masked as it is made, before any handler or formatter sees it.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import traceback
from typing import Any

EMAIL = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w.])")
#: candidates for IPv6 addresses, checked with ipaddress (times like 12:30:45 are not)
IPV6 = re.compile(r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])")
#: the path segment after these is a secret (a link's token); the README's nginx map lists them too
TOKEN_SEGMENTS = (
    "verify", "unsubscribe", "erase", "manage", "invite", "reset", "download", "forget",
    "follow", "unfollow", "requests",
)  # fmt: skip
TOKEN_PATH = re.compile(rf"(/(?:{'|'.join(TOKEN_SEGMENTS)})/)[^/\s?#\"']+")
#: a random token outside a path: 32+ URL-safe characters, with upper and lower case and digits
TOKEN = re.compile(r"(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])(?=[\w-]*\d)[\w-]{32,}(?![\w-])")


def _ipv6(match: re.Match[str]) -> str:
    candidate = match.group(0)
    try:
        ipaddress.IPv6Address(candidate)
    except ValueError:
        return candidate
    return "[ip]"


def _ipv4(match: re.Match[str]) -> str:
    try:
        ipaddress.IPv4Address(match.group(0))
    except ValueError:
        return match.group(0)
    return "[ip]"


def redact(text: str) -> str:
    """``text`` with email addresses, IP addresses and tokens masked."""
    text = TOKEN_PATH.sub(r"\1[token]", text)
    text = EMAIL.sub("[email]", text)
    text = IPV4.sub(_ipv4, text)
    text = IPV6.sub(_ipv6, text)
    return TOKEN.sub("[token]", text)


def mask_path(path: str) -> str:
    """A request path fit for a log: the query dropped, tokens masked."""
    return redact(path.split("?", 1)[0])


_factory = logging.getLogRecordFactory()


def _masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _factory(*args, **kwargs)
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not fit: leave it to logging's own handling
        return record
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[0] is not None:
        record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    return record


def install() -> None:
    """Mask every log record this process makes from now on (idempotent)."""
    if logging.getLogRecordFactory() is not _masked_record:
        logging.setLogRecordFactory(_masked_record)
