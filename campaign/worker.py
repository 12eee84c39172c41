"""Run one RQ worker on every queue (mail, delivery, bulk), with RQ's scheduler.

python -m campaign.worker   (from an installed wheel; ``python worker.py`` in a checkout)
"""

from __future__ import annotations

import gc

from campaign import create_app
from campaign.jobs import make_worker
from campaign.production import ProductionConfigError


def main() -> None:
    try:
        app = create_app()
    except ProductionConfigError as exc:
        raise SystemExit(str(exc)) from None  # the list of problems, without a traceback
    gc.freeze()  # as in wsgi.py: the app's objects stay out of the collector's full passes
    with app.app_context():
        make_worker(app).work(with_scheduler=True, logging_level=app.config["WORKER_LOG_LEVEL"])


if __name__ == "__main__":
    main()
