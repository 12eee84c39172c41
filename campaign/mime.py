"""The one writer of every message we send: its MIME text as it goes over SMTP, with CRLF line ends.

Every message is valid on the wire whatever it holds: lines stay far within RFC 5321's 998
octets, and the whole message is 7-bit (text parts and attachments in base64, headers in RFC
2047 encoded words, domains as IDNA A-labels) so that any server takes it, with or without
8BITMIME. The one thing 7-bit cannot carry is an internationalised local part (``дина@пример.рф``):
that needs a server offering SMTPUTF8 (RFC 6531), and without one the writer raises
:class:`AddressNotSendable`.

Python's ``email`` package would do this too, but costs most of a millisecond a message; at the
rate an update fans out, that was a third of the work. So the writer is written out here, with
what repeats (the sender, the subject of a fan-out) cached.
"""

from __future__ import annotations

import base64
import binascii
import re
import secrets
from collections.abc import Iterable
from email.header import Header
from email.utils import encode_rfc2231, formatdate
from functools import lru_cache

import idna
from flask import current_app
from flask_mail import Attachment, Message

_NEWLINES = re.compile(r"\r\n|\r|\n")
#: a display name that needs no quoting (RFC 5322 atoms and spaces)
_ATOMS = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*")
#: what no address may hold: line breaks and the characters that delimit addresses
_NOT_IN_ADDRESS = re.compile(r"[\s<>(),;:\"\[\]\\\x00-\x1f\x7f]")
#: a header line's length we fold at, well within the 998 octets allowed
_FOLD = 76
#: UTF-8 octets in one encoded word: 60 base64 characters, a word of 72 (RFC 2047 allows 75)
_WORD_BYTES = 45
#: RFC 5322's field name: printable ASCII but the colon
_HEADER_NAME = re.compile(r"[!-9;-~]+")
#: a word and the spaces after it
_WORDS = re.compile(r"\S+\s*|\s+")


