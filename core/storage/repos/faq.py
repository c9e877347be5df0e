"""The FAQ's learning loop: questions kept for the staff and the paraphrases they taught."""

from __future__ import annotations

import datetime as dt

from core.storage.models import (
    from_epoch,
    to_epoch,
)
from core.storage.repos._base import Row, _Repo

# (id, lang, text, outcome, topic, score, times, first_at, last_at)
KeptRow = tuple[int, str, str, str, str | None, float, int, dt.datetime, dt.datetime]
# (id, lang, topic, text, taught_at)
TaughtRow = tuple[int, str, str, str, dt.datetime]
FAQ_TAUGHT_KEY = "faq.taught"  # meta: how many changes the taught paraphrases have seen


def _kept(r: Row) -> KeptRow:
    return (
        int(r[0]),
        str(r[1]),
        str(r[2]),
        str(r[3]),
        None if r[4] is None else str(r[4]),
        float(r[5]),
        int(r[6]),
        from_epoch(int(r[7])),
        from_epoch(int(r[8])),
    )


def _taught(r: Row) -> TaughtRow:
    return (int(r[0]), str(r[1]), str(r[2]), str(r[3]), from_epoch(int(r[4])))


class FaqRepo(_Repo):
    """The FAQ's learning loop (`core.faq.learning`), system-side: questions kept for the staff
    (never who asked them) and the paraphrases the staff taught."""

    KEPT_COLS = "id, lang, text, outcome, topic, score, times, first_at, last_at"

    async def keep(
        self, lang: str, text: str, key: str, outcome: str, topic: str | None, score: float
    ) -> None:
        """Keeps a question; asked again (the same `key` in `lang`), it counts once more and
        its latest reading replaces the older one."""
        now = self.now()
        await self._run(
            "INSERT INTO faq_kept (lang, text, key, outcome, topic, score, times, first_at,"
            " last_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)"
            " ON CONFLICT (lang, key) DO UPDATE SET text = excluded.text,"
            " outcome = excluded.outcome, topic = excluded.topic, score = excluded.score,"
            " times = faq_kept.times + 1, last_at = excluded.last_at",
            (lang, text, key, outcome, topic, score, now, now),
        )

    async def kept(self, limit: int) -> list[KeptRow]:
        """The latest kept questions, most recently asked first."""
        rows = await self._all(
            f"SELECT {self.KEPT_COLS} FROM faq_kept ORDER BY last_at DESC, id DESC LIMIT ?",
            (limit,),
        )
        return [_kept(r) for r in rows]

    async def kept_count(self) -> int:
        r = await self._one("SELECT count(*) FROM faq_kept")
        return int(r[0]) if r else 0

    async def kept_one(self, kept_id: int) -> KeptRow | None:
        r = await self._one(f"SELECT {self.KEPT_COLS} FROM faq_kept WHERE id = ?", (kept_id,))
        return None if r is None else _kept(r)

    async def forget_kept(self, lang: str, key: str) -> int:
        return await self._run("DELETE FROM faq_kept WHERE lang = ? AND key = ?", (lang, key))

    async def expire_kept(self, before: dt.datetime) -> int:
        """Forgets the questions last asked before `before`; returns how many."""
        return await self._run("DELETE FROM faq_kept WHERE last_at < ?", (to_epoch(before),))

    async def teach(self, lang: str, topic: str, text: str, key: str) -> int:
        """Stores a taught paraphrase; returns its id. Counts a change (`revision`)."""
        async with self.conn.execute(
            "INSERT INTO faq_taught (lang, topic, text, key, taught_at) VALUES (?, ?, ?, ?, ?)",
            (lang, topic, text, key, self.now()),
        ) as cur:
            taught_id = int(cur.lastrowid or 0)
        await self._bump()
        return taught_id

    async def taught(self) -> list[TaughtRow]:
        rows = await self._all(
            "SELECT id, lang, topic, text, taught_at FROM faq_taught ORDER BY id"
        )
        return [_taught(r) for r in rows]

    async def taught_one(self, taught_id: int) -> TaughtRow | None:
        r = await self._one(
            "SELECT id, lang, topic, text, taught_at FROM faq_taught WHERE id = ?", (taught_id,)
        )
        return None if r is None else _taught(r)

    async def untaught(self, taught_id: int) -> bool:
        """Removes a taught paraphrase; False if there is none with that id."""
        if not await self._run("DELETE FROM faq_taught WHERE id = ?", (taught_id,)):
            return False
        await self._bump()
        return True

    async def revision(self) -> int:
        """How many changes the taught paraphrases have seen (0: none yet)."""
        r = await self._one("SELECT value FROM meta WHERE key = ?", (FAQ_TAUGHT_KEY,))
        return int(r[0]) if r else 0

    async def _bump(self) -> None:
        await self._run(
            "INSERT INTO meta (key, value, updated_at) VALUES (?, '1', ?)"
            " ON CONFLICT (key) DO UPDATE SET value = CAST(meta.value AS INTEGER) + 1,"
            " updated_at = excluded.updated_at",
            (FAQ_TAUGHT_KEY, self.now()),
        )
