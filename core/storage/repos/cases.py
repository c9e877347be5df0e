"""Owner-scoped repositories. None of them commits: the caller's unit of work does.

Every method that touches a case, an event, an alert or a ticket takes the owner's Telegram id
and filters on it in SQL, so a guessed `ref` or id of another user's row behaves exactly like a
missing one. The few system-side methods (the dispatcher's, the staff desk's) say so by name.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import aiosqlite

from core.deadlines import Event, EventKind
from core.models import Kind
from core.storage.models import (
    Broadcast,
    Case,
    CaseInput,
    Direction,
    EventSource,
    Origin,
    OutboxRow,
    OutboxState,
    PlanningSnapshot,
    StoredEvent,
    Ticket,
    TicketMessage,
    TicketStatus,
    User,
    from_epoch,
    to_epoch,
)

Now = Callable[[], int]
Row = Any  # sqlite3.Row-like tuple


class DuplicateRef(ValueError):
    """The owner already has a case with this ref."""


def _date(value: str | None) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(value)


def _time(value: str | None) -> dt.time | None:
    return None if value is None else dt.time.fromisoformat(value)


def _days(value: str | None) -> tuple[int, ...] | None:
    if value is None:
        return None
    return tuple(int(v) for v in value.split(",") if v.strip())


CHUNK = 500  # keys of one IN list (SQLite's limit on bound parameters is far above)


class _Repo:
    def __init__(self, conn: aiosqlite.Connection, now: Now) -> None:
        self.conn = conn
        self.now = now

    async def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        """The first row (queries of at most a few rows: by key, LIMIT 1, an aggregate)."""
        rows = await self.conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        # one call into aiosqlite's thread (execute, fetch and close would be three)
        return list(await self.conn.execute_fetchall(sql, params))

    async def _in(self, sql: str, first: Sequence[Any], keys: Sequence[Any]) -> list[Row]:
        """`sql` with `{marks}` (an IN list) for `keys`, `CHUNK` keys a query; `first`: the
        parameters before the list."""
        rows: list[Row] = []
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            rows += await self._all(sql.format(marks=marks), (*first, *chunk))
        return rows

    async def _run(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Executes; returns the number of rows changed."""
        async with self.conn.execute(sql, params) as cur:
            return int(cur.rowcount)


USER_COLS = (
    "id, chat_id, language, tz, alert_time, quiet_start, quiet_end, lead_days, "
    "grace_lead_days, blocked, created_at"
)


def user_from_row(r: Row) -> User:
    return User(
        id=r[0],
        # What the bot sends on its own goes to the user's private chat, whose id is the
        # user's: never to a chat stored from a group (older rows may hold one).
        chat_id=r[0],
        language=r[2],
        tz=r[3],
        alert_time=_time(r[4]),
        quiet_start=_time(r[5]),
        quiet_end=_time(r[6]),
        lead_days=_days(r[7]),
        grace_lead_days=_days(r[8]),
        blocked=bool(r[9]),
        created_at=from_epoch(r[10]),
    )


_UNSET: Any = object()


