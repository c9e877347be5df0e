"""Teams through the offline Bot API: two firms, a group, roles, removal, isolation.

Sidorenko-IP: Anna (owner), Boris (attorney), Vera (viewer) and its group, where Anna is an
administrator. Another firm, Lex: Dmitri, its owner, who never reaches Sidorenko-IP's cases.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from bot.cases.buttons import ShowCard
from bot.offline import Sent
from bot.parse.buttons import DeadlineAct
from tests.bot.helpers import GROUP, InGroup, dated, firm, invite, said, services
from tests.scripted import Chat


def near(clock: Any, days: int = 900) -> str:
    filed = clock.today() - dt.timedelta(days=days)  # the entry deadline weeks away: alerted now
    return f"{filed:%d.%m.%Y} {filed:%d.%m.%Y}"


async def shared_case(anna: Chat, clock: Any, ref: str = "A-1") -> int:
    await anna.send(f"/addcase {ref} {near(clock)}")
    assert f"{ref} is now a case of Sidorenko-IP" in said(await anna.send(f"/team share {ref}"))
    store = services(anna.app).store
    async with store.reading() as tx:
        found = await tx.teams.of_user(anna.user_id)
        case = await tx.cases.by_ref(found[0][0].account, ref)
    assert case is not None
    return int(case.id)


async def events_of(app: Any, case_id: int) -> int:
    async with services(app).store.reading() as tx:
        rows = await tx.conn.execute_fetchall(
            "SELECT count(*) FROM events WHERE case_id = ?", (case_id,)
        )
    return int(next(iter(rows))[0])


# -- the team's life ------------------------------------------------------------------------


async def test_a_firm_shares_a_case_and_every_member_sees_it_with_its_role(
    app, chat, clock
) -> None:  # type: ignore[no-untyped-def]
    anna, boris, vera = await firm(chat)
    listing = said(await anna.send("/team"))
    assert "Sidorenko-IP — your role: owner" in listing
    assert "• Anna (@anna) — owner" in listing and "• Boris (@boris) — attorney" in listing
    assert "• Vera (@vera) — viewer" in listing
    await anna.send(f"/addcase A-1 {near(clock)}")
    await anna.send(f"/addcase PRIVATE-9 {near(clock)}")
    await shared_case_only(anna)
    cases = said(await boris.send("/cases"))
    assert "Sidorenko-IP (attorney): 1 case:" in cases and "A-1" in cases
    assert "PRIVATE-9" not in cases  # nothing of Anna's own but what she shared
    card = said(await vera.send("/case A-1"))
    assert "Team: Sidorenko-IP (you: viewer)" in card
    viewer_buttons = [b["text"] for b in vera.last_with_buttons().buttons]
    assert not any(w in " ".join(viewer_buttons) for w in ("Paid", "Done", "Delete", "natural"))
    assert "Timeline" in viewer_buttons


async def shared_case_only(anna: Chat) -> None:
    assert "A-1 is now a case of Sidorenko-IP" in said(await anna.send("/team share A-1"))


async def test_an_attorney_records_and_the_card_says_who_and_when(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    anna, boris, _vera = await firm(chat)
    await shared_case(anna, clock)
    entry = clock.today() - dt.timedelta(days=1)
    recorded = said(await boris.send(f"/record A-1 entry {entry:%d.%m.%Y}"))
    assert "Recorded for A-1" in recorded
    card = said(await anna.send("/case A-1"))
    assert f"recorded by Boris, {clock.today():%d.%m.%Y}" in card
    exported = [
        s for s in await anna.send("/export") if s.document and s.document[0].endswith(".csv")
    ]
    text = exported[0].document[1].decode()  # type: ignore[index]
    header, row = text.splitlines()[0].split(","), text.splitlines()[1]
    assert header[-2:] == ["team", "recorded_by"]
    assert row.startswith(",A-1,") and row.endswith(
        f",Sidorenko-IP,Boris {clock.today().isoformat()}"
    )


async def test_a_viewer_sees_but_cannot_record_delete_or_change(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    anna, _boris, vera = await firm(chat)
    case_id = await shared_case(anna, clock)
    before = await events_of(app, case_id)
    for command in ("/paid A-1", "/record A-1 entry", "/unrecord A-1 entry"):
        assert "Viewers of Sidorenko-IP see its cases but do not change them" in said(
            await vera.send(command)
        ), command
    # a forged Paid button, and /delete's confirmation
    forged = Sent(
        "sendMessage",
        vera.user_id,
        1,
        "x",
        [
            [
                {
                    "text": "Paid",
                    "callback_data": DeadlineAct(
                        case_id, "national_phase_entry", clock.today()
                    ).encode(),
                }
            ]
        ],
    )
    assert "Viewers of Sidorenko-IP" in said(await vera.press("Paid", forged))
    assert "Delete the case Sidorenko-IP/A-1" in said(await vera.send("/delete A-1"))
    assert "Viewers of Sidorenko-IP" in said(await vera.press("Yes, delete"))
    assert await events_of(app, case_id) == before
    assert "A-1" in said(await anna.send("/cases"))


async def test_removal_takes_effect_at_once(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    anna, boris, _vera = await firm(chat)
    case_id = await shared_case(anna, clock)
    await boris.send("/case A-1")
    card = boris.last_with_buttons()
    removed = said(await anna.send("/team remove @boris"))
    assert "Boris is no longer in Sidorenko-IP" in removed
    assert "You are no longer a member of Sidorenko-IP" in said(boris.said()[-1:])
    assert "A-1" not in said(await boris.send("/cases"))
    assert "You have no case “A-1”" in said(await boris.send("/case A-1"))
    before = await events_of(app, case_id)
    pressed = said(await boris.press(0, card))  # his old card's buttons
    assert "no longer exists" in pressed
    assert await events_of(app, case_id) == before


async def test_a_team_keeps_an_owner_and_codes_are_single_use(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    anna, boris, _vera = await firm(chat)
    assert "keeps at least one owner" in said(await anna.send("/team role @anna attorney"))
    assert "keeps at least one owner" in said(await anna.send("/team leave"))
    assert "Only an owner of Sidorenko-IP" in said(await boris.send("/team invite viewer"))
    code = await invite(anna, "viewer")
    gleb, zoya = chat("en", first_name="Gleb"), chat("en", first_name="Zoya")
    # the invitation's deep link, t.me/pctby_bot?start=join-CODE
    assert "Welcome to Sidorenko-IP" in said(
        await gleb.send(f"/start join-{code.replace('-', '')}")
    )
    again = said(await zoya.send(f"/team join {code}"))
    assert "This invitation code is not valid" in again  # used: the same answer as a wrong one
    assert "This invitation code is not valid" in said(
        await zoya.send("/team join AAAA-BBBB-CCCC-DDDD")
    )
    assert "now owner of the team" in said(await anna.send("/team role @boris owner"))
    assert "You left Sidorenko-IP" in said(await anna.send("/team leave"))
    assert "Sidorenko-IP" not in said(await anna.send("/team"))


async def test_the_last_member_leaving_deletes_the_team_after_asking(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    solo = chat("en", first_name="Solo")
    await solo.send("/team new Solo-IP")
    await solo.send(f"/addcase S-1 {near(clock)}")
    await solo.send("/team share S-1")
    asked = said(await solo.send("/team leave"))
    assert "You are the last member of Solo-IP: leaving deletes the team and its 1 case" in asked
    assert "Kept" in said(await solo.press("No, keep it"))
    assert "S-1" in said(await solo.send("/cases"))
    await solo.send("/team leave")
    assert "Team Solo-IP deleted with its cases" in said(await solo.press("Yes, delete the team"))
    assert "S-1" not in said(await solo.send("/cases"))


# -- references -----------------------------------------------------------------------------


async def test_own_and_team_references_alike_are_told_apart(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    anna, boris, _vera = await firm(chat)
    await shared_case(anna, clock)
    await boris.send(f"/addcase A-1 {near(clock, 700)}")  # his own A-1
    own = said(await boris.send("/case A-1"))
    assert "Team:" not in own and "your teams have one too: Sidorenko-IP/A-1" in own
    team = said(await boris.send("/case sidorenko-ip/a-1"))
    assert "Team: Sidorenko-IP (you: attorney)" in team
    # two teams with A-1, none of his own: he names which
    await boris.send("/team new Boris-Lab")
    await boris.send("/team share A-1 Boris-Lab")
    both = said(await boris.send("/case A-1"))
    assert "“A-1” is a case of several of your teams: write Boris-Lab/A-1, Sidorenko-IP/A-1" in both


async def test_another_firm_never_learns_a_reference_exists(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    anna, _boris, _vera = await firm(chat)
    case_id = await shared_case(anna, clock)
    dmitri = chat("en", first_name="Dmitri", username="dmitri")
    await dmitri.send("/team new Lex")
    for ref in ("A-1", "Sidorenko-IP/A-1", "NOPE-1", "Sidorenko-IP/NOPE-1"):
        answer = said(await dmitri.send(f"/case {ref}"))
        assert answer == f"You have no case “{ref}”. See your cases with /cases.", answer
    wrong = said(await dmitri.send("/team join XXXX-XXXX-XXXX-XXXX"))
    assert "not valid" in wrong and "Sidorenko-IP" not in wrong
    forged = Sent(
        "sendMessage",
        dmitri.user_id,
        1,
        "x",
        [[{"text": "Card", "callback_data": ShowCard(case_id).encode()}]],
    )
    assert "no longer exists" in said(await dmitri.press("Card", forged))
    assert "You are not in a team “Sidorenko-IP”" in said(
        await dmitri.send("/team invite Sidorenko-IP viewer")
    )
    assert "You are not in a team “Nope”" in said(await dmitri.send("/team invite Nope viewer"))


# -- the team's group -----------------------------------------------------------------------


async def test_linking_a_group_checks_the_administrator_at_that_moment(
    app, chat, clock, server
) -> None:  # type: ignore[no-untyped-def]
    anna, boris, _vera = await firm(chat)
    await shared_case(anna, clock)
    server.members.join(GROUP, anna.user_id, "member")
    server.members.join(GROUP, boris.user_id, "administrator")
    in_group = InGroup(anna)
    refused = said(await in_group.send("/team link"))
    assert "Only an administrator of this group can link it to a team" in refused
    assert "Only an owner of Sidorenko-IP" in said(await InGroup(boris).send("/team link"))
    server.members.join(GROUP, anna.user_id, "administrator")
    linked = said(await in_group.send("/team link"))
    assert "This group now gets the reminders of Sidorenko-IP" in linked
    assert "Nearest deadlines:" in linked and "A-1 — " in linked
    # sharing into a linked team brings the case's nearest deadline to the group at once
    await anna.send(f"/addcase B-2 {near(clock, 800)}")
    mark = len(server.sent)
    await anna.send("/team share B-2")
    posted = [s for s in server.sent[mark:] if s.chat_id == GROUP]
    assert len(posted) == 1 and "📌 Anna shared B-2 with the team" in posted[0].plain
    assert "Nearest deadline:" in posted[0].plain and posted[0].buttons
    assert "no longer gets the reminders" in said(await in_group.send("/team unlink"))


async def test_group_buttons_act_only_for_owners_and_attorneys(app, chat, clock, server) -> None:  # type: ignore[no-untyped-def]
    anna, boris, vera = await firm(chat)
    case_id = await shared_case(anna, clock)
    server.members.join(GROUP, anna.user_id, "administrator")
    await InGroup(anna).send("/team link")
    await anna.send(f"/addcase B-2 {near(clock, 800)}")
    await anna.send("/team share B-2")
    post = [s for s in server.sent if s.chat_id == GROUP and "📌" in s.plain][-1]
    b2 = int(re.findall(r":(\d+):", post.buttons[0]["callback_data"])[0])
    outsider = chat("en", first_name="Dmitri")
    for who in (vera, outsider):
        refused = await InGroup(who).press(0, post)
        assert [s.method for s in refused] == ["answerCallbackQuery"]
        assert "Not allowed" in refused[0].plain
    assert await events_of(app, b2) == 0
    recorded = said(await InGroup(boris).press(0, post))
    assert "Boris recorded:" in recorded
    assert await events_of(app, b2) == 1
    # removed a moment ago: his press does nothing any more
    await anna.send("/team remove @boris")
    refused = await InGroup(boris).press(0, post)
    assert "Not allowed" in said(refused)
    assert case_id != b2


# -- alerts ---------------------------------------------------------------------------------


async def alerts_to(app: Any, server: Any) -> dict[int, list[str]]:
    mark = len(server.sent)
    await services(app).dispatcher.run_once()
    found: dict[int, list[str]] = {}
    for sent in server.sent[mark:]:
        if "⏰" in sent.plain:
            found.setdefault(sent.chat_id, []).append(sent.plain)
    return found


@dated
async def test_a_team_alert_goes_to_owners_and_attorneys_without_assignee_or_group(
    app, chat, clock, server
) -> None:  # type: ignore[no-untyped-def]
    anna, boris, vera = await firm(chat)
    await shared_case(anna, clock)
    got = await alerts_to(app, server)
    assert set(got) == {anna.user_id, boris.user_id}  # the viewer gets none; each one once
    assert all(len(v) == 1 and "Sidorenko-IP · A-1" in v[0] for v in got.values())
    assert vera.user_id not in got


@dated
async def test_a_team_alert_goes_to_its_assignee_and_the_group_once(
    app, chat, clock, server
) -> None:  # type: ignore[no-untyped-def]
    anna, boris, _vera = await firm(chat)
    await shared_case(anna, clock)
    assert "is a viewer of Sidorenko-IP" in said(await anna.send("/assign A-1 @vera"))
    assert "Boris handles A-1" in said(await anna.send("/assign A-1 @boris"))
    assert "You handle A-1 of Sidorenko-IP now" in said(boris.said()[-1:])
    server.members.join(GROUP, anna.user_id, "administrator")
    await InGroup(anna).send("/team link")
    got = await alerts_to(app, server)
    assert set(got) == {boris.user_id, GROUP}
    assert "Handled by Boris" in got[GROUP][0]
    assert await alerts_to(app, server) == {}  # nothing twice


async def test_import_into_a_team_by_its_attorney(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    anna, boris, vera = await firm(chat)
    entry = clock.today() - dt.timedelta(days=3)
    rows = f"ref,kind,filing_date,events\nIMP-1,patent,10.03.2025,entry_made:{entry.isoformat()}\n"
    assert "Import into your own cases or into a team's?" in said(await boris.send("/import"))
    await boris.press("Into Sidorenko-IP")
    assert "Import done" in said(await boris.upload("cases.csv", rows.encode()))
    card = said(await anna.send("/case IMP-1"))
    assert "Team: Sidorenko-IP" in card
    assert f"imported by Boris, {clock.today():%d.%m.%Y}" in card
    assert "Viewers of Sidorenko-IP" in said(await vera.send("/import Sidorenko-IP"))
    await boris.send("/team new Boris-Lab")
    other = (
        "ref,kind,filing_date,team\nX-1,patent,10.03.2025,Lex\nX-2,patent,10.03.2025,boris-lab\n"
    )
    refused = said(await boris.upload("x.csv", other.encode(), caption="/import"))
    assert "team: “Lex” is not a team you may add cases to" in refused
    assert "Nothing was imported" in refused
    mixed = "ref,kind,filing_date,team\nX-2,patent,10.03.2025,boris-lab\n"
    assert "Import done" in said(await boris.upload("x.csv", mixed.encode(), caption="/import"))
    assert "Boris-Lab (owner): 1 case" in said(await boris.send("/cases"))


async def planned_times(app: Any, case_id: int) -> set[str]:
    """The Minsk times of day of a case's planned alerts."""
    async with services(app).store.reading() as tx:
        rows = await tx.conn.execute_fetchall(
            "SELECT due_at FROM outbox WHERE case_id = ? AND state = 'planned'", (case_id,)
        )
    minsk = dt.timezone(dt.timedelta(hours=3))
    return {f"{dt.datetime.fromtimestamp(int(r[0]), minsk):%H:%M}" for r in rows}


