"""Support tickets and their messages (the user's side by owner, the staff desk's by name)."""

from __future__ import annotations

import datetime as dt

from core.storage.models import (
    Direction,
    Ticket,
    TicketMessage,
    TicketStatus,
    from_epoch,
)
from core.storage.repos._base import Row, _Repo

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
    """Support tickets: owner-scoped for the user, lookups by relay id for staff."""

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
