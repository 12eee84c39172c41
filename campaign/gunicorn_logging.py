"""gunicorn's access log without the client's address, user agent, referrer or query, and with
the tokens in paths masked (``--logger-class campaign.gunicorn_logging.PrivateLogger``).

gunicorn writes the access log itself, before our app sees the line; the default format starts
with the client's IP and holds the full request line, /verify/ tokens included.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from campaign.redact import mask_path

#: the format `make run` uses: time, method, masked path, status, bytes, milliseconds
ACCESS_LOG_FORMAT = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
#: gunicorn's logging options for `make run` (campaign.devrun), and for production
GUNICORN_LOG_ARGS = [
    "--logger-class",
    "campaign.gunicorn_logging.PrivateLogger",
    "--access-logfile",
    "-",
    "--access-logformat",
    ACCESS_LOG_FORMAT,
]


class PrivateLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms = super().atoms(resp, req, environ, request_time)
        path = mask_path(environ.get("PATH_INFO") or "")
        kept = {key: atoms[key] for key in ("t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p")}
        return kept | {
            "h": "-",
            "l": "-",
            "u": "-",
            "f": "-",
            "a": "-",
            "q": "",
            "U": path,
            "r": f"{atoms['m']} {path} {atoms['H']}",
        }
