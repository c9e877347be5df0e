"""A property: no sequence of commands by someone outside a team reveals a team case — its
reference, its title or its deadlines — in any answer, nor changes it.

Sidorenko-IP holds SEC-77 ("Secret pump of Sidorenko") and has its group. Dmitri, the owner of
another firm's team (Lex), types commands naming it in every way he could guess (SEC-77,
Sidorenko-IP/SEC-77, any letter case), presses buttons forged with its ids, and presses the
buttons under the team's group post. Each command naming the case is also sent naming a case
that does not exist (NON-77, the same length): the two answers must be the same but for the
name typed — so an answer that merely echoes what he typed reveals nothing — and no answer to
anything else may carry the reference, the title or a deadline of the case. Afterwards the case
is as it was: its events, its owner, its reminders.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cases.buttons import (
    Delete,
    DeleteYes,
    Events,
    PaidPast,
    Resume,
    SetNatural,
    ShowCard,
    Unrecord,
    Why,
)
from bot.offline import Sent
from bot.parse.buttons import DeadlineAct, DeadlineRoute, ShowTimeline, Snooze, StopAlerts
from bot.parse.callbacks import CallbackData
from core.deadlines import compute
from core.i18n import translator
from core.storage import case_facts
from tests.bot.helpers import GROUP, InGroup, firm, services
from tests.scripted import Chat

SECRET_REF = "SEC-77"
MISSING_REF = "NON-77"  # the same length: an echo of either reads the same
TITLE = "Secret pump of Sidorenko"
TEAM = "Sidorenko-IP"
NO_TEAM = "Zzzzzzzzz-IP"  # the same length

# (command, whether it names the case): "{ref}" and "{team}" are filled in
COMMANDS = [
    "/case {ref}",
    "/case {team}/{ref}",
    "/case {lower}",
    "/paid {ref}",
    "/paid {team}/{ref} 4",
    "/record {ref} entry",
    "/record {team}/{ref} annual-4 01.01.2026",
    "/unrecord {ref} entry",
    "/delete {team}/{ref}",
    "/timeline {ref}",
    "/entryform {team}/{ref}",
    "/team share {ref}",
    "/team share {ref} {team}",
    "/assign {team}/{ref} @anna",
    "/assign {ref} -",
    "/team invite {team} viewer",
    "/team remove {team} @anna",
    "/team leave {team}",
    "/team role {team} @dmitri owner",
]
PLAIN = ["/cases", "/team", "/export", "/team join AAAA-BBBB-CCCC-DDDD", "/help"]
BUTTONS = [
    "show",
    "why",
    "act",
    "route",
    "events",
    "unrec",
    "del",
    "delyes",
    "setnp",
    "paidpast",
    "resume",
    "timeline",
    "stop",
    "snooze",
    "group",
]


def forged(kind: str, case_id: int, event_id: int, outbox_id: int, day: dt.date) -> CallbackData:
    return {
        "show": ShowCard(case_id),
        "why": Why(case_id, "national_phase_entry"),
        "act": DeadlineAct(case_id, "national_phase_entry", day),
        "route": DeadlineRoute(case_id, "entry_reinstatement"),
        "events": Events(case_id),
        "unrec": Unrecord(case_id, event_id),
        "del": Delete(case_id),
        "delyes": DeleteYes(case_id),
        "setnp": SetNatural(case_id, True),
        "paidpast": PaidPast(case_id),
        "resume": Resume(case_id),
        "timeline": ShowTimeline(case_id),
        "stop": StopAlerts(case_id),
        "snooze": Snooze(outbox_id, 7),
    }[kind]


def read(replies: list[Sent]) -> list[str]:
    return [f"{s.plain} {' '.join(s.labels)}" for s in replies]


class World:
    """The firm, its secret case and group, and Dmitri outside it (set up once per test)."""

    def __init__(self) -> None:
        self.ready = False

    async def setup(self, app: Any, chat: Any, clock: Any, server: Any) -> None:
        if self.ready:
            return
        anna, _boris, _vera = await firm(chat)
        filed = clock.today() - dt.timedelta(days=900)
        await anna.send(f"/addcase {SECRET_REF} {filed:%d.%m.%Y} {filed:%d.%m.%Y}")
        reminders = services(app).reminders
        async with services(app).store.reading() as tx:
            case = await tx.cases.by_ref(anna.user_id, SECRET_REF)
        assert case is not None
        await reminders.update_case_details(anna.user_id, case.id, title=TITLE)
        await anna.send(f"/record {SECRET_REF} entry {clock.today():%d.%m.%Y}")
        server.members.join(GROUP, anna.user_id, "administrator")
        await InGroup(anna).send("/team link")
        await anna.send(f"/team share {SECRET_REF}")
        self.post = [s for s in server.sent if s.chat_id == GROUP and "📌" in s.plain][-1]
        self.case_id = case.id
        async with services(app).store.reading() as tx:
            found = await tx.teams.of_user(anna.user_id)
            self.account = found[0][0].account
            events = await tx.cases.events(self.account, case.id)
            rows = list(
                await tx.conn.execute_fetchall(
                    "SELECT id FROM outbox WHERE case_id = ?", (case.id,)
                )
            )
            self.facts = case_facts(case, events)
        self.event_id = events[0].id
        self.outbox_id = int(rows[0][0])
        self.before = await self.state(app)
        t = translator("en")
        self.dates = {t.date(d.date) for d in compute(self.facts)}
        self.dmitri = chat("en", first_name="Dmitri", username="dmitri")
        await self.dmitri.send("/team new Lex")
        self.today = clock.today()
        self.ready = True

    async def state(self, app: Any) -> Any:
        async with services(app).store.reading() as tx:
            case = await tx.cases.get(self.account, self.case_id)
            events = await tx.cases.events(self.account, self.case_id)
            outbox = await tx.outbox.for_case(self.account, self.case_id)
        assert case is not None
        return (
            case.owner_id,
            case.ref,
            case.title,
            case.muted,
            case.natural_person,
            [(e.kind, e.date, e.year) for e in events],
            [(r.origin, r.state, r.due_at) for r in outbox],
        )

    def secret(self, text: str) -> list[str]:
        found = [w for w in (SECRET_REF, TITLE, "Secret pump") if w.casefold() in text.casefold()]
        return found + [d for d in self.dates if d in text]


def fill(template: str, ref: str, team: str) -> str:
    return template.format(ref=ref, team=team, lower=ref.lower())


ACTIONS = st.one_of(
    st.tuples(st.just("cmd"), st.sampled_from(COMMANDS), st.booleans()),
    st.tuples(st.just("plain"), st.sampled_from(PLAIN), st.just(False)),
    st.tuples(st.just("button"), st.sampled_from(BUTTONS), st.booleans()),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(actions=st.lists(ACTIONS, min_size=1, max_size=6))
async def test_no_command_of_an_outsider_reveals_a_team_case(  # type: ignore[no-untyped-def]
    app, chat, clock, server, actions
) -> None:
    world = WORLDS.setdefault(id(app), World())
    await world.setup(app, chat, clock, server)
    dmitri: Chat = world.dmitri
    for kind, what, private in actions:
        if kind == "cmd":
            typed_team = TEAM if private else TEAM.lower()
            seen = read(await dmitri.send(fill(what, SECRET_REF, typed_team)))
            other = read(await dmitri.send(fill(what, MISSING_REF, NO_TEAM)))
            # the same answer but for what he typed
            echo = [
                s.replace(MISSING_REF, SECRET_REF)
                .replace(MISSING_REF.lower(), SECRET_REF.lower())
                .replace(NO_TEAM, typed_team)
                for s in other
            ]
            assert seen == echo, what
            continue
        if kind == "plain":
            answer = " ".join(read(await dmitri.send(what)))
        elif what == "group":
            answer = " ".join(read(await InGroup(dmitri).press(0, world.post)))
        else:
            data = forged(what, world.case_id, world.event_id, world.outbox_id, world.today)
            fake = Sent(
                "sendMessage",
                dmitri.user_id,
                1,
                "x",
                [[{"text": "B", "callback_data": data.encode()}]],
            )
            answer = " ".join(read(await dmitri.press(0, fake)))
        assert world.secret(answer) == [], (what, answer)
    assert await world.state(app) == world.before


WORLDS: dict[int, World] = {}
