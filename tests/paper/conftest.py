"""Paper tests seed online signatures with the dashboard's factory."""

from tests.dashboard.conftest import add_signatures  # noqa: F401  (a fixture)
