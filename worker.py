"""Run one RQ worker on every queue (mail, delivery, bulk), with RQ's scheduler: see campaign/worker.py.

python worker.py
"""

from campaign.worker import main

if __name__ == "__main__":
    main()
