"""The wheel an operator installs: built from this checkout, installed into a fresh virtual
environment, run from an empty directory (no checkout on its path), it serves the site."""

from __future__ import annotations

import os
import site
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import _stop_embedded_redis
from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent

#: the wheel's own SQLite and embedded Redis, whatever the environment names
pytestmark = [pytest.mark.slow, pytest.mark.same_everywhere]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (a loopback URL)
        return response.status, response.read().decode()


def test_the_installed_wheel_migrates_serves_and_runs_a_worker(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path / "dist")],
        check=True,
        capture_output=True,
    )
    [wheel] = (tmp_path / "dist").glob("campaign-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", str(wheel)],
        check=True,
        capture_output=True,
    )
    # the dependencies come from this checkout's environment, added after the new one's own
    # site-packages (a .pth line adds a folder without running the checkout's editable finder)
    [new_site] = (venv / "lib").glob("python*/site-packages")
    (new_site / "dependencies.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    port = free_port()
    kept = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env = kept | {"BASE_URL": f"http://127.0.0.1:{port}", "PYTHONPATH": ""}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([python, *args], cwd=empty, env=env, check=True, capture_output=True, text=True)

    where = run("-c", "import campaign; print(campaign.__file__)").stdout
    assert where.startswith(str(new_site)), where
    run("-m", "flask", "--app", "campaign", "db", "upgrade")
    run("-m", "flask", "--app", "campaign", "seed-demo")
    web = subprocess.Popen(
        [python, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1", "campaign:create_app()"],
        cwd=empty,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [python, "-m", "campaign.worker"], cwd=empty, env=env, stdout=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, html = _get(f"http://127.0.0.1:{port}/ru/")
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.5)
        assert status == 200
        assert '<html lang="ru">' in html and "Вход для партнёров" in html  # templates and a catalogue
        assert _get(f"http://127.0.0.1:{port}/static/style.css")[0] == 200
        assert (empty / "instance").is_dir()  # keys, the database and Redis in the working directory
        assert worker.poll() is None  # the worker runs (it exits at once when it cannot start)
    finally:
        web.terminate()
        worker.terminate()
        web.wait(30)
        worker.wait(30)
        _stop_embedded_redis(empty / "instance")
