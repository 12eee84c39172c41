"""Reading the links our account mail carries, as a person would click them."""

from __future__ import annotations

import re

from tests.smtp import SMTPServer

BASE = "https://campaign.example.org"


def link_in_mail(smtp_server: SMTPServer, address: str) -> str:
    """The path of the one site link in the latest mail to ``address``."""
    messages = smtp_server.to(address)
    assert messages, f"no mail to {address}"
    match = re.search(re.escape(BASE) + r"(/\S+)", messages[-1].text())
    assert match, "no link in the mail"
    return match.group(1)
