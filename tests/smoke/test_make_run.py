"""A newcomer's first minute: ``make run`` in a fresh checkout, then Ctrl-C."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


def checkout_copy(target: Path) -> Path:
    """The checkout's files (tracked or not yet, but not ignored) beside this test run's virtualenv."""
    listed = ["git", "ls-files", "--cached", "--others", "--exclude-standard"]
    files = subprocess.run(listed, cwd=ROOT, capture_output=True, text=True, check=True)
    for name in files.stdout.splitlines():
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    (target / ".venv").symlink_to(Path(sys.prefix))
    return target


def processes_under(folder: Path) -> list[str]:
    """Command lines of running processes that mention ``folder`` (the copy's own processes)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if str(folder) in command:
                found.append(f"{entry.name}: {command}")
    return found


@pytest.fixture
def make_run(tmp_path):
    """``make run`` started as a terminal would (its own session), on a free port, with the
    defaults a newcomer gets (no DATABASE_URL, no REDIS_URL); its output and the copy.

    The copy sits in a short folder: the embedded Redis's socket path must fit in 107 bytes."""
    copy = checkout_copy(Path(tempfile.mkdtemp(prefix="campaign-run-")))
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    output = tmp_path / "make-run.log"
    with output.open("wb") as log:
        # -o: the install step is this test run's, not the copy's to redo
        process = subprocess.Popen(
            ["make", "-o", ".venv/.installed", "run", f"PORT={free_port()}"],
            cwd=copy,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield process, output, copy
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    for line in processes_under(copy):
        os.kill(int(line.split(":")[0]), signal.SIGKILL)
    shutil.rmtree(copy)


def wait_for(output: Path, text: str, process: subprocess.Popen, seconds: float = 240) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        if text in (found := output.read_text(errors="replace")):
            return found
        time.sleep(0.5)
    return output.read_text(errors="replace")


@pytest.mark.slow
@pytest.mark.skipif(
    bool(os.environ.get("DATABASE_URL")),
    reason="make run's defaults do not depend on the database under test",
)
def test_make_run_names_the_demo_accounts_and_ctrl_c_stops_everything_it_started(make_run):
    process, output, copy = make_run

    ready = wait_for(output, "Ctrl-C stops everything.", process)
    assert "Ctrl-C stops everything." in ready, ready
    assert "admin@example.org" in ready
    assert "password demo-partner-password" in ready
    assert processes_under(copy), "nothing of make run is running"
    os.killpg(process.pid, signal.SIGINT)  # what the terminal does on Ctrl-C
    process.wait(timeout=60)
    time.sleep(1)

    log = output.read_text(errors="replace")
    assert processes_under(copy) == [], log
    assert "No child processes" not in log
    assert "***" not in log  # make's mark of a recipe that failed or was interrupted
    assert [line for line in log.splitlines() if "warning" in line.lower()] == []
