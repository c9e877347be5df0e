"""Owner-scoped repositories, one module each. None of them commits: the caller's unit of work
(`core.storage.db.UnitOfWork`) does.

Every method that touches a case, an event, an alert or a ticket takes the owner's Telegram id
(or a team's account: `core.teams.models`) and filters on it in SQL, so a guessed `ref` or id
of another user's row behaves exactly like a missing one. The few system-side methods (the
dispatcher's, the staff desk's, the teams': `TeamRepo`, whose caller `core.teams.access`
decides) say so.
"""

from core.storage.repos.broadcasts import BroadcastRepo
from core.storage.repos.cases import CaseRepo, DuplicateRef, case_from_row, event_from_row
from core.storage.repos.entryforms import EntryFormRepo
from core.storage.repos.faq import FaqRepo
from core.storage.repos.fee_schedules import FeeScheduleRepo
from core.storage.repos.flows import FlowRepo
from core.storage.repos.held import HeldUpdateRepo
from core.storage.repos.meta import MetaRepo
from core.storage.repos.outbox import OutboxRepo, dump
from core.storage.repos.teams import TeamRepo
from core.storage.repos.tickets import TicketRepo
from core.storage.repos.users import UserRepo, user_from_row

__all__ = [
    "BroadcastRepo",
    "CaseRepo",
    "DuplicateRef",
    "EntryFormRepo",
    "FaqRepo",
    "FeeScheduleRepo",
    "FlowRepo",
    "HeldUpdateRepo",
    "MetaRepo",
    "OutboxRepo",
    "TeamRepo",
    "TicketRepo",
    "UserRepo",
    "case_from_row",
    "dump",
    "event_from_row",
    "user_from_row",
]
