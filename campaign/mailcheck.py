"""Whether our mail server can deliver to an address, asked while the form is still open.

An address whose local part is not ASCII (``иван@почта.рф``) travels only through a server that
offers SMTPUTF8 (RFC 6531). Rather than telling such a signer "we have sent you an email" and
then failing to send it, forms ask the configured server's EHLO once and refuse the address on
the spot when the server cannot take it. The answer is cached per process for ten minutes.

When the server cannot be reached at form time, the address is accepted: mail is written to the
outbox and waits for the server anyway, most servers offer SMTPUTF8 (Postfix, Exim, the large
providers), and refusing would turn away every such signer for the length of an outage. That
unknown answer is kept for only thirty seconds, so an outage does not slow each signing. If the
server, once back, offers no SMTPUTF8, the message fails for good rather than retrying forever.
Addresses with an internationalised domain only need no check: the domain goes out as IDNA.
"""

from __future__ import annotations

import logging
import smtplib
import threading
import time

from flask import current_app

from campaign.mime import needs_smtputf8

log = logging.getLogger(__name__)

#: how long a server's answer is trusted
KNOWN_SECONDS = 600.0
#: how long "could not ask" stands before asking again
UNREACHABLE_SECONDS = 30.0
#: the longest a form waits for the server's greeting
CHECK_TIMEOUT = 5.0

_answers: dict[tuple[str, int, bool, bool], tuple[bool, float]] = {}
_lock = threading.Lock()


def can_receive(address: str) -> bool:
    """Whether the configured server will take mail for ``address`` (see the module's docstring)."""
    return not needs_smtputf8(address) or offers_smtputf8()


def offers_smtputf8() -> bool:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        return True  # the development mailbox keeps any address
    key = (config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_USE_SSL"], config["MAIL_USE_TLS"])
    now = time.monotonic()
    with _lock:
        known = _answers.get(key)
    if known and known[1] > now:
        return known[0]
    try:
        offered, keep = _ask(*key), KNOWN_SECONDS
    except (OSError, smtplib.SMTPException) as error:
        log.warning("mail server not reachable for its SMTPUTF8 check (%s); accepting", type(error).__name__)
        offered, keep = True, UNREACHABLE_SECONDS
    with _lock:
        _answers[key] = (offered, now + keep)
    return offered


def _ask(server: str, port: int, use_ssl: bool, use_tls: bool) -> bool:
    timeout = min(float(current_app.config["MAIL_TIMEOUT"]), CHECK_TIMEOUT)
    host = (smtplib.SMTP_SSL if use_ssl else smtplib.SMTP)(server, port, timeout=timeout)
    try:
        host.ehlo()
        if use_tls:
            host.starttls()
            host.ehlo()  # what a server offers after STARTTLS is what counts
        return host.has_extn("smtputf8")
    finally:
        try:
            host.quit()
        except (OSError, smtplib.SMTPException):
            host.close()
