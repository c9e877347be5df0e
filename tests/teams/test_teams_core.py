"""Teams in the core (`core.teams`): invitation codes, roles, who gets a team alert — once per
chat, also across a crash —, forgetting a member, and references only a member can reach."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from core.deadlines import Event, EventKind
from core.errors import InputError
from core.models import Kind
from core.reminders import Alert, Dispatcher, Reminders, TransientError
from core.storage import CaseInput, Store
from core.teams.access import Ambiguous, NotAllowed, find_ref, reach
from core.teams.models import ACCOUNT_BASE, Role, account_of, check_name
from core.teams.service import Teams, Who, normal_code
from tests.reminders.fakes import FakeClock, RecordingNotifier

ANNA, BORIS, VERA, DMITRI = 1001, 1002, 1003, 2001
GROUP = -1001234567890
# BY.12: a patent filed 2022-03-04, entered, annual fee 4 paid: annual fee 5 due 2026-03-04 (its
# 90-day alert has passed on the clock's 2026-01-12: it goes out at once)
CASE = CaseInput("P-1", Kind.PATENT, dt.date(2022, 3, 4), title="Filter")


class Crash(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


async def firm(store: Store) -> tuple[Reminders, Teams, int, int]:
    """Sidorenko-IP: Anna owner, Boris attorney, Vera viewer; Anna's case P-1 shared into it.
    Returns the services, the team's id and the case's id."""
    rem = Reminders(store)
    teams = Teams(rem)
    team = await teams.create(Who(ANNA, "Anna", "anna"), "Sidorenko-IP", "en")
    for who, role in (
        (Who(BORIS, "Boris", "boris"), Role.ATTORNEY),
        (Who(VERA, "Vera"), Role.VIEWER),
    ):
        invite = await teams.invite(ANNA, None, role)
        await teams.join(who, invite.code)
    case, _ = await rem.save_case(ANNA, CASE, entry=dt.date(2024, 9, 1))
    await rem.record(
        ANNA, case.id, Event(kind=EventKind.ANNUITY_PAID, date=dt.date(2025, 3, 1), year=4)
    )
    await teams.share(ANNA, case.id, None)
    return rem, teams, team.id, case.id


def dispatcher(rem: Reminders, notifier: RecordingNotifier, clock: FakeClock) -> Dispatcher:
    return Dispatcher(rem, notifier, clock=clock, sleep=clock.sleep)


# -- invitations ----------------------------------------------------------------------------


async def test_a_code_has_80_bits_is_stored_hashed_and_works_once_within_7_days(
    store: Store, clock: FakeClock
) -> None:
    rem = Reminders(store)
    teams = Teams(rem)
    await teams.create(Who(ANNA, "Anna"), "Sidorenko IP")  # a space becomes "-"
    invite = await teams.invite(ANNA, "sidorenko-ip", Role.ATTORNEY)
    assert len(invite.code) == 16 and set(invite.code) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    async with store.reading() as tx:
        rows = list(await tx.conn.execute_fetchall("SELECT code_hash FROM team_invites"))
    assert rows == [(hashlib.sha256(invite.code.encode()).hexdigest(),)]
    assert invite.expires - clock.now() == dt.timedelta(days=7)
    other = await teams.invite(ANNA, None, Role.VIEWER)
    clock.advance(days=7, seconds=1)
    with pytest.raises(InputError, match="not valid"):
        await teams.join(Who(BORIS), other.code)
    clock.set(dt.datetime(2026, 1, 12, 9, 0, tzinfo=dt.UTC))
    team, role = await teams.join(Who(BORIS, "Boris"), f"join-{invite.code.lower()}")
    assert (team.name, role) == ("Sidorenko-IP", Role.ATTORNEY)
    with pytest.raises(InputError, match="not valid"):
        await teams.join(Who(VERA), invite.code)  # used
    assert normal_code("abcd-efgh ijkl-mnop") == "ABCDEFGHIJKLMNOP"


def test_team_names_are_one_word_and_not_a_reference_prefix() -> None:
    assert check_name("  Sidorenko   &  Partners ".replace("&", "and")) == "Sidorenko-and-Partners"
    for bad in ("A", "PCT", "wo", "a/b", "x" * 33, "-dash"):
        with pytest.raises(InputError):
            check_name(bad)


def test_a_teams_account_is_no_telegram_chat() -> None:
    # Telegram's ids have at most 52 significant bits (Bot API, chat_id)
    assert account_of(1) < -(2**52) + 1 and account_of(1) == -(ACCOUNT_BASE + 1)


# -- roles ----------------------------------------------------------------------------------


async def test_roles_decide_who_changes_and_a_team_keeps_an_owner(store: Store) -> None:
    rem, teams, _team, case_id = await firm(store)
    day = dt.date(2025, 3, 2)
    with pytest.raises(NotAllowed, match="Viewers of Sidorenko-IP"):
        await rem.record(VERA, case_id, Event(kind=EventKind.ANNUITY_PAID, date=day, year=5))
    with pytest.raises(NotAllowed):
        await rem.delete_case(VERA, case_id)
    assert (
        await rem.record(BORIS, case_id, Event(kind=EventKind.TRANSLATION_FILED, date=day))
    ).outcome.value == "recorded"
    with pytest.raises(InputError, match="Only an owner"):
        await teams.set_role(BORIS, None, "@anna", Role.VIEWER)
    with pytest.raises(InputError, match="keeps at least one owner"):
        await teams.set_role(ANNA, None, "@anna", Role.ATTORNEY)
    with pytest.raises(InputError, match="keeps at least one owner"):
        await teams.leave(ANNA, None)
    await teams.set_role(ANNA, None, "@boris", Role.OWNER)
    await teams.leave(ANNA, None)
    async with store.reading() as tx:
        assert await reach(tx, ANNA, case_id) is None  # gone with her membership
        stored = await tx.cases.events(account_of(1), case_id)
    boris = [e for e in stored if e.recorded_by == BORIS]
    assert [(e.kind, e.recorded_name) for e in boris] == [(EventKind.TRANSLATION_FILED, "Boris")]
    # the events Anna recorded before she shared the case carry her name too
    assert {e.recorded_name for e in stored if e.recorded_by == ANNA} == {"Anna"}


async def test_forgetting_hands_the_team_over_or_takes_a_team_of_one_with_it(store: Store) -> None:
    rem, teams, team_id, case_id = await firm(store)
    await rem.forget(ANNA)
    async with store.reading() as tx:
        members = {m.user_id: m.role for m in await tx.teams.members(team_id)}
        assert await tx.cases.get(account_of(team_id), case_id) is not None  # the team keeps it
    assert members == {BORIS: Role.OWNER, VERA: Role.VIEWER}
    solo = await teams.create(Who(DMITRI, "Dmitri"), "Lex")
    case, _ = await rem.save_case(DMITRI, CaseInput("L-1", Kind.PATENT, dt.date(2024, 1, 10)))
    await teams.share(DMITRI, case.id, None)
    await rem.forget(DMITRI)
    async with store.reading() as tx:
        assert await tx.teams.get(solo.id) is None
        assert await tx.teams.case_account(case.id) is None


# -- references -----------------------------------------------------------------------------


async def test_references_reach_only_the_users_own_and_their_teams(store: Store) -> None:
    rem, teams, _team, case_id = await firm(store)
    await rem.save_case(BORIS, CaseInput("P-1", Kind.PATENT, dt.date(2024, 1, 10)))  # his own
    async with store.reading() as tx:
        own = await find_ref(tx, BORIS, "p-1")
        team = await find_ref(tx, BORIS, "SIDORENKO-IP/P-1")
        outsider = [await find_ref(tx, DMITRI, r) for r in ("P-1", "Sidorenko-IP/P-1")]
        assert await reach(tx, DMITRI, case_id) is None
    assert own is not None and own.team is None and own.others == ("Sidorenko-IP/P-1",)
    assert team is not None and team.case.id == case_id and team.holding.role is Role.ATTORNEY
    assert outsider == [None, None]
    second = await teams.create(Who(BORIS, "Boris"), "Boris-Lab")
    await rem.delete_case(BORIS, own.case.id)
    case, _ = await rem.save_case(BORIS, CaseInput("P-1", Kind.PATENT, dt.date(2024, 1, 10)))
    await teams.share(BORIS, case.id, second.name)
    async with store.reading() as tx:
        with pytest.raises(Ambiguous) as chosen:
            await find_ref(tx, BORIS, "P-1")
    assert chosen.value.choices == ["Boris-Lab/P-1", "Sidorenko-IP/P-1"]


async def test_sharing_moves_the_case_and_its_alerts_and_nothing_else(store: Store) -> None:
    rem, teams, team_id, case_id = await firm(store)
    async with store.reading() as tx:
        rows = list(
            await tx.conn.execute_fetchall(
                "SELECT DISTINCT user_id FROM outbox WHERE case_id = ?", (case_id,)
            )
        )
    assert rows == [(account_of(team_id),)]
    mine, _ = await rem.save_case(ANNA, CaseInput("MINE-2", Kind.PATENT, dt.date(2024, 1, 10)))
    async with store.reading() as tx:
        assert await reach(tx, BORIS, mine.id) is None  # not shared: not visible
    with pytest.raises(InputError, match="already a case of Sidorenko-IP"):
        await teams.share(ANNA, case_id, None)
    other, _ = await rem.save_case(ANNA, CaseInput("p-1", Kind.PATENT, dt.date(2024, 1, 10)))
    with pytest.raises(InputError, match="already has a case"):
        await teams.share(ANNA, other.id, None)
    with pytest.raises(NotAllowed):
        vera_own, _ = await rem.save_case(VERA, CaseInput("V-1", Kind.PATENT, dt.date(2024, 1, 10)))
        await teams.share(VERA, vera_own.id, None)


# -- alerts: each chat once ------------------------------------------------------------------


async def test_a_team_alert_reaches_each_chat_once_across_a_failure_and_a_crash(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "t.sqlite3"
    store = await Store.open(path, clock=clock)
    rem, teams, _team_id, case_id = await firm(store)
    await teams.assign(ANNA, case_id, "@boris")
    await teams.link(ANNA, None, GROUP, admin=True)

    def script(call: int, alert: Alert) -> None:
        if alert.chat_id == GROUP and call == 2:
            raise TransientError("network")  # the group fails once: Boris has his already
        if alert.chat_id == GROUP and call == 3:
            raise Crash  # killed while sending to the group again

    notifier = RecordingNotifier(clock, script)
    d = dispatcher(rem, notifier, clock)
    await d.run_once()
    assert [a.chat_id for _t, a in notifier.sent] == [BORIS]
    clock.advance(10)
    with pytest.raises(Crash):
        await d.run_once()
    await store.close()
    store = await Store.open(path, clock=clock)  # restarted
    notifier = RecordingNotifier(clock)
    d = dispatcher(Reminders(store), notifier, clock)
    assert await d.reminders.release_claims() == 1
    await d.run_once()
    assert [a.chat_id for _t, a in notifier.sent] == [GROUP]  # Boris is not told twice
    sent = notifier.sent[0][1]
    assert sent.team == "Sidorenko-IP" and sent.assignee == "Boris" and sent.ref == "P-1"
    await d.run_once()
    assert len(notifier.sent) == 1
    await store.close()


async def test_without_assignee_or_group_every_owner_and_attorney_gets_it(
    store: Store, clock: FakeClock
) -> None:
    rem, teams, _team_id, case_id = await firm(store)
    await teams.assign(ANNA, case_id, "@boris")
    await teams.set_role(ANNA, None, "@boris", Role.VIEWER)  # a viewer handles nothing
    notifier = RecordingNotifier(clock)
    await dispatcher(rem, notifier, clock).run_once()
    assert sorted(a.chat_id for _t, a in notifier.sent) == [ANNA]
    assert notifier.sent[0][1].language is None
