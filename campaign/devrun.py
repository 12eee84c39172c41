"""``make run``: the web server and a worker for a newcomer, and everything stopped on Ctrl-C.

A shell trap with ``kill 0`` left the embedded Redis running (it daemonises, so it is in no
process group of ours) and made bash print "wait: No child processes". This supervisor starts
gunicorn and ``worker.py`` as its children, says where the site is and which demo accounts
to log in with once the site answers, and on Ctrl-C (or SIGTERM) stops both, then the
embedded Redis that the app started under ``instance/`` (not a Redis of ``REDIS_URL``).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import FrameType

from campaign import embedded_redis
from campaign.gunicorn_logging import GUNICORN_LOG_ARGS

ROOT = Path(__file__).resolve().parent.parent
#: how long the children get to finish what they are doing before they are killed
STOP_SECONDS = 10


def demo_accounts() -> list[str]:
    from campaign.demo import DEMO_ADMIN
    from campaign.letters.demo_data import ORGANISATIONS

    return [f"{DEMO_ADMIN} (staff, admin)"] + [
        f"{entry['owner_email']} (owner of {entry['names']['en']})" for entry in ORGANISATIONS
    ]


def wait_until_up(port: str, children: list[subprocess.Popen[bytes]], seconds: float = 120) -> bool:
    """Wait until gunicorn listens, then until the app answers its health check (asked once a
    second, since each asking is a line of the access log)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        try:
            socket.create_connection(("127.0.0.1", int(port)), timeout=1).close()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return True
            time.sleep(1)
        except OSError:
            time.sleep(0.2)
    return False


def stop(children: list[subprocess.Popen[bytes]]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    if not os.environ.get("REDIS_URL"):
        embedded_redis.stop(ROOT / "instance")


def start(command: list[str]) -> subprocess.Popen[bytes]:
    """A child in a process group of its own: the terminal's Ctrl-C reaches only this process,
    which stops the children in order, once."""
    return subprocess.Popen(command, cwd=ROOT, process_group=0)


def main() -> int:
    port = os.environ.get("PORT", "5000")
    url = f"http://127.0.0.1:{port}"
    os.environ.setdefault("BASE_URL", url)
    stopping = False

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    # Ctrl-C, kill, or the terminal closing: the children, in their own process groups, hear of
    # none of these but from this process
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, on_signal)
    # an access log without client addresses, with the tokens in paths masked
    web = ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4", *GUNICORN_LOG_ARGS]
    children: list[subprocess.Popen[bytes]] = []
    failed = False
    try:  # whatever ends this process (an error included), the children end with it
        children.append(start([sys.executable, "worker.py"]))
        children.append(start([str(Path(sys.executable).parent / "gunicorn"), *web, "wsgi:app"]))
        if wait_until_up(port, children):
            from campaign.letters.demo import demo_password

            lines = [
                f"campaign is ready: {url}/  (mail it sends: {url}/dev/mailbox/)",
                f"Demo accounts, all with the password {demo_password()}:",
                *(f"  {account}" for account in demo_accounts()),
                "Ctrl-C stops everything.",
            ]
            print("\n".join(lines), flush=True)
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.2)
        failed = not stopping
    finally:
        stop(children)
    if failed:
        print("campaign: a process stopped unexpectedly; everything is stopped.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