class AddressNotSendable(ValueError):
    """An address the message cannot carry: not an address at all, or an internationalised local
    part while the server offers no SMTPUTF8. Retrying through the same server will not help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def split_address(address: str | tuple[str, str]) -> tuple[str, str]:
    """(display name, bare address) of ``"Name <local@domain>"``, a bare address or a pair.

    Not ``email.utils.parseaddr``: Flask-Mail writes a (name, address) sender as
    ``"%s <%s>"`` without quoting, and a name holding a comma or quotes (an organisation's name)
    would then parse as no address at all.
    """
    if isinstance(address, tuple):
        return address
    written = address.strip()
    if written.endswith(">") and "<" in written:
        name, _, bare = written[:-1].rpartition("<")
        name = name.strip()
        if len(name) >= 2 and name[0] == name[-1] == '"':
            name = re.sub(r"\\(.)", r"\1", name[1:-1])
        return name, bare.strip()
    return "", written


def needs_smtputf8(address: str) -> bool:
    """Whether ``address`` can only travel through a server offering SMTPUTF8 (a non-ASCII local part)."""
    return not split_address(address)[1].rpartition("@")[0].isascii()


@lru_cache(maxsize=256)
def _domain(domain: str) -> str:
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise AddressNotSendable("the domain is not a valid internationalised domain name") from error


def addr_spec(address: str, smtputf8: bool) -> str:
    """``local@domain`` of a bare address, the domain as an IDNA A-label; raises
    :class:`AddressNotSendable` for what cannot be sent (given whether SMTPUTF8 is offered)."""
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or _NOT_IN_ADDRESS.search(address):
        raise AddressNotSendable("not an email address")
    if not local.isascii() and not smtputf8:
        raise AddressNotSendable("an internationalised address needs a mail server offering SMTPUTF8")
    return f"{local}@{_domain(domain)}"


def _encoded_words(text: str) -> str:
    """RFC 2047 encoded words (base64), folded one a line, each cut after a space where it can be.

    The space stays inside the word before the cut: a decoder that drops the whitespace between
    encoded words, as RFC 2047 says, reads the text back exactly, and one that keeps it (Python's
    address parser does) adds a space rather than splitting a word in two.
    """
    chunks: list[bytes] = []
    current = b""
    for word in _WORDS.findall(text):
        data = word.encode()
        if current and len(current) + len(data) > _WORD_BYTES:
            chunks.append(current)
            current = b""
        while len(data) > _WORD_BYTES:  # one word too long for an encoded word: cut between characters
            cut = _WORD_BYTES
            while data[cut] & 0xC0 == 0x80:
                cut -= 1
            chunks.append(data[:cut])
            data = data[cut:]
        current += data
    chunks.append(current)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(chunk).decode()}?=" for chunk in chunks)


@lru_cache(maxsize=64)
def encoded_text(text: str, header_name: str = "Subject") -> str:
    """``text`` as a header value: as it is if plain ASCII (folded at spaces if long), else RFC
    2047 encoded words that decode character for character."""
    text = _NEWLINES.sub(" ", text)
    if text.isascii():
        if len(text) < _FOLD - len(header_name):
            return text
        folded = Header(text, "us-ascii", header_name=header_name).encode(linesep="\r\n")
        if all(len(line) < 990 for line in folded.split("\r\n")):
            return folded
    return _encoded_words(text)


@lru_cache(maxsize=256)
def _address(address: str | tuple[str, str], smtputf8: bool) -> str:
    name, bare = split_address(address)
    spec = addr_spec(bare, smtputf8)
    if not name:
        return spec
    if not name.isascii():
        return f"{_encoded_words(name)} <{spec}>"
    if _ATOMS.fullmatch(name):
        return f"{name} <{spec}>"
    quoted = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{quoted}" <{spec}>'


def _address_list(addresses: Iterable[str | tuple[str, str]], smtputf8: bool) -> str:
    """Addresses joined, one per line after the first when they are many (folded, RFC 5322 2.2.3)."""
    written = [_address(address, smtputf8) for address in dict.fromkeys(addresses)]
    joined = ", ".join(written)
    return joined if len(joined) < _FOLD else ",\r\n ".join(written)


@lru_cache(maxsize=32)
def _checked_name(name: str) -> str:
    if not _HEADER_NAME.fullmatch(name):
        raise ValueError(f"not a header name: {name!r}")
    return name


def _header_value(name: str, value: str) -> str:
    _checked_name(name)
    if value.isascii() and len(value) < 998 - len(name) - 2 and "\n" not in value and "\r" not in value:
        return value
    if _NEWLINES.search(value):
        raise ValueError(f"a line break in the {name} header")
    return encoded_text(value, name)


def _base64(data: bytes) -> bytes:
    """Base64 in lines of 76 characters ending in CRLF (one encoding call and slices: a third
    faster than ``base64.encodebytes`` and its replacing of line ends)."""
    encoded = binascii.b2a_base64(data, newline=False)
    return b"\r\n".join([encoded[i : i + 76] for i in range(0, len(encoded), 76)]) + b"\r\n"


def _text_part(subtype: str, text: str) -> bytes:
    return (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'.encode()
        + _base64(_NEWLINES.sub("\r\n", text).encode())
    )


def _parameter(name: str, value: str) -> str:
    """A Content-Type or Content-Disposition parameter; RFC 2231 for a non-ASCII value."""
    if value.isascii() and not _NEWLINES.search(value):
        return '{}="{}"'.format(name, value.replace("\\", "\\\\").replace('"', '\\"'))
    return f"{name}*={encode_rfc2231(_NEWLINES.sub(' ', value), 'utf-8')}"


def _attachment_part(attachment: Attachment) -> bytes:
    data = attachment.data.encode() if isinstance(attachment.data, str) else attachment.data
    content_type = attachment.content_type or "application/octet-stream"
    disposition = attachment.disposition or "attachment"
    lines = [f"Content-Type: {content_type}", "Content-Transfer-Encoding: base64"]
    if attachment.filename:
        lines[0] += "; " + _parameter("name", attachment.filename)
        disposition += ";\r\n " + _parameter("filename", attachment.filename)
    lines.append(f"Content-Disposition: {disposition}")
    lines.extend(
        f"{name}: {_header_value(name, value)}" for name, value in (attachment.headers or {}).items()
    )
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + _base64(data)


def _multipart(subtype: str, parts: list[bytes]) -> bytes:
    if len(parts) == 1:
        return parts[0]
    # "_" never occurs in base64, so the boundary cannot occur in the parts
    boundary = f"=_{secrets.token_hex(12)}".encode()
    return b"".join(
        (
            b"Content-Type: multipart/" + subtype.encode() + b'; boundary="' + boundary + b'"\r\n\r\n',
            *(b"--" + boundary + b"\r\n" + part for part in parts),
            b"--" + boundary + b"--\r\n",
        )
    )


def named_sender(sender: str | tuple[str, str]) -> str | tuple[str, str]:
    """A From without a display name (a bare ``MAIL_DEFAULT_SENDER``, as Flask-Mail puts on every
    message) named ``OPERATOR_NAME``, so that a signer sees who writes to them, not an address."""
    name, address = split_address(sender)
    return sender if name else (current_app.config["OPERATOR_NAME"], address)


def message_bytes(message: Message, smtputf8: bool = False) -> bytes:
    """``message`` as it goes over SMTP; ``smtputf8`` says whether the server offers SMTPUTF8.

    Raises :class:`AddressNotSendable` for an address it cannot carry, ``ValueError`` for a
    header that cannot be written (a line break in it).
    """
    sender = named_sender(message.sender or current_app.config["MAIL_DEFAULT_SENDER"])
    headers = [
        ("From", _address(sender, smtputf8)),
        ("To", _address_list(message.recipients, smtputf8)),
    ]
    if message.cc:
        headers.append(("Cc", _address_list(message.cc, smtputf8)))
    if message.reply_to:
        headers.append(("Reply-To", _address(message.reply_to, smtputf8)))
    headers += [
        ("Subject", encoded_text(message.subject or "")),
        ("Date", formatdate(message.date, usegmt=True)),
        ("Message-ID", message.msgId),
        ("MIME-Version", "1.0"),
    ]
    headers += [(name, _header_value(name, value)) for name, value in (message.extra_headers or {}).items()]
    texts = [] if message.body is None else [_text_part("plain", message.body)]
    texts += [_text_part(subtype, text) for subtype, text in message.alts.items()]
    if not texts:
        texts = [_text_part("plain", "")]
    body = _multipart("alternative", texts)
    if message.attachments:
        body = _multipart("mixed", [body, *(_attachment_part(a) for a in message.attachments)])
    return "".join(f"{name}: {value}\r\n" for name, value in headers).encode() + body
