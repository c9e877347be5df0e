"""Numbered schema migrations, applied in order at start-up.

Each migration is a module `mNNNN_name.py` holding `SQL` (Python modules rather than `.sql`
files, so that they ship inside the wheel with no package-data rule). A migration runs in one
transaction together with the row that records it in `schema_version`; a database at any
earlier version (or empty) is brought to `LATEST`. Never edit a published migration: add one.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def _load() -> tuple[Migration, ...]:
    found: list[Migration] = []
    for info in pkgutil.iter_modules(__path__):
        if not (info.name.startswith("m") and info.name[1:5].isdigit()):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.append(Migration(int(info.name[1:5]), info.name[6:], str(module.SQL)))
    found.sort(key=lambda m: m.version)
    for expected, m in enumerate(found, start=1):
        if m.version != expected:
            raise RuntimeError(f"migration numbers must run 1, 2, 3…; found {m.version}")
    return tuple(found)


MIGRATIONS: tuple[Migration, ...] = _load()
LATEST: int = MIGRATIONS[-1].version
