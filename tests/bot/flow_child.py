"""A bot half-way through a user's /addcase, for `test_flows_sigkill.py` to kill with SIGKILL.

    python -m tests.bot.flow_child DB ISO_DATE

Builds the application on DB (clock frozen on ISO_DATE), has user 7001 answer /addcase's first
two questions (the reference and the priority date), prints "ready" and waits to be killed: no
`post_stop`, no `post_shutdown` ever runs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
from pathlib import Path

import httpx

from bot.app import Options, build_application, running
from bot.offline import OfflineBotApi
from core.clock import FrozenClock
from core.rates import RateService
from core.settings import Settings
from tests.bot.helpers import nbrb
from tests.scripted import Chat


async def main(db: str, day: str) -> None:
    clock = FrozenClock(dt.date.fromisoformat(day))
    folder = Path(tempfile.mkdtemp())
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        bot_token=None,
        db=Path(db),
        console_dir=folder / "console",
    )
    rates = RateService(folder / "rates.json", transport=httpx.MockTransport(nbrb), clock=clock)
    app = build_application(
        settings, Options(rates=rates, clock=clock, dispatch=False), request=OfflineBotApi()
    )
    async with running(app):
        user = Chat(app, 7001, language_code="en")
        await user.send("/addcase")
        await user.send("K-1")
        said = " ".join(s.plain for s in await user.send("15.03.2024"))
        assert "filing date" in said, said
        print("ready", flush=True)
        await asyncio.Event().wait()  # until SIGKILL


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