class UserRepo(_Repo):
    async def get(self, user_id: int) -> User | None:
        r = await self._one(f"SELECT {USER_COLS} FROM users WHERE id = ?", (user_id,))
        return None if r is None else user_from_row(r)

    async def ensure(
        self, user_id: int, *, chat_id: int | None = None, language: str | None = None
    ) -> User:
        """The user, created on first sight (chat id defaults to the user id: a private chat).

        An existing user's language is set only where given; nothing else changes.
        """
        now = self.now()
        await self._run(
            "INSERT INTO users (id, chat_id, language, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (user_id, chat_id if chat_id is not None else user_id, language, now, now),
        )
        if language is not None:
            await self._run(
                "UPDATE users SET language = ?, updated_at = ? WHERE id = ? AND language IS NOT ?",
                (language, now, user_id, language),
            )
        user = await self.get(user_id)
        assert user is not None
        return user

    async def ensure_many(self, user_ids: Iterable[int]) -> None:
        """`ensure` (without a language) for many users: those new are created."""
        now = self.now()
        await self.conn.executemany(
            "INSERT INTO users (id, chat_id, language, created_at, updated_at)"
            " VALUES (?, ?, NULL, ?, ?) ON CONFLICT (id) DO NOTHING",
            [(user_id, user_id, now, now) for user_id in user_ids],
        )

    async def seen(
        self, user_id: int, chat_id: int | None = None, language: str | None = None
    ) -> bool:
        """The user wrote to the bot: clears `blocked`. The chat the bot writes to on its own
        is the user's private chat (its id is the user's), whatever chat this came from:
        `chat_id` is not stored.

        Returns True where the user had been blocked (the caller then replans their cases).
        """
        before = await self.ensure(user_id, language=language)
        if before.blocked or before.chat_id != user_id:
            await self._run(
                "UPDATE users SET chat_id = id, blocked = 0, updated_at = ? WHERE id = ?",
                (self.now(), user_id),
            )
        return before.blocked

    async def update(
        self,
        user_id: int,
        *,
        language: str | None = _UNSET,
        tz: str | None = _UNSET,
        alert_time: dt.time | None = _UNSET,
        quiet_start: dt.time | None = _UNSET,
        quiet_end: dt.time | None = _UNSET,
        lead_days: Iterable[int] | None = _UNSET,
        grace_lead_days: Iterable[int] | None = _UNSET,
    ) -> bool:
        """Sets the given settings (None resets one to its default)."""
        sets: list[str] = []
        params: list[Any] = []

        def put(col: str, value: Any) -> None:
            if value is not _UNSET:
                sets.append(f"{col} = ?")
                params.append(value)

        put("language", language)
        put("tz", tz)
        for col, t in (
            ("alert_time", alert_time),
            ("quiet_start", quiet_start),
            ("quiet_end", quiet_end),
        ):
            put(col, t if t is _UNSET or t is None else t.strftime("%H:%M"))
        for col, days in (("lead_days", lead_days), ("grace_lead_days", grace_lead_days)):
            if days is _UNSET or days is None:
                put(col, days)
            else:
                put(col, ",".join(str(int(d)) for d in sorted(set(days), reverse=True)))
        if not sets:
            return False
        sets.append("updated_at = ?")
        params += [self.now(), user_id]
        return await self._run(f"UPDATE users SET {', '.join(sets)} WHERE id = ?", params) > 0

    async def set_blocked(self, user_id: int, blocked: bool = True) -> None:
        """Blocked users get no alerts; their data stays."""
        await self._run(
            "UPDATE users SET blocked = ?, updated_at = ? WHERE id = ?",
            (int(blocked), self.now(), user_id),
        )

    async def reachable(self, after_id: int = 0) -> list[tuple[int, int, str | None]]:
        """(id, chat id, language) of every user who has not blocked the bot, by id, from
        `after_id` on (a broadcast's recipients; system-side)."""
        rows = await self._all(
            "SELECT id, chat_id, language FROM users WHERE blocked = 0 AND id > ? ORDER BY id",
            (after_id,),
        )
        return [(int(r[0]), int(r[1]), r[2]) for r in rows]

    async def system_zones(self) -> dict[int, str]:
        """The time zone of every user who set one (most keep the default), by id."""
        rows = await self._all("SELECT id, tz FROM users WHERE tz IS NOT NULL")
        return {int(r[0]): str(r[1]) for r in rows}

    async def delete(self, user_id: int) -> bool:
        """Forgets the user with every case, event, alert and ticket (on their request)."""
        return await self._run("DELETE FROM users WHERE id = ?", (user_id,)) > 0


CASE_COLS = (
    "id, owner_id, ref, kind, filing_date, priority_date, title, natural_person, muted, "
    "alert_state, created_at, updated_at, wo_number, publication_date"
)


_INSERT_CASE = (
    "INSERT INTO cases (owner_id, ref, kind, filing_date, priority_date, title,"
    " natural_person, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_UPDATE_CASE = (
    "UPDATE cases SET ref = ?, kind = ?, filing_date = ?, priority_date = ?, title = ?,"
    " natural_person = ?, updated_at = ? WHERE id = ? AND owner_id = ?"
)
_SET_PUBLICATION = (
    "UPDATE cases SET wo_number = ?, publication_date = ?, updated_at = ?"
    " WHERE id = ? AND owner_id = ?"
)
_INSERT_EVENT = (
    "INSERT INTO events (case_id, kind, date, year, source, created_at) VALUES (?, ?, ?, ?, ?, ?)"
)


def _facts(data: CaseInput) -> tuple[Any, ...]:
    """The columns `add` and `update` write: ref, kind, filing, priority, title, natural."""
    return (
        data.ref,
        data.kind.value,
        data.filing.isoformat(),
        None if data.priority is None else data.priority.isoformat(),
        data.title,
        int(data.natural_person),
    )


_CASE_COLS_C = ", ".join(f"c.{col.strip()}" for col in CASE_COLS.split(","))


def case_from_row(r: Row) -> Case:
    return Case(
        id=r[0],
        owner_id=r[1],
        ref=r[2],
        kind=Kind(r[3]),
        filing=dt.date.fromisoformat(r[4]),
        priority=_date(r[5]),
        title=r[6],
        natural_person=bool(r[7]),
        muted=bool(r[8]),
        alert_state={str(k): int(v) for k, v in json.loads(r[9]).items()},
        created_at=from_epoch(r[10]),
        updated_at=from_epoch(r[11]),
        wo_number=r[12],
        publication_date=_date(r[13]),
    )


def event_from_row(r: Row) -> StoredEvent:
    return StoredEvent(
        id=r[0],
        case_id=r[1],
        kind=EventKind(r[2]),
        date=dt.date.fromisoformat(r[3]),
        year=r[4],
        source=EventSource(r[5]),
    )


