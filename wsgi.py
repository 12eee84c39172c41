"""The WSGI entry point: ``gunicorn wsgi:app``, ``flask --app wsgi …``."""

import gc

from campaign import create_app

app = create_app()
# What the app holds from now on lives as long as the process: keep it out of the collector's
# full passes, which otherwise walk all of it again and again (about 5% of a signing request).
gc.freeze()
