"""Where the app's data directories are: beside the package in a checkout (the design card's
top level), inside it in an installed wheel (``pyproject.toml`` maps them there)."""

from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent


def data_dir(name: str) -> Path:
    """``templates``, ``static``, ``translations`` or ``migrations``."""
    installed = PACKAGE / name
    return installed if installed.is_dir() else CHECKOUT / name


def default_instance_path() -> Path:
    """``INSTANCE_PATH`` when set; otherwise a checkout keeps ``instance/`` at its top, an
    installed wheel in the working directory (site-packages is no place for keys and a database)."""
    if os.environ.get("INSTANCE_PATH"):
        return Path(os.environ["INSTANCE_PATH"])
    if (CHECKOUT / "pyproject.toml").is_file() and not (PACKAGE / "templates").is_dir():
        return CHECKOUT / "instance"
    return Path.cwd() / "instance"


def stored_files(*parts: str) -> Path:
    """A folder of the files people upload and jobs write (photos, logos, scans, exports) under
    ``FILES_PATH``, made if missing. On several hosts that is one shared mount: an export a worker
    host writes is downloaded through any web host, a photo uploaded to one is served by all."""
    path = Path(current_app.config["FILES_PATH"]).joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True)
    return path
