"""No trace in logs: a whole signing journey through real processes (gunicorn with `make run`'s
access log, a worker, the CLI), and nothing they wrote holds the client's IP, an address or a token."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import urllib.parse
from pathlib import Path

import pytest

from campaign.gunicorn_logging import GUNICORN_LOG_ARGS
from tests.smtp import free_port
from tests.workers import ROOT, start_worker, stop_worker, wait_until

pytestmark = pytest.mark.slow

CLIENT_IP = "203.0.113.77"
SIGNER = "Aigerim.Logs@example.org"
REFUSED = "nobody-here@example.net"  # the SMTP server refuses it: the worker logs the failure
DEVRUN = (ROOT / "campaign" / "devrun.py").read_text()


def environment(app, **extra: str) -> dict[str, str]:
    import os

    config = app.config
    return {
        **os.environ,
        "DATABASE_URL": config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": config["REDIS_URL"],
        "SECRET_KEY": config["SECRET_KEY"],
        "BASE_URL": config["BASE_URL"],
        "MAIL_SERVER": config["MAIL_SERVER"],
        "MAIL_PORT": str(config["MAIL_PORT"]),
        "PROXY_FIX_X_FOR": "1",  # the client's address arrives as a proxy would pass it
        **extra,
    }


def get_or_post(port: int, path: str, data: bytes | None = None) -> tuple[int, str]:
    """One request as a browser behind a proxy sends it (no cookie, redirects not followed)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    headers = {"X-Forwarded-For": CLIENT_IP, "Sec-Fetch-Site": "same-origin"}
    if data is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request("POST" if data is not None else "GET", path, body=data, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def is_up(port: int) -> bool:
    try:
        return get_or_post(port, "/healthz")[0] == 200
    except OSError:
        return False


def form_token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def sign(port: int, slug: str, email: str) -> int:
    _, page = get_or_post(port, f"/en/campaigns/{slug}")
    body = urllib.parse.urlencode(
        {"form_token": form_token(page), "name": "Aigerim Logs", "email": email, "country": "KZ"}
    ).encode()
    status, _ = get_or_post(port, f"/en/campaigns/{slug}", body)
    return status


def test_the_logs_of_a_whole_signing_journey_hold_no_ip_address_or_token(
    app, campaign, smtp_server, tmp_path: Path
):
    assert "*GUNICORN_LOG_ARGS]" in DEVRUN  # the logging tested is make run's
    smtp_server.handler.refused[REFUSED] = "550 5.1.1 no such user"
    port, web_log, worker_log = free_port(), tmp_path / "web.log", tmp_path / "worker.log"
    env = environment(app)
    cli = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    with web_log.open("ab") as log:
        web = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "--bind", f"127.0.0.1:{port}", "--workers", "1", "--log-level", "debug",
                *GUNICORN_LOG_ARGS, "wsgi:app",
            ],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    worker = start_worker(app, worker_log, WORKER_LOG_LEVEL="DEBUG", PROXY_FIX_X_FOR="1")
    try:
        assert wait_until(lambda: is_up(port))
        assert sign(port, campaign.slug, SIGNER) == 303
        assert sign(port, campaign.slug, REFUSED) == 303
        [mail] = smtp_server.wait_for(1)
        link = re.search(r"https://campaign\.example\.org(/\S*/verify/(\S+))", mail.text())
        path, token = link.group(1), link.group(2)
        _, confirm_page = get_or_post(port, path)
        body = urllib.parse.urlencode({"form_token": form_token(confirm_page)}).encode()
        assert "is confirmed and counted" in get_or_post(port, path, body)[1]
        assert get_or_post(port, path[:-4] + "abcd")[0] == 404  # a tampered link
        assert wait_until(lambda: "failed for good" in worker_log.read_text())
    finally:
        web.terminate()
        web.wait(20)
        stop_worker(worker)

    logs = {"web": web_log.read_text(), "worker": worker_log.read_text(), "cli": cli.stdout + cli.stderr}
    assert '"GET /en/verify/[token]" 200' in logs["web"]  # the journey is in the access log, masked
    for name, text in logs.items():
        lowered = text.lower()
        assert CLIENT_IP not in text, name
        assert SIGNER.lower() not in lowered and REFUSED not in lowered, name
        assert token not in text, name