async def test_a_teams_reminder_settings_are_read_by_members_and_set_by_owners(
    app, chat, clock
) -> None:  # type: ignore[no-untyped-def]
    anna, boris, vera = await firm(chat)
    case_id = await shared_case(anna, clock, "A-7")
    far = f"{clock.today() - dt.timedelta(days=700):%d.%m.%Y}"  # entry ~7 months away
    await anna.send(f"/addcase A-8 {far} {far}")
    await anna.send("/team share A-8")
    async with services(app).store.reading() as tx:
        team = (await tx.teams.of_user(anna.user_id))[0][0]
        later = await tx.cases.by_ref(team.account, "A-8")
    assert later is not None
    assert await planned_times(app, later.id) == {"10:00"}  # the defaults
    shown = said(await vera.send("/reminders team"))
    assert "Reminder settings of the team Sidorenko-IP" in shown and "Alert time: 10:00" in shown
    for member in (vera, boris):  # a viewer and an attorney read them, never change them
        refused = said(await member.send("/reminders team time 07:15"))
        assert "Only an owner of Sidorenko-IP can do that." in refused
    saved = said(await anna.send("/reminders team Sidorenko-IP time 08:30"))
    assert "Saved." in saved and "Alert time: 08:30" in saved
    assert await planned_times(app, later.id) == {"08:30"}  # the team's cases replanned
    assert "Alert time: 10:00" in said(await anna.send("/reminders"))  # hers are her own
    assert "Alert time: 08:30" in said(await boris.send("/reminders team"))
    asked = said(await anna.send("/reminders team time"))
    assert "Give the values too, for example /reminders team Sidorenko-IP time 09:30." in asked
    quiet = said(await anna.send("/reminders team quiet 08:00 09:00"))
    assert "The team's alerts will come at 09:00, not at 08:30" in quiet
    assert await planned_times(app, later.id) == {"09:00"}
    assert "not in a team “Other”" in said(await anna.send("/reminders team Other time 09:00"))
    outsider = chat("en")
    assert "You are in no team yet" in said(await outsider.send("/reminders team"))
    saved = said(await anna.send("/reminders team reset"))
    assert "Alert time: 10:00" in saved
    assert await planned_times(app, later.id) == {"10:00"}
    assert case_id != later.id
