"""Persistent state of the assistant: users, cases, events, the reminder outbox, tickets.

Design in brief (see `db.py` for the connection, `repos.py` for the owner scoping):
- `Store.open(path)` opens one aiosqlite connection, applies the numbered migrations
  (`migrations/mNNNN_*.py`, recorded in `schema_version`) and is closed on shutdown.
- All work goes through `async with store.transaction() as tx:` — a unit of work whose
  repositories (`tx.users`, `tx.cases`, `tx.outbox`, `tx.tickets`, `tx.meta`, `tx.broadcasts`,
  `tx.entryforms`, `tx.flows`, `tx.held`, `tx.faq`, `tx.teams`) never commit by themselves;
  `async with store.reading() as tx:` only reads (no write lock).
- Every user-facing method takes the owner's Telegram id and filters on it in SQL; a team's
  cases are owned by the team's own account (`core.teams.models.account_of`), and which
  accounts a user reaches is `core.teams.access`.
- Moments are stored as unix seconds (UTC), dates as ISO text, money never (it is computed).
"""

from core.storage.db import (
    Damaged,
    NotPctbyDatabase,
    SchemaTooNew,
    Store,
    UnitOfWork,
    is_damage,
    migrate,
    schema_version,
)
from core.storage.files import backup_file, check_file, restore_file
from core.storage.migrations import LATEST
from core.storage.models import (
    MAX_TITLE,
    Broadcast,
    Case,
    CaseInput,
    Direction,
    EventSource,
    Origin,
    OutboxRow,
    OutboxState,
    Stats,
    StoredEvent,
    Ticket,
    TicketMessage,
    TicketStatus,
    User,
    case_facts,
)
from core.storage.repos import DuplicateRef

__all__ = [
    "LATEST",
    "MAX_TITLE",
    "Broadcast",
    "Case",
    "CaseInput",
    "Damaged",
    "Direction",
    "DuplicateRef",
    "EventSource",
    "NotPctbyDatabase",
    "Origin",
    "OutboxRow",
    "OutboxState",
    "SchemaTooNew",
    "Stats",
    "Store",
    "StoredEvent",
    "Ticket",
    "TicketMessage",
    "TicketStatus",
    "UnitOfWork",
    "User",
    "backup_file",
    "case_facts",
    "check_file",
    "is_damage",
    "migrate",
    "restore_file",
    "schema_version",
]