class CaseRepo(_Repo):
    """Cases and their events, always of one owner."""

    async def get(self, owner: int, case_id: int) -> Case | None:
        r = await self._one(
            f"SELECT {CASE_COLS} FROM cases WHERE id = ? AND owner_id = ?", (case_id, owner)
        )
        return None if r is None else case_from_row(r)

    async def by_ref(self, owner: int, ref: str) -> Case | None:
        """The owner's case `ref`; references match case-insensitively (pct/ib… finds
        PCT/IB…), an exact match first."""
        r = await self._one(
            f"SELECT {CASE_COLS} FROM cases WHERE owner_id = ? AND ref = ?", (owner, ref)
        )
        if r is None and ref.isascii():  # through the index cases_owner_ref_lower
            r = await self._one(
                f"SELECT {CASE_COLS} FROM cases WHERE owner_id = ? AND lower(ref) = ?"
                " ORDER BY id LIMIT 1",
                (owner, ref.lower()),
            )
        elif r is None:
            wanted = ref.casefold()
            rows = await self._all("SELECT id, ref FROM cases WHERE owner_id = ?", (owner,))
            found = [int(row[0]) for row in rows if str(row[1]).casefold() == wanted]
            if not found:
                return None
            r = await self._one(f"SELECT {CASE_COLS} FROM cases WHERE id = ?", (found[0],))
        return None if r is None else case_from_row(r)

    async def all(self, owner: int) -> list[Case]:
        rows = await self._all(
            f"SELECT {CASE_COLS} FROM cases WHERE owner_id = ? ORDER BY ref, id", (owner,)
        )
        return [case_from_row(r) for r in rows]

    async def page(self, owner: int, after: tuple[str, int] | None, size: int) -> list[Case]:
        """`size` cases in the order of `all`, those after (ref, id) `after`."""
        ref, case_id = after if after is not None else ("", 0)
        rows = await self._all(
            f"SELECT {CASE_COLS} FROM cases WHERE owner_id = ? AND (ref > ? OR (ref = ? AND"
            " id > ?)) ORDER BY ref, id LIMIT ?",
            (owner, ref, ref, case_id, size),
        )
        return [case_from_row(r) for r in rows]

    async def count(self, owner: int) -> int:
        r = await self._one("SELECT count(*) FROM cases WHERE owner_id = ?", (owner,))
        return int(r[0]) if r else 0

    async def add(self, owner: int, data: CaseInput) -> Case:
        """A new case; DuplicateRef where the owner already has `data.ref`."""
        if await self.by_ref(owner, data.ref) is not None:
            raise DuplicateRef(data.ref)
        now = self.now()
        async with self.conn.execute(_INSERT_CASE, (owner, *_facts(data), now, now)) as cur:
            case_id = cur.lastrowid
        assert case_id is not None
        case = await self.get(owner, case_id)
        assert case is not None
        return case

    async def update(self, owner: int, case_id: int, data: CaseInput) -> Case | None:
        """Replaces the case's facts (a new ref must stay unique); None if not the owner's."""
        other = await self.by_ref(owner, data.ref)
        if other is not None and other.id != case_id:
            raise DuplicateRef(data.ref)
        changed = await self._run(_UPDATE_CASE, (*_facts(data), self.now(), case_id, owner))
        return await self.get(owner, case_id) if changed else None

    # --- many at once (an import's batch: a few statements instead of a few per case) -------

    async def by_refs(self, owner: int, refs: Sequence[str]) -> dict[str, Case]:
        """The owner's cases whose ref is exactly one of `refs`, by ref (`by_ref`'s first
        step, for many)."""
        rows = await self._in(
            f"SELECT {CASE_COLS} FROM cases WHERE owner_id = ? AND ref IN ({{marks}})",
            (owner,),
            refs,
        )
        return {case.ref: case for case in map(case_from_row, rows)}

    async def by_lower_refs(self, owner: int, keys: Sequence[str]) -> dict[str, Case]:
        """For ASCII `keys` (refs in lower case): the owner's case, the first by id, whose
        lower(ref) is the key (`by_ref`'s second step, for many)."""
        rows = await self._in(
            f"SELECT {CASE_COLS} FROM cases WHERE owner_id = ? AND lower(ref) IN ({{marks}})"
            " ORDER BY id",
            (owner,),
            keys,
        )
        found: dict[str, Case] = {}
        for case in map(case_from_row, rows):
            found.setdefault(case.ref.lower(), case)  # lower(ref) matched an ASCII key: ASCII
        return found

    async def add_many(self, cases: Sequence[tuple[int, CaseInput]]) -> dict[tuple[int, str], int]:
        """New cases, in order, of (owner, facts) — refs not the owner's yet, checked by the
        caller; their ids by (owner, ref)."""
        now = self.now()
        await self.conn.executemany(
            _INSERT_CASE, [(owner, *_facts(data), now, now) for owner, data in cases]
        )
        refs: dict[int, list[str]] = {}
        for owner, data in cases:
            refs.setdefault(owner, []).append(data.ref)
        return {
            (owner, ref): case.id
            for owner, wanted in refs.items()
            for ref, case in (await self.by_refs(owner, wanted)).items()
        }

    async def update_many(self, owner: int, cases: Sequence[tuple[int, CaseInput]]) -> None:
        """`update` for many (case id, facts) of the owner, refs checked by the caller."""
        now = self.now()
        await self.conn.executemany(
            _UPDATE_CASE, [(*_facts(data), now, case_id, owner) for case_id, data in cases]
        )

    async def set_publications(
        self, owner: int, cases: Sequence[tuple[int, str | None, dt.date | None]]
    ) -> None:
        """`set_publication` for many (case id, WO number, publication date)."""
        now = self.now()
        await self.conn.executemany(
            _SET_PUBLICATION,
            [
                (number, None if day is None else day.isoformat(), now, case_id, owner)
                for case_id, number, day in cases
            ],
        )

    async def events_of(self, owner: int, case_ids: Sequence[int]) -> dict[int, list[StoredEvent]]:
        """`events` of many cases of the owner."""
        rows = await self._in(
            "SELECT e.id, e.case_id, e.kind, e.date, e.year, e.source FROM events e"
            " JOIN cases c ON c.id = e.case_id WHERE c.owner_id = ? AND e.case_id IN ({marks})"
            " ORDER BY e.date, e.id",
            (owner,),
            case_ids,
        )
        found: dict[int, list[StoredEvent]] = {}
        for event in map(event_from_row, rows):
            found.setdefault(event.case_id, []).append(event)
        return found

    async def replace_events_of(
        self, source: EventSource, events: Sequence[tuple[int, Sequence[Event]]]
    ) -> None:
        """`replace_events` for many (case id, events) — cases the caller checked are the
        owner's, events none of which the case has from another source."""
        ids = [case_id for case_id, _ in events]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            await self._run(
                f"DELETE FROM events WHERE source = ? AND case_id IN ({marks})",
                (source.value, *chunk),
            )
        now = self.now()
        await self.conn.executemany(
            _INSERT_EVENT,
            [
                (case_id, e.kind.value, e.date.isoformat(), e.year, source, now)
                for case_id, given in events
                for e in given
            ],
        )

    async def planning_of(self, case_ids: Sequence[int]) -> PlanningSnapshot:
        """The cases `case_ids` as the bulk planner reads them (`system_planning_batch`), in
        the order given."""
        rows = {
            r[0]: tuple(r)
            for r in await self._in(
                f"SELECT {_CASE_COLS_C}, u.id FROM cases c JOIN users u ON u.id = c.owner_id"
                " WHERE c.id IN ({marks})",
                (),
                case_ids,
            )
        }
        events: dict[int, list[tuple[Any, ...]]] = {}
        for r in await self._in(
            "SELECT id, case_id, kind, date, year, source FROM events"
            " WHERE case_id IN ({marks}) ORDER BY case_id, date, id",
            (),
            case_ids,
        ):
            events.setdefault(r[1], []).append(tuple(r))
        owners = sorted({r[1] for r in rows.values()})
        users = {
            u[0]: tuple(u)
            for u in await self._in(
                f"SELECT {USER_COLS} FROM users WHERE id IN ({{marks}})", (), owners
            )
        }
        return PlanningSnapshot(
            cases={case_id: rows[case_id] for case_id in case_ids if case_id in rows},
            events={k: tuple(v) for k, v in events.items()},
            users=users,
        )

    async def upsert(self, owner: int, data: CaseInput) -> tuple[Case, bool]:
        """Creates the case, or updates the owner's case with the same ref; (case, created)."""
        found = await self.by_ref(owner, data.ref)
        if found is None:
            return await self.add(owner, data), True
        case = await self.update(owner, found.id, data)
        assert case is not None
        return case, False

    async def delete(self, owner: int, case_id: int) -> bool:
        """Deletes the case with its events and alerts."""
        n = await self._run("DELETE FROM cases WHERE id = ? AND owner_id = ?", (case_id, owner))
        return n > 0

    async def set_muted(self, owner: int, case_id: int, muted: bool) -> bool:
        n = await self._run(
            "UPDATE cases SET muted = ?, updated_at = ? WHERE id = ? AND owner_id = ?",
            (int(muted), self.now(), case_id, owner),
        )
        return n > 0

    async def set_title(self, owner: int, case_id: int, title: str) -> bool:
        """Sets the case's title (already `clean`ed and checked by the caller)."""
        n = await self._run(
            "UPDATE cases SET title = ?, updated_at = ? WHERE id = ? AND owner_id = ?",
            (title, self.now(), case_id, owner),
        )
        return n > 0

    async def set_publication(
        self, owner: int, case_id: int, wo_number: str | None, published: dt.date | None
    ) -> bool:
        """Sets the case's WO number and publication date (None: not known)."""
        n = await self._run(
            _SET_PUBLICATION,
            (
                wo_number,
                None if published is None else published.isoformat(),
                self.now(),
                case_id,
                owner,
            ),
        )
        return n > 0

    async def set_natural_person(self, owner: int, case_id: int, natural: bool) -> bool:
        n = await self._run(
            "UPDATE cases SET natural_person = ?, updated_at = ? WHERE id = ? AND owner_id = ?",
            (int(natural), self.now(), case_id, owner),
        )
        return n > 0

    async def ids_updated_since(self, owner: int, since: int) -> list[int]:
        """The ids of the owner's cases saved (added or changed) at or after `since` (unix
        seconds), in the order of `all`."""
        rows = await self._all(
            "SELECT id FROM cases WHERE owner_id = ? AND updated_at >= ? ORDER BY ref, id",
            (owner, since),
        )
        return [int(r[0]) for r in rows]

    async def set_alert_states(self, states: Sequence[tuple[int, int, dict[str, int]]]) -> None:
        """`set_alert_state` for many (owner, case id, state)."""
        await self.conn.executemany(
            "UPDATE cases SET alert_state = ? WHERE id = ? AND owner_id = ?",
            [
                (json.dumps(state, separators=(",", ":"), sort_keys=True), case_id, owner)
                for owner, case_id, state in states
            ],
        )

    async def set_alert_state(self, owner: int, case_id: int, state: dict[str, int]) -> None:
        await self._run(
            "UPDATE cases SET alert_state = ? WHERE id = ? AND owner_id = ?",
            (json.dumps(state, separators=(",", ":"), sort_keys=True), case_id, owner),
        )

    # --- the bulk planner's side (system, not owner-scoped) -----------------------------------

    async def system_planning_batch(self, after_id: int, limit: int) -> PlanningSnapshot | None:
        """Up to `limit` cases with ids above `after_id`, with their events and owners."""
        rows = await self._all(
            f"SELECT {_CASE_COLS_C}, u.id FROM cases c JOIN users u ON u.id = c.owner_id"
            " WHERE c.id > ? ORDER BY c.id LIMIT ?",
            (after_id, limit),
        )
        if not rows:
            return None
        return await self._snapshot(rows, rows[0][0], rows[-1][0])

    async def system_planning_range(self, first: int, last: int) -> PlanningSnapshot:
        """Every case with an id in [first, last] as it is now (see `system_planning_batch`)."""
        rows = await self._all(
            f"SELECT {_CASE_COLS_C}, u.id FROM cases c JOIN users u ON u.id = c.owner_id"
            " WHERE c.id BETWEEN ? AND ? ORDER BY c.id",
            (first, last),
        )
        return await self._snapshot(rows, first, last)

    async def _snapshot(self, rows: list[Row], first: int, last: int) -> PlanningSnapshot:
        events: dict[int, list[tuple[Any, ...]]] = {}
        for r in await self._all(
            "SELECT id, case_id, kind, date, year, source FROM events"
            " WHERE case_id BETWEEN ? AND ? ORDER BY case_id, date, id",
            (first, last),
        ):
            events.setdefault(r[1], []).append(tuple(r))
        owners = sorted({r[1] for r in rows})
        users: dict[int, tuple[Any, ...]] = {}
        for start in range(0, len(owners), 500):  # SQLite's limit on bound parameters
            chunk = owners[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for u in await self._all(f"SELECT {USER_COLS} FROM users WHERE id IN ({marks})", chunk):
                users[u[0]] = tuple(u)
        return PlanningSnapshot(
            cases={r[0]: tuple(r) for r in rows},
            events={k: tuple(v) for k, v in events.items()},
            users=users,
        )

    # --- events -----------------------------------------------------------------------------

    async def events(self, owner: int, case_id: int) -> list[StoredEvent]:
        rows = await self._all(
            "SELECT e.id, e.case_id, e.kind, e.date, e.year, e.source FROM events e"
            " JOIN cases c ON c.id = e.case_id WHERE e.case_id = ? AND c.owner_id = ?"
            " ORDER BY e.date, e.id",
            (case_id, owner),
        )
        return [event_from_row(r) for r in rows]

    async def add_event(
        self, owner: int, case_id: int, event: Event, source: EventSource = EventSource.USER
    ) -> StoredEvent | None:
        """Records an event on the owner's case; None if the case is not theirs.

        The same (kind, date, year) recorded twice is kept once.
        """
        if await self.get(owner, case_id) is None:
            return None
        same = await self._one(
            "SELECT id, case_id, kind, date, year, source FROM events WHERE case_id = ? AND"
            " kind = ? AND date = ? AND year IS ?",
            (case_id, event.kind.value, event.date.isoformat(), event.year),
        )
        if same is not None:
            return event_from_row(same)
        async with self.conn.execute(
            _INSERT_EVENT,
            (case_id, event.kind.value, event.date.isoformat(), event.year, source, self.now()),
        ) as cur:
            event_id = cur.lastrowid
        assert event_id is not None
        return StoredEvent(event_id, case_id, event.kind, event.date, event.year, source)

    async def delete_event(self, owner: int, case_id: int, event_id: int) -> bool:
        """Removes one recorded event of the owner's case; False if there is no such event."""
        if await self.get(owner, case_id) is None:
            return False
        n = await self._run("DELETE FROM events WHERE id = ? AND case_id = ?", (event_id, case_id))
        return n > 0

    async def replace_events(
        self, owner: int, case_id: int, source: EventSource, events: Iterable[Event]
    ) -> None:
        """Replaces the events of one source (e.g. what the last import said)."""
        if await self.get(owner, case_id) is None:
            return
        await self._run(
            "DELETE FROM events WHERE case_id = ? AND source = ?", (case_id, source.value)
        )
        for event in events:
            await self.add_event(owner, case_id, event, source)


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


TICKET_COLS = "id, user_id, language, status, staff_message_id, created_at, updated_at"
MESSAGE_COLS = "id, ticket_id, direction, text, staff_message_id, telegram_message_id, created_at"


def _ticket(r: Row) -> Ticket:
    return Ticket(
        id=r[0],
        user_id=r[1],
        language=r[2],
        status=TicketStatus(r[3]),
        staff_message_id=r[4],
        created_at=from_epoch(r[5]),
        updated_at=from_epoch(r[6]),
    )


def _message(r: Row) -> TicketMessage:
    return TicketMessage(
        id=r[0],
        ticket_id=r[1],
        direction=Direction(r[2]),
        text=r[3],
        staff_message_id=r[4],
        telegram_message_id=r[5],
        created_at=from_epoch(r[6]),
    )


class TicketRepo(_Repo):
    """Support tickets (issue 5): owner-scoped for the user, lookups by relay id for staff."""

    async def open(self, owner: int, language: str | None = None) -> Ticket:
        now = self.now()
        async with self.conn.execute(
            "INSERT INTO tickets (user_id, language, status, created_at, updated_at)"
            " VALUES (?, ?, 'open', ?, ?)",
            (owner, language, now, now),
        ) as cur:
            ticket_id = cur.lastrowid
        assert ticket_id is not None
        ticket = await self.get(owner, ticket_id)
        assert ticket is not None
        return ticket

    async def get(self, owner: int, ticket_id: int) -> Ticket | None:
        r = await self._one(
            f"SELECT {TICKET_COLS} FROM tickets WHERE id = ? AND user_id = ?", (ticket_id, owner)
        )
        return None if r is None else _ticket(r)

    async def all(self, owner: int) -> list[Ticket]:
        rows = await self._all(
            f"SELECT {TICKET_COLS} FROM tickets WHERE user_id = ? ORDER BY id DESC", (owner,)
        )
        return [_ticket(r) for r in rows]

    async def current(self, owner: int) -> Ticket | None:
        """The owner's latest ticket that is not closed."""
        r = await self._one(
            f"SELECT {TICKET_COLS} FROM tickets WHERE user_id = ? AND status != 'closed'"
            " ORDER BY id DESC LIMIT 1",
            (owner,),
        )
        return None if r is None else _ticket(r)

    async def add_message(
        self,
        owner: int,
        ticket_id: int,
        direction: Direction,
        text: str,
        *,
        telegram_message_id: int | None = None,
        staff_message_id: int | None = None,
    ) -> TicketMessage | None:
        """Adds a message to the owner's ticket; None if the ticket is not theirs.

        A user's message reopens the ticket; a staff reply marks it answered.
        """
        if await self.get(owner, ticket_id) is None:
            return None
        now = self.now()
        async with self.conn.execute(
            "INSERT INTO ticket_messages (ticket_id, direction, text, staff_message_id,"
            " telegram_message_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (ticket_id, direction.value, text, staff_message_id, telegram_message_id, now),
        ) as cur:
            message_id = cur.lastrowid
        assert message_id is not None
        status = (
            TicketStatus.OPEN if direction is Direction.USER_TO_STAFF else TicketStatus.ANSWERED
        )
        await self._run(
            "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?",
            (status.value, now, ticket_id),
        )
        return TicketMessage(
            message_id,
            ticket_id,
            direction,
            text,
            staff_message_id,
            telegram_message_id,
            dt.datetime.fromtimestamp(now, dt.UTC),
        )

    async def messages(self, owner: int, ticket_id: int) -> list[TicketMessage]:
        rows = await self._all(
            f"SELECT {', '.join('m.' + c.strip() for c in MESSAGE_COLS.split(','))}"
            " FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id"
            " WHERE m.ticket_id = ? AND t.user_id = ? ORDER BY m.id",
            (ticket_id, owner),
        )
        return [_message(r) for r in rows]

    async def set_language(self, owner: int, ticket_id: int, language: str) -> bool:
        """The language the staff's answers reach the owner in."""
        n = await self._run(
            "UPDATE tickets SET language = ? WHERE id = ? AND user_id = ?",
            (language, ticket_id, owner),
        )
        return n > 0

    async def owns_message(self, owner: int, telegram_message_id: int) -> bool:
        """Whether a message of the owner's chat belongs to one of *their* tickets."""
        r = await self._one(
            "SELECT 1 FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id"
            " WHERE t.user_id = ? AND m.telegram_message_id = ? LIMIT 1",
            (owner, telegram_message_id),
        )
        return r is not None

    async def set_status(self, owner: int, ticket_id: int, status: TicketStatus) -> bool:
        n = await self._run(
            "UPDATE tickets SET status = ?, updated_at = ? WHERE id = ? AND user_id = ?",
            (status.value, self.now(), ticket_id, owner),
        )
        return n > 0

    # --- the staff desk's side (system, not owner-scoped) -----------------------------------

    async def set_relayed(self, ticket_id: int, staff_message_id: int) -> None:
        """Records the staff-chat message the ticket was relayed as."""
        await self._run(
            "UPDATE tickets SET staff_message_id = ?, updated_at = ? WHERE id = ?",
            (staff_message_id, self.now(), ticket_id),
        )

    async def by_staff_message(self, staff_message_id: int) -> Ticket | None:
        """The ticket a staff-chat message belongs to: the relay itself or any of its messages."""
        r = await self._one(
            f"SELECT {TICKET_COLS} FROM tickets WHERE staff_message_id = ?"
            " UNION SELECT "
            + ", ".join("t." + c.strip() for c in TICKET_COLS.split(","))
            + " FROM tickets t JOIN ticket_messages m ON m.ticket_id = t.id"
            " WHERE m.staff_message_id = ? LIMIT 1",
            (staff_message_id, staff_message_id),
        )
        return None if r is None else _ticket(r)

    async def set_message_relayed(
        self, ticket_id: int, message_id: int, staff_message_id: int
    ) -> None:
        """Records the staff-chat message one ticket message was relayed as."""
        await self._run(
            "UPDATE ticket_messages SET staff_message_id = ? WHERE id = ? AND ticket_id = ?",
            (staff_message_id, message_id, ticket_id),
        )

    async def by_id_for_staff(self, ticket_id: int) -> Ticket | None:
        r = await self._one(f"SELECT {TICKET_COLS} FROM tickets WHERE id = ?", (ticket_id,))
        return None if r is None else _ticket(r)

    async def open_for_staff(self, limit: int) -> list[tuple[Ticket, str]]:
        """Tickets not closed with the user's latest message: waiting for an answer first,
        oldest first."""
        rows = await self._all(
            f"SELECT {TICKET_COLS},"
            " (SELECT text FROM ticket_messages m WHERE m.ticket_id = tickets.id"
            "  AND m.direction = 'user_to_staff' ORDER BY m.id DESC LIMIT 1)"
            " FROM tickets WHERE status != 'closed'"
            " ORDER BY status = 'answered', updated_at, id LIMIT ?",
            (limit,),
        )
        return [(_ticket(r), str(r[7] or "")) for r in rows]

    async def open_count(self) -> int:
        r = await self._one("SELECT count(*) FROM tickets WHERE status = 'open'")
        return int(r[0]) if r else 0


class MetaRepo(_Repo):
    """Facts about the database itself (system-side), by key."""

    async def get(self, key: str) -> str | None:
        r = await self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if r is None else str(r[0])

    async def set(self, key: str, value: str) -> None:
        await self._run(
            "INSERT INTO meta (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (key, value, self.now()),
        )


class FeeScheduleRepo(_Repo):
    """Fee schedules installed by the staff: their TOML documents, by id (system-side)."""

    async def put(
        self, schedule_id: str, effective_from: str, document: str, by: int | None
    ) -> None:
        await self._run(
            "INSERT INTO fee_schedules (id, effective_from, document, installed_by, installed_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
            " effective_from = excluded.effective_from, document = excluded.document,"
            " installed_by = excluded.installed_by, installed_at = excluded.installed_at",
            (schedule_id, effective_from, document, by, self.now()),
        )

    async def documents(self) -> list[str]:
        """Every installed document, oldest effective date first."""
        rows = await self._all("SELECT document FROM fee_schedules ORDER BY effective_from, id")
        return [str(r[0]) for r in rows]

    async def newest(self) -> tuple[str, str] | None:
        """The schedule installed last in force order — (id, effective_from) — or None."""
        r = await self._one(
            "SELECT id, effective_from FROM fee_schedules"
            " ORDER BY effective_from DESC, installed_at DESC, id DESC LIMIT 1"
        )
        return None if r is None else (str(r[0]), str(r[1]))

    async def delete(self, schedule_id: str) -> None:
        await self._run("DELETE FROM fee_schedules WHERE id = ?", (schedule_id,))


BROADCAST_COLS = "id, text, staff_chat_id, status, total, last_user_id, delivered, blocked, failed"
_BROADCAST_OUTCOMES = frozenset({"delivered", "blocked", "failed"})


def _broadcast(r: Row) -> Broadcast:
    return Broadcast(
        id=r[0],
        text=r[1],
        staff_chat_id=r[2],
        done=r[3] == "done",
        total=r[4],
        last_user_id=r[5],
        delivered=r[6],
        blocked=r[7],
        failed=r[8],
    )


class BroadcastRepo(_Repo):
    """Staff broadcasts (system-side): started, advanced one recipient at a time, finished."""

    async def start(self, text: str, staff_chat_id: int, total: int) -> Broadcast:
        now = self.now()
        async with self.conn.execute(
            "INSERT INTO broadcasts (text, staff_chat_id, total, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (text, staff_chat_id, total, now, now),
        ) as cur:
            broadcast_id = cur.lastrowid
        assert broadcast_id is not None
        found = await self.get(broadcast_id)
        assert found is not None
        return found

    async def get(self, broadcast_id: int) -> Broadcast | None:
        r = await self._one(
            f"SELECT {BROADCAST_COLS} FROM broadcasts WHERE id = ?", (broadcast_id,)
        )
        return None if r is None else _broadcast(r)

    async def running(self) -> list[Broadcast]:
        rows = await self._all(
            f"SELECT {BROADCAST_COLS} FROM broadcasts WHERE status = 'running' ORDER BY id"
        )
        return [_broadcast(r) for r in rows]

    async def advance(self, broadcast_id: int, user_id: int, outcome: str) -> None:
        """`user_id` was served with `outcome` (delivered, blocked or failed)."""
        if outcome not in _BROADCAST_OUTCOMES:
            raise ValueError(outcome)
        await self._run(
            f"UPDATE broadcasts SET {outcome} = {outcome} + 1, last_user_id = ?, updated_at = ?"
            " WHERE id = ? AND last_user_id < ?",
            (user_id, self.now(), broadcast_id, user_id),
        )

    async def finish(self, broadcast_id: int) -> None:
        await self._run(
            "UPDATE broadcasts SET status = 'done', updated_at = ? WHERE id = ?",
            (self.now(), broadcast_id),
        )


class EntryFormRepo(_Repo):
    """The answers a user gave for their last entry request (`/entryform`), as JSON."""

    async def get(self, owner: int) -> str | None:
        r = await self._one("SELECT data FROM entryform_answers WHERE user_id = ?", (owner,))
        return None if r is None else str(r[0])

    async def put(self, owner: int, data: str) -> None:
        await self._run(
            "INSERT INTO entryform_answers (user_id, data, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET data = excluded.data,"
            " updated_at = excluded.updated_at",
            (owner, data, self.now()),
        )


class FlowRepo(_Repo):
    """Each user's half-finished guided flow, as JSON with the moment of its last step
    (`core.flows`). A user without a record keeps no flow: the row needs the user's."""

    async def put(self, owner: int, state: str) -> bool:
        n = await self._run(
            "INSERT INTO flows (user_id, state, updated_at)"
            " SELECT id, ?, ? FROM users WHERE id = ?"
            " ON CONFLICT (user_id) DO UPDATE SET state = excluded.state,"
            " updated_at = excluded.updated_at",
            (state, self.now(), owner),
        )
        return n > 0

    async def get(self, owner: int) -> tuple[str, dt.datetime] | None:
        r = await self._one("SELECT state, updated_at FROM flows WHERE user_id = ?", (owner,))
        return None if r is None else (str(r[0]), from_epoch(int(r[1])))

    async def delete(self, owner: int) -> bool:
        return await self._run("DELETE FROM flows WHERE user_id = ?", (owner,)) > 0

    # --- the front end's start-up (system, not owner-scoped) -----------------------------------

    async def system_since(self, since: dt.datetime) -> list[tuple[int, str, dt.datetime]]:
        """Every flow whose last step was at or after `since`."""
        rows = await self._all(
            "SELECT user_id, state, updated_at FROM flows WHERE updated_at >= ? ORDER BY user_id",
            (to_epoch(since),),
        )
        return [(int(r[0]), str(r[1]), from_epoch(int(r[2]))) for r in rows]

    async def system_delete_before(self, before: dt.datetime) -> int:
        """Forgets the flows whose last step was before `before`; returns how many."""
        return await self._run("DELETE FROM flows WHERE updated_at < ?", (to_epoch(before),))


class HeldUpdateRepo(_Repo):
    """Updates received and never started before a stop (`core.held`); system-side: the
    front end's stop writes them and its start takes them, whoever sent them."""

    async def system_hold(self, items: Sequence[tuple[int | None, str]]) -> int:
        """Appends `(user_id, json)` pairs in their order; returns how many."""
        now = self.now()
        await self.conn.executemany(
            "INSERT INTO held_updates (user_id, update_json, held_at) VALUES (?, ?, ?)",
            [(user_id, text, now) for user_id, text in items],
        )
        return len(items)

    async def system_take_all(self) -> list[tuple[int | None, str, dt.datetime]]:
        """Every held update, oldest first, deleted as it is read (one unit of work)."""
        rows = await self._all(
            "SELECT id, user_id, update_json, held_at FROM held_updates ORDER BY id"
        )
        if rows:
            await self._run("DELETE FROM held_updates WHERE id <= ?", (int(rows[-1][0]),))
        return [
            (None if r[1] is None else int(r[1]), str(r[2]), from_epoch(int(r[3]))) for r in rows
        ]


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
