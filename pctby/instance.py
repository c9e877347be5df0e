"""One bot per database: `pctby run` holds a lock file beside the database while it runs.

`<database>.run.lock` — named after the database's *resolved* path, so that a symlink or
another spelling of the path finds the same lock — is locked with `flock` (the kernel drops the
lock when the process ends, however it ends: no stale lease to expire). While held it names the
holder — what it is (`pctby run`, `pctby restore`), process id, host and start time — for the
sentence the second one prints before it exits with status 7 (`pctby.exits.BUSY`). At a stop
the holder writes how it ended ("stopped … : clean stop", or the failure that ended it), which
`pctby health` shows once nobody holds the lock.

Only `pctby run` and `pctby restore` take it: import, export, case, backup and replan keep
working beside the bot (SQLite's WAL lets them read and write while it runs).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from core.clock import SystemClock

RETRY_FOR = 1.0  # seconds a start waits for a lock someone only looks at (`probe`)


class AlreadyRunningError(Exception):
    """Another process holds the database; the message names it."""


def lock_path(db: Path) -> Path:
    real = db.expanduser().resolve()
    return real.with_name(real.name + ".run.lock")


def _now() -> str:
    return SystemClock().now().isoformat(timespec="seconds")


class InstanceLock:
    """`with InstanceLock(db):` — AlreadyRunningError if another process holds it. `role`
    names the holder in the sentence a second one prints."""

    def __init__(self, db: Path, role: str = "pctby run") -> None:
        self.path = lock_path(db)
        self.role = role
        self._fd: int | None = None

    def acquire(self) -> None:
        from core.storage.db import private_folder

        private_folder(self.path.parent)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError:
                if time.monotonic() < deadline:  # a health probe holds it for a moment
                    time.sleep(0.05)
                    continue
                holder = os.read(fd, 300).decode("utf-8", "replace").strip() or "another process"
                os.close(fd)
                raise AlreadyRunningError(holder) from None
        line = f"{self.role}, pid {os.getpid()} on {socket.gethostname()}, since {_now()}\n"
        os.ftruncate(fd, 0)
        os.pwrite(fd, line.encode(), 0)
        self._fd = fd

    def release(self, outcome: str = "clean stop") -> None:
        """Drops the lock, leaving a line that says how the holder ended (`probe`)."""
        if self._fd is not None:
            line = f"{self.role} stopped {_now()} (pid {os.getpid()}): {outcome}\n"
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, 0)
                os.pwrite(self._fd, line.encode()[:1000], 0)
            os.close(self._fd)  # closing drops the lock
            self._fd = None

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


@dataclass(frozen=True, slots=True)
class LockState:
    held: bool  # a process holds the database now
    line: str  # the holder, or how the last one ended ("" if none ever ran)


def probe(db: Path) -> LockState | None:
    """Is a `pctby run` holding the database now? (for `pctby health`; creates nothing). The
    lock is tried shared and let go at once; a start that meets it waits (`RETRY_FOR`).
    None: the lock file cannot be read (another user's), so this cannot tell."""
    try:
        fd = os.open(lock_path(db), os.O_RDONLY)
    except FileNotFoundError:
        return LockState(False, "")
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            held = True
        else:
            held = False
            fcntl.flock(fd, fcntl.LOCK_UN)
        line = os.pread(fd, 1000, 0).decode("utf-8", "replace").strip()
    finally:
        os.close(fd)
    return LockState(held, line)
