"""Sustained dispatch rate against a local Bot API stand-in (an HTTP server on 127.0.0.1).

    .venv/bin/python bench/bench_dispatch.py --messages 750 --latency 0.005

The stand-in counts `sendMessage` calls per wall-clock second. Target: 24–25
messages per second sustained, never above 25 in any second.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import tempfile
import time
from pathlib import Path

import httpx

from core.models import Kind
from core.reminders import Alert, Dispatcher, Reminders
from core.storage import CaseInput, Store


class StandIn:
    """A minimal Bot API: answers every POST /bot<token>/sendMessage with ok."""

    def __init__(self, latency: float) -> None:
        self.latency = latency
        self.received: list[float] = []
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                await reader.readexactly(length)
                self.received.append(time.time())
                await asyncio.sleep(self.latency)
                n = len(self.received)
                body = json.dumps({"ok": True, "result": {"message_id": n}}).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()


class HttpNotifier:
    def __init__(self, client: httpx.AsyncClient, base: str) -> None:
        self.client = client
        self.base = base

    async def send(self, alert: Alert) -> int | None:
        text = f"{alert.ref}: " + ", ".join(f"{i.code} {i.date}" for i in alert.items)
        r = await self.client.post(
            f"{self.base}/sendMessage", json={"chat_id": alert.chat_id, "text": text}
        )
        return int(r.json()["result"]["message_id"])


async def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages", type=int, default=750)
    ap.add_argument("--latency", type=float, default=0.005, help="stand-in reply delay (s)")
    ap.add_argument("--concurrency", type=int, default=1)
    args = ap.parse_args()
    standin = StandIn(args.latency)
    await standin.start()
    with tempfile.TemporaryDirectory() as tmp:
        store = await Store.open(Path(tmp) / "d.sqlite3")
        reminders = Reminders(store)
        filed = store.clock.today() - dt.timedelta(days=900)  # entry deadline soon: alert due now
        async with store.transaction() as tx:
            for user in range(1, args.messages + 1):
                await tx.users.ensure(user)
                await tx.users.update(user, quiet_start=dt.time(0), quiet_end=dt.time(0))
                await reminders.save_case_in(tx, user, CaseInput(f"C-{user}", Kind.PATENT, filed))
        async with httpx.AsyncClient() as client:
            notifier = HttpNotifier(client, f"http://127.0.0.1:{standin.port}/botTOKEN")
            d = Dispatcher(reminders, notifier, concurrency=args.concurrency, tick=1)
            t0 = time.time()
            d.start()
            while d.sent < args.messages and time.time() - t0 < args.messages / 10 + 30:
                await asyncio.sleep(0.2)
            await d.stop()
        await store.close()
    per_second = collections.Counter(int(t) for t in standin.received)
    full = sorted(per_second.items())[1:-1]  # whole seconds only
    rates = [n for _s, n in full]
    span = standin.received[-1] - standin.received[0]
    print(
        f"sent {len(standin.received)} messages in {span:.1f} s: "
        f"{(len(standin.received) - 1) / span:.2f} msg/s sustained; per whole second "
        + (f"min {min(rates)}, max {max(rates)}" if rates else "(no whole second: too few)")
    )


if __name__ == "__main__":
    asyncio.run(main())
