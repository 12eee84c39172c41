"""No trace in logs: every route whose path carries a token is masked, whatever the token looks like."""

from __future__ import annotations

import re

from flask import Flask

from campaign.gunicorn_logging import ACCESS_LOG_FORMAT
from campaign.redact import TOKEN_SEGMENTS, mask_path, redact
from tests.workers import ROOT

#: tokens the generic 32-character rule cannot recognise: an itsdangerous id and signature (a
#: follower's unfollow link), and a random one that happens to hold no digit
WEAK_TOKENS = ("MTI.QR4YGMr-B7H6LHCs-PWrvfOar9Q", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ")
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def token_paths(app: Flask, token: str) -> list[str]:
    """Every route with a ``token`` argument, built with ``token`` (its other arguments filled in)."""
    return [
        ARGUMENT.sub(lambda found: token if found.group(1) == "token" else "1", rule.rule)
        for rule in app.url_map.iter_rules()
        if "token" in rule.arguments
    ]


def test_every_path_that_carries_a_token_is_masked_in_the_logs(app):
    paths = token_paths(app, WEAK_TOKENS[0])
    assert any("/unfollow/" in path for path in paths) and any("/requests/" in path for path in paths)

    for token in WEAK_TOKENS:
        for path in token_paths(app, token):
            assert token not in mask_path(path + "?a=b"), path
            assert token not in redact(f"GET {path} 200"), path


def test_the_readmes_nginx_log_format_masks_the_same_paths():
    readme = (ROOT / "README.md").read_text()
    [words] = re.findall(r"\.\*/\(\?:([a-z|]+)\)/\)\[\^/\]\+", readme)

    assert words.split("|") == list(TOKEN_SEGMENTS)
    assert "%(U)s" in ACCESS_LOG_FORMAT and "%(r)s" not in ACCESS_LOG_FORMAT  # the masked path only
