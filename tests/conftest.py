"""Fixtures shared by the storage, reminders and import/export tests, and the rule that no
test reaches the internet (`no_internet`)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.storage import Store
from tests.helpers import NO_INTERNET
from tests.reminders.fakes import FakeClock


def _local(host: object) -> bool:
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True, scope="session")
def no_internet() -> Iterator[None]:
    """In this process a lookup of any outside host fails at once (a test that needs one has
    a recorded fixture or a local stand-in instead); children get `NO_INTERNET`."""
    real = socket.getaddrinfo

    def refuse(host: object, *args: Any, **kwargs: Any) -> Any:
        if not _local(host):
            raise socket.gaierror(socket.EAI_NONAME, f"tests never reach the internet ({host!r})")
        return real(host, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.MonkeyPatch.context() as patch:
        for name, value in NO_INTERNET.items():
            patch.setenv(name, value)
            patch.delenv(name.lower(), raising=False)
        patch.setattr(socket, "getaddrinfo", refuse)
        yield


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
async def store(tmp_path: Path, clock: FakeClock) -> AsyncIterator[Store]:
    s = await Store.open(tmp_path / "db" / "t.sqlite3", clock=clock)
    yield s
    await s.close()
