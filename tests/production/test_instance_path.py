"""``INSTANCE_PATH`` gives each host a folder of its own for what it generates and keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from campaign import create_app, layout


def test_the_instance_folder_comes_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    for name in ("SECRET_KEY", "IDENTITY_KEY", "CAMPAIGN_ENV"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "host"
    monkeypatch.setenv("INSTANCE_PATH", str(folder))

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "REDIS_URL": "redis://127.0.0.1:1/0"})

    assert Path(app.instance_path) == folder
    # development keys are generated there, not in the checkout's instance/
    assert (folder / "secret_key").read_text().strip() == app.config["SECRET_KEY"]
    assert (folder / "identity_key").is_file()


def test_without_it_a_checkout_keeps_instance_at_its_top(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("INSTANCE_PATH", raising=False)

    assert layout.default_instance_path() == layout.CHECKOUT / "instance"
