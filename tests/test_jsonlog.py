"""LOG_FORMAT=json: one JSON object a line, with the addresses masked as in every log."""

from __future__ import annotations

import io
import json
import logging

from flask.logging import default_handler

from campaign import create_app
from campaign.jsonlog import JsonFormatter


def test_json_log_lines_hold_no_address(base_config, _schema):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    handlers = [*root.handlers, default_handler]
    formatters = [each.formatter for each in handlers]
    try:
        create_app(base_config | {"LOG_FORMAT": "json"})
        assert isinstance(handler.formatter, JsonFormatter)
        logging.getLogger("campaign.test").warning(
            "could not mail %s from %s", "roza@example.org", "203.0.113.9"
        )
    finally:
        root.removeHandler(handler)
        for each, formatter in zip(handlers, formatters, strict=True):  # pytest's own handlers too
            each.setFormatter(formatter)
    [line] = [line for line in stream.getvalue().splitlines() if "could not mail" in line]
    entry = json.loads(line)
    assert entry["level"] == "WARNING" and entry["logger"] == "campaign.test"
    assert "roza@example.org" not in line and "203.0.113.9" not in line
