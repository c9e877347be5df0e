"""Taught FAQ paraphrases as stored: checked again whenever they are read, so that a stored
value never breaks a reader (a topic a newer release dropped, a language no catalog has…), and
read without the storage layer by `pctby ask` (read only, nothing migrated or written)."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Final, cast

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.faq.base import FaqBase
from core.faq.models import Taught
from core.faq.text import Lang
from core.text import clean

log = logging.getLogger(__name__)

MAX_TAUGHT: Final = 300  # characters of a taught paraphrase


def one_line(text: str) -> str:
    """`text` as one clean line (format characters gone, runs of white space one space)."""
    return " ".join(clean(text).split())


class _Stored(BaseModel):
    """A taught paraphrase as read back from the database: checked before any reader uses it."""

    model_config = ConfigDict(frozen=True)
    id: int
    lang: Lang
    topic: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    text: Annotated[str, Field(min_length=1, max_length=MAX_TAUGHT)]


def valid_taught(rows: Sequence[tuple[int, str, str, str]], faq: FaqBase) -> list[Taught]:
    """The rows (id, lang, topic, text) that every reader can use; the others are logged."""
    out: list[Taught] = []
    for row in rows:
        try:
            item = _Stored(id=row[0], lang=cast(Lang, row[1]), topic=row[2], text=row[3])
        except ValidationError:
            log.warning("taught FAQ paraphrase #%s skipped: not valid", row[0])
            continue
        if item.topic not in faq.topics:
            log.warning("taught FAQ paraphrase #%s skipped: no topic %s", item.id, item.topic)
            continue
        out.append(Taught(topic=item.topic, lang=item.lang, text=item.text, id=item.id))
    return out


def read_taught(path: Path, faq: FaqBase) -> list[Taught]:
    """The taught paraphrases in the database at `path`, read only (no migration, nothing
    written): for `pctby ask`. None if there is no such database or no such table yet."""
    if not path.is_file():
        return []
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return []
    try:
        rows = conn.execute("SELECT id, lang, topic, text FROM faq_taught ORDER BY id").fetchall()
    except sqlite3.Error:  # an older schema, or not a pctby database
        return []
    finally:
        conn.close()
    return valid_taught([(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows], faq)
