"""A JSON file written whole or not at all: what pctby keeps between runs (the calendar, the
exchange rates, the FAQ's words) is written to a temporary file beside it and renamed over it,
so that no reader sees half of one and a crash leaves the old one as it was."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomically(path: Path, data: Any, *, prefix: str, **dump: Any) -> bool:
    """Write `data` to `path` as JSON (`dump`: json.dump's options); False where it cannot be
    written (a read-only home, a full disk) — its temporary file removed, `path` untouched."""
    tmp: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, **dump)
        os.replace(tmp, path)
        tmp = None
        return True
    except OSError:
        return False
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
