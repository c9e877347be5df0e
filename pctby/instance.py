"""One bot per database: `pctby run` holds a lock file beside the database while it runs.

`<database>.run.lock` is locked with `flock` (the kernel drops the lock when the process ends,
however it ends: no stale lease to expire) and holds a line naming the holder — process id, host
and start time — for the sentence the second `pctby run` prints before it exits with status 1.
Only `pctby run` takes it: import, export, case, backup and replan keep working beside the bot
(SQLite's WAL lets them read and write while it runs).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from pathlib import Path

from core.clock import SystemClock


class AlreadyRunningError(Exception):
    """Another `pctby run` holds the database; the message names it."""


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".run.lock")


class InstanceLock:
    """`with InstanceLock(db):` — AlreadyRunningError if another process holds it."""

    def __init__(self, db: Path) -> None:
        self.path = lock_path(db)
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.read(fd, 300).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise AlreadyRunningError(holder) from None
        started = SystemClock().now().isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}, since {started}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
