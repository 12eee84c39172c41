"""``LOG_FORMAT=json``: every log line one JSON object, for a log shipper.

The records are masked as they are made (:mod:`campaign.redact`: no client IP, email address
or token), so the JSON holds what the plain lines would: the time, level, logger, message and,
for an error, its traceback.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from flask import Flask

#: loggers whose own handlers write lines (gunicorn's error log); the root logger's too
LOGGERS = ("", "gunicorn.error", "rq.worker")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def install(app: Flask) -> None:
    if app.config["LOG_FORMAT"] != "json":
        return
    formatter = JsonFormatter()
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for name in LOGGERS:
        for handler in logging.getLogger(name).handlers:
            handler.setFormatter(formatter)
    from flask.logging import default_handler

    default_handler.setFormatter(formatter)
