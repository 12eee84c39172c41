"""A lean SMTP server for the benchmarks: accepts every message and logs its recipients.

    python bench/smtp_sink.py --port 2525 --log received.log

aiosmtpd, which the tests use, spends about half a millisecond of CPU on each message; on a
2-core machine that is CPU the system under test would not have in production, where the
mail server runs elsewhere. This one speaks just enough SMTP (EHLO with PIPELINING, MAIL, RCPT,
DATA, RSET, NOOP, QUIT) to take mail from smtplib and from :mod:`campaign.smtp`, and appends
``<monotonic time> <recipient>`` lines to the log ten times a second. :class:`Sink` runs it in
its own process and reads the log back.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

EHLO = b"250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n"


class SinkProtocol(asyncio.Protocol):
    def __init__(self, accepted: list[str]) -> None:
        self.accepted = accepted
        self.buffer = b""
        self.in_data = False
        self.recipients: list[str] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: asyncio.Transport = transport  # type: ignore[assignment]
        self.transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        replies = []
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    break
                self.buffer, self.in_data = self.buffer[end + 5 :], False
                now = f"{time.monotonic():.4f}"
                self.accepted.extend(f"{now} {rcpt}\n" for rcpt in self.recipients)
                self.recipients = []
                replies.append(b"250 2.0.0 accepted\r\n")
                continue
            end = self.buffer.find(b"\r\n")
            if end < 0:
                break
            line, self.buffer = self.buffer[:end], self.buffer[end + 2 :]
            verb = line[:4].upper()
            if verb == b"EHLO":
                replies.append(EHLO)
            elif verb == b"HELO":
                replies.append(b"250 sink\r\n")
            elif verb == b"MAIL":
                self.recipients = []
                replies.append(b"250 2.1.0 ok\r\n")
            elif verb == b"RCPT":
                self.recipients.append(line[line.find(b"<") + 1 : line.rfind(b">")].decode())
                replies.append(b"250 2.1.5 ok\r\n")
            elif verb == b"DATA":
                # the terminator is CRLF.CRLF: an empty message ends at once
                self.in_data, self.buffer = True, b"\r\n" + self.buffer
                replies.append(b"354 end with <CRLF>.<CRLF>\r\n")
            elif verb in (b"RSET", b"NOOP"):
                self.recipients = []
                replies.append(b"250 2.0.0 ok\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"".join(replies) + b"221 2.0.0 bye\r\n")
                self.transport.close()
                return
            else:
                replies.append(b"502 5.5.2 not implemented\r\n")
        if replies:
            self.transport.write(b"".join(replies))


async def serve(port: int, log: Path) -> None:
    accepted: list[str] = []
    loop = asyncio.get_running_loop()
    await loop.create_server(lambda: SinkProtocol(accepted), "127.0.0.1", port, backlog=512)
    with log.open("a") as out:
        while True:
            await asyncio.sleep(0.1)
            if accepted:
                out.writelines(accepted)
                out.flush()
                accepted.clear()


class Sink:
    """The sink in a process of its own, and what it has received so far."""

    def __init__(self, port: int, log: Path) -> None:
        self.port, self.log = port, log
        log.write_text("")
        self.process = subprocess.Popen([sys.executable, __file__, "--port", str(port), "--log", str(log)])
        self.offset = 0
        time.sleep(0.5)

    def received(self) -> list[tuple[float, str]]:
        """(arrival time on the monotonic clock, recipient) of each message since the last call."""
        with self.log.open("rb") as source:
            source.seek(self.offset)
            chunk = source.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        self.offset += len(complete)
        return [
            (float(at), rcpt) for at, rcpt in (line.split(" ", 1) for line in complete.decode().splitlines())
        ]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--log", type=Path, required=True)
    arguments = parser.parse_args()
    asyncio.run(serve(arguments.port, arguments.log))
