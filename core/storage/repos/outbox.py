"""The reminder outbox: planned, claimed, sent, failed or cancelled alerts (the dispatcher's
steps)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

from core.storage.models import (
    Origin,
    OutboxRow,
    OutboxState,
    from_epoch,
)
from core.storage.repos._base import Row, _Repo

OUTBOX_COLS = (
    "id, user_id, case_id, origin, state, due_at, payload, attempts, sent_at, message_id, error"
)


def _outbox(r: Row) -> OutboxRow:
    return OutboxRow(
        id=r[0],
        user_id=r[1],
        case_id=r[2],
        origin=Origin(r[3]),
        state=OutboxState(r[4]),
        due_at=from_epoch(r[5]),
        payload=json.loads(r[6]),
        attempts=r[7],
        sent_at=None if r[8] is None else from_epoch(r[8]),
        message_id=r[9],
        error=r[10],
    )


def dump(payload: dict[str, Any]) -> str:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


class OutboxRepo(_Repo):
    """The durable reminder outbox: planned → claimed → sent | failed (or cancelled)."""

    async def get(self, owner: int, outbox_id: int) -> OutboxRow | None:
        r = await self._one(
            f"SELECT {OUTBOX_COLS} FROM outbox WHERE id = ? AND user_id = ?", (outbox_id, owner)
        )
        return None if r is None else _outbox(r)

    async def for_case(self, owner: int, case_id: int) -> list[OutboxRow]:
        rows = await self._all(
            f"SELECT {OUTBOX_COLS} FROM outbox WHERE case_id = ? AND user_id = ? ORDER BY id",
            (case_id, owner),
        )
        return [_outbox(r) for r in rows]

    async def put_plan(
        self, owner: int, case_id: int, due_at: int, payload: dict[str, Any]
    ) -> None:
        """Sets the one planned regular alert of the case (replacing the previous plan)."""
        await self._run(
            "INSERT INTO outbox (user_id, case_id, origin, state, due_at, payload, created_at)"
            " VALUES (?, ?, 'plan', 'planned', ?, ?, ?)"
            " ON CONFLICT (case_id) WHERE state = 'planned' AND origin = 'plan'"
            " DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload,"
            " attempts = 0, error = NULL",
            (owner, case_id, due_at, dump(payload), self.now()),
        )

    async def put_plans(self, rows: Iterable[tuple[int, int, int, str]]) -> None:
        """Bulk `put_plan` for (owner, case_id, due_at, payload JSON) — the planner's batch."""
        now = self.now()
        await self.conn.executemany(
            "INSERT INTO outbox (user_id, case_id, origin, state, due_at, payload, created_at)"
            " VALUES (?, ?, 'plan', 'planned', ?, ?, ?)"
            " ON CONFLICT (case_id) WHERE state = 'planned' AND origin = 'plan'"
            " DO UPDATE SET due_at = excluded.due_at, payload = excluded.payload,"
            " attempts = 0, error = NULL",
            [(o, c, d, p, now) for o, c, d, p in rows],
        )

    async def add_snooze(
        self,
        owner: int,
        case_id: int,
        due_at: int,
        payload: dict[str, Any],
        *,
        source: int | None = None,
    ) -> int:
        """A snoozed alert, due at `due_at`. `source`: the alert snoozed — its pending snooze,
        if any, is replaced (one per alert, however often the button is pressed)."""
        if source is not None:
            payload = {**payload, "snoozed_from": source}
            await self._run(
                "UPDATE outbox SET state = 'cancelled' WHERE user_id = ? AND case_id = ?"
                " AND origin = 'snooze' AND state = 'planned'"
                " AND json_extract(payload, '$.snoozed_from') = ?",
                (owner, case_id, source),
            )
        async with self.conn.execute(
            "INSERT INTO outbox (user_id, case_id, origin, state, due_at, payload, created_at)"
            " VALUES (?, ?, 'snooze', 'planned', ?, ?, ?)",
            (owner, case_id, due_at, dump(payload), self.now()),
        ) as cur:
            row_id = cur.lastrowid
        assert row_id is not None
        return row_id

    async def cancel_case(self, owner: int, case_id: int, origin: Origin | None = None) -> int:
        """Cancels the case's planned alerts (all, or of one origin)."""
        sql = (
            "UPDATE outbox SET state = 'cancelled' WHERE case_id = ? AND user_id = ?"
            " AND state = 'planned'"
        )
        params: list[Any] = [case_id, owner]
        if origin is not None:
            sql += " AND origin = ?"
            params.append(origin.value)
        return await self._run(sql, params)

    async def system_cancel_plans(self, case_ids: Iterable[int]) -> None:
        """Cancels the planned regular alert of each case (the bulk planner's batch)."""
        await self.conn.executemany(
            "UPDATE outbox SET state = 'cancelled' WHERE case_id = ?"
            " AND state = 'planned' AND origin = 'plan'",
            [(c,) for c in case_ids],
        )

    # --- the dispatcher's side (system, not owner-scoped) ----------------------------------

    async def due_ids(
        self, now: int, limit: int, exclude: Collection[int] = ()
    ) -> list[tuple[int, int, int]]:
        """Planned alerts due by `now` of users not blocked: (id, user_id, chat_id), oldest first,
        none for the chats `exclude` (a few: those the rate limiter holds back this second).

        The query of every tick: it walks the partial index `outbox_due` only.
        """
        skip = list(exclude)[:500]
        but = f" AND u.id NOT IN ({','.join('?' * len(skip))})" if skip else ""
        return [
            (r[0], r[1], r[2])
            for r in await self._all(
                "SELECT o.id, o.user_id, u.id FROM outbox o JOIN users u ON u.id = o.user_id"
                f" WHERE o.state = 'planned' AND o.due_at <= ? AND u.blocked = 0{but}"
                " ORDER BY o.due_at, o.id LIMIT ?",
                (now, *skip, limit),
            )
        ]

    async def next_due(self) -> int | None:
        r = await self._one(
            "SELECT o.due_at FROM outbox o JOIN users u ON u.id = o.user_id"
            " WHERE o.state = 'planned' AND u.blocked = 0 ORDER BY o.due_at LIMIT 1"
        )
        return None if r is None else int(r[0])

    async def row(self, outbox_id: int) -> OutboxRow | None:
        r = await self._one(f"SELECT {OUTBOX_COLS} FROM outbox WHERE id = ?", (outbox_id,))
        return None if r is None else _outbox(r)

    async def in_flight(self, case_id: int) -> bool:
        r = await self._one(
            "SELECT 1 FROM outbox WHERE case_id = ? AND state = 'claimed' LIMIT 1", (case_id,)
        )
        return r is not None

    async def mark(
        self,
        outbox_id: int,
        state: OutboxState,
        *,
        due_at: int | None = None,
        payload: dict[str, Any] | None = None,
        attempts: int | None = None,
        message_id: int | None = None,
        error: str | None = None,
    ) -> None:
        now = self.now()
        sets = ["state = ?"]
        params: list[Any] = [state.value]
        if state is OutboxState.CLAIMED:
            sets.append("claimed_at = ?")
            params.append(now)
        if state is OutboxState.SENT:
            sets += ["sent_at = ?", "message_id = ?"]
            params += [now, message_id]
        for col, value in (("due_at", due_at), ("attempts", attempts)):
            if value is not None:
                sets.append(f"{col} = ?")
                params.append(value)
        if payload is not None:
            sets.append("payload = ?")
            params.append(dump(payload))
        sets.append("error = ?")
        params += [error, outbox_id]
        await self._run(f"UPDATE outbox SET {', '.join(sets)} WHERE id = ?", params)

    async def release_claims(self) -> int:
        """After a crash: every claimed alert goes back to planned (it may have been sent)."""
        return await self._run(
            "UPDATE outbox SET state = 'planned', claimed_at = NULL, attempts = attempts + 1"
            " WHERE state = 'claimed'"
        )

    # --- a team alert's deliveries, one per chat (the dispatcher's side) -------------------

    async def sent_to(self, outbox_id: int, alert_key: str) -> set[int]:
        """The chats the alert `alert_key` of the row has already gone to (or failed for good)."""
        rows = await self._all(
            "SELECT chat_id FROM outbox_sends WHERE outbox_id = ? AND alert_key = ?",
            (outbox_id, alert_key),
        )
        return {int(r[0]) for r in rows}

    async def mark_sent(
        self,
        outbox_id: int,
        alert_key: str,
        chat_id: int,
        message_id: int | None,
        error: str | None = None,
    ) -> None:
        await self._run(
            "INSERT INTO outbox_sends (outbox_id, alert_key, chat_id, state, message_id, error,"
            " at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (
                outbox_id,
                alert_key,
                chat_id,
                "failed" if error else "sent",
                message_id,
                error,
                self.now(),
            ),
        )
