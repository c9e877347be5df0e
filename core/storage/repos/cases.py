"""Cases and their recorded events, always of one owner (the system-side planning reads say so)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

from core.deadlines import Event, EventKind
from core.models import Kind
from core.storage.models import (
    Case,
    CaseInput,
    EventSource,
    PlanningSnapshot,
    StoredEvent,
    from_epoch,
)
from core.storage.repos._base import CHUNK, Row, _date, _Repo
from core.storage.repos.users import USER_COLS


class DuplicateRef(ValueError):
    """The owner already has a case with this ref."""


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
    "INSERT INTO events (case_id, kind, date, year, source, created_at, recorded_by,"
    " recorded_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
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


EVENT_COLS = (
    "e.id, e.case_id, e.kind, e.date, e.year, e.source, e.recorded_by, e.recorded_name,"
    " e.created_at"
)


def event_from_row(r: Row) -> StoredEvent:
    """An event of `EVENT_COLS` (or of its first six columns: the planners' reads)."""
    return StoredEvent(
        id=r[0],
        case_id=r[1],
        kind=EventKind(r[2]),
        date=dt.date.fromisoformat(r[3]),
        year=r[4],
        source=EventSource(r[5]),
        recorded_by=r[6] if len(r) > 6 else None,
        recorded_name=r[7] if len(r) > 7 else None,
        recorded_at=from_epoch(r[8]) if len(r) > 8 and r[8] is not None else None,
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
            f"SELECT {EVENT_COLS} FROM events e"
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
        self,
        source: EventSource,
        events: Sequence[tuple[int, Sequence[Event]]],
        by: tuple[int | None, str | None] | None = None,
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
        who, name = by if by is not None else (None, None)
        await self.conn.executemany(
            _INSERT_EVENT,
            [
                (case_id, e.kind.value, e.date.isoformat(), e.year, source, now, who, name)
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
            f"SELECT {EVENT_COLS} FROM events e"
            " JOIN cases c ON c.id = e.case_id WHERE e.case_id = ? AND c.owner_id = ?"
            " ORDER BY e.date, e.id",
            (case_id, owner),
        )
        return [event_from_row(r) for r in rows]

    async def add_event(
        self,
        owner: int,
        case_id: int,
        event: Event,
        source: EventSource = EventSource.USER,
        by: tuple[int | None, str | None] | None = None,
    ) -> StoredEvent | None:
        """Records an event on the owner's case; None if the case is not theirs. `by`: who
        recorded it (Telegram id) and the name they have in the case's team.

        The same (kind, date, year) recorded twice is kept once.
        """
        if await self.get(owner, case_id) is None:
            return None
        same = await self._one(
            f"SELECT {EVENT_COLS} FROM events e WHERE e.case_id = ? AND"
            " e.kind = ? AND e.date = ? AND e.year IS ?",
            (case_id, event.kind.value, event.date.isoformat(), event.year),
        )
        if same is not None:
            return event_from_row(same)
        who, name = by if by is not None else (None, None)
        now = self.now()
        async with self.conn.execute(
            _INSERT_EVENT,
            (case_id, event.kind.value, event.date.isoformat(), event.year, source, now, who, name),
        ) as cur:
            event_id = cur.lastrowid
        assert event_id is not None
        return StoredEvent(
            event_id,
            case_id,
            event.kind,
            event.date,
            event.year,
            source,
            who,
            name,
            from_epoch(now),
        )

    async def delete_event(self, owner: int, case_id: int, event_id: int) -> bool:
        """Removes one recorded event of the owner's case; False if there is no such event."""
        if await self.get(owner, case_id) is None:
            return False
        n = await self._run("DELETE FROM events WHERE id = ? AND case_id = ?", (event_id, case_id))
        return n > 0

    async def replace_events(
        self,
        owner: int,
        case_id: int,
        source: EventSource,
        events: Iterable[Event],
        by: tuple[int | None, str | None] | None = None,
    ) -> None:
        """Replaces the events of one source (e.g. what the last import said)."""
        if await self.get(owner, case_id) is None:
            return
        await self._run(
            "DELETE FROM events WHERE case_id = ? AND source = ?", (case_id, source.value)
        )
        for event in events:
            await self.add_event(owner, case_id, event, source, by)
