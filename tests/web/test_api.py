"""The case desk's API through an ASGI client: sign-in on every call, one user never reaching
another's cases, every action through the core services (deadlines closing and opening as in
the chat), and bad input refused with one sentence. The clock stands on 12 January 2026."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest

from core.clock import FrozenClock
from core.deadlines import Event, EventKind
from core.i18n import translator
from core.models import Kind
from core.reminders import Reminders
from core.storage import CaseInput
from tests.web.helpers import ALICE, BOB, TOKEN
from web import create_app
from web.auth import launch_data

Client = Callable[..., httpx.AsyncClient]
D = dt.date


async def add(
    reminders: Reminders,
    owner: int,
    ref: str,
    filing: D,
    priority: D | None = None,
    *,
    title: str = "",
    kind: Kind = Kind.PATENT,
    events: tuple[tuple[EventKind, D], ...] = (),
) -> int:
    case = await reminders.add_case(owner, CaseInput(ref, kind, filing, priority, title))
    for event_kind, day in events:
        await reminders.record(owner, case.id, Event(kind=event_kind, date=day))
    return case.id


async def four_cases(reminders: Reminders) -> dict[str, int]:
    """One case of each standing on 12 January 2026."""
    e = EventKind
    return {
        # entry due 1 January 2026 (31 months from priority), moved past the holidays: overdue
        "overdue": await add(reminders, ALICE, "A-1", D(2024, 5, 30), D(2023, 6, 1)),
        # annual fee for year 4 due 21 November 2025, its grace runs to 21 May 2026
        "grace": await add(
            reminders,
            ALICE,
            "G-2",
            D(2022, 11, 21),
            title="Heat exchanger <b>with ribs</b>",
            events=(
                (e.ENTRY_MADE, D(2025, 6, 1)),
                (e.TRANSLATION_FILED, D(2025, 6, 1)),
                (e.EXAMINATION_REQUESTED, D(2025, 6, 1)),
            ),
        ),
        # entry due 1 February 2026 (a Sunday: 2 February): in 21 days
        "soon": await add(reminders, ALICE, "S-3", D(2024, 6, 28), D(2023, 7, 1), title="Pump"),
        "open": await add(reminders, ALICE, "O-4", D(2025, 5, 30), D(2024, 6, 1)),
    }


async def table(client: httpx.AsyncClient, **params: str) -> dict:
    response = await client.get("/api/cases", params=params)
    assert response.status_code == 200, response.text
    return response.json()


# -- sign-in ------------------------------------------------------------------------------------


async def test_session_in_the_users_telegram_language(desk_client: Client) -> None:
    response = await desk_client(ALICE, lang="be").get("/api/session")
    assert response.status_code == 200
    data = response.json()
    assert data["user"]["id"] == ALICE and data["local"] is False and data["lang"] == "be"
    assert data["strings"]["nav_cases"] == translator("be").gettext("Cases") != "Cases"
    assert response.headers["cache-control"] == "no-store"


async def test_the_language_chosen_in_the_chat_wins(
    desk_client: Client, reminders: Reminders
) -> None:
    await reminders.set_language(ALICE, "ru")
    data = (await desk_client(ALICE, lang="en").get("/api/session")).json()
    assert data["lang"] == "ru"
    changed = await desk_client(ALICE).put("/api/language", json={"lang": "be"})
    assert changed.status_code == 200
    assert (await desk_client(ALICE).get("/api/session")).json()["lang"] == "be"
    bad = await desk_client(ALICE).put("/api/language", json={"lang": "de"})
    assert bad.status_code == 422


def _forge(data: str, **changes: str) -> str:
    fields = dict(parse_qsl(data))
    fields.update(changes)
    return urlencode(fields)


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("missing", "missing"),
        ("other_token", "forged"),
        ("other_user", "forged"),
        ("later_auth_date", "forged"),
        ("no_hash", "forged"),
        ("twice", "forged"),
        ("garbage", "forged"),
        ("stale", "stale"),
        ("future", "stale"),
    ],
)
async def test_forged_stale_or_missing_launch_data_is_refused(
    desk_client: Client, clock: FrozenClock, reminders: Reminders, case: str, reason: str
) -> None:
    await add(reminders, ALICE, "A-1", D(2024, 5, 30))
    now = clock.now()
    good = launch_data(ALICE, TOKEN, now)
    data = {
        "missing": "",
        "other_token": launch_data(ALICE, "654321:another-bot", now),
        "other_user": _forge(good, user='{"id":2002,"first_name":"Bob"}'),
        "later_auth_date": _forge(good, auth_date=str(int(now.timestamp()) + 10)),
        "no_hash": urlencode({k: v for k, v in parse_qsl(good) if k != "hash"}),
        "twice": good + "&user=" + '{"id":2002}',
        "garbage": "%%%",
        "stale": launch_data(ALICE, TOKEN, now - dt.timedelta(hours=24, seconds=1)),
        "future": launch_data(ALICE, TOKEN, now + dt.timedelta(minutes=5)),
    }[case]
    client = desk_client(None, init_data=data) if data else desk_client(None)
    for path in ("/api/session", "/api/cases", "/api/cases/1"):
        response = await client.get(path, headers={"Accept-Language": "ru-RU,ru;q=0.9"})
        assert response.status_code == 401, path
        body = response.json()
        assert body["reason"] == reason
        assert body["message"] == translator("ru").gettext(
            {
                "missing": "This page opens from the bot in Telegram, which signs you in. Open "
                "it there with the menu button or /desk.",
                "forged": "The sign-in data is not valid for this bot. Open the desk again from "
                "the bot in Telegram.",
                "stale": "The sign-in data is more than 24 hours old. Close the desk and open it "
                "again from the bot in Telegram.",
            }[reason]
        )
    wrote = await client.post("/api/cases", json={"ref": "X-1", "filing": "2025-01-01"})
    assert wrote.status_code == 401
    async with reminders.store.transaction() as tx:
        assert [c.ref for c in await tx.cases.all(ALICE)] == ["A-1"]


async def test_launch_data_just_under_24_hours_old_signs_in(
    desk_client: Client, clock: FrozenClock
) -> None:
    data = launch_data(ALICE, TOKEN, clock.now() - dt.timedelta(hours=23, minutes=59))
    assert (await desk_client(None, init_data=data).get("/api/session")).status_code == 200


# -- the table ----------------------------------------------------------------------------------


async def test_the_table_says_where_each_case_stands(
    desk_client: Client, reminders: Reminders
) -> None:
    ids = await four_cases(reminders)
    data = await table(desk_client(ALICE))
    assert data["total"] == 4 and data["matched"] == 4
    assert data["counts"] == {"overdue": 1, "grace": 1, "soon": 1, "open": 1, "closed": 0}
    by_ref = {row["ref"]: row for row in data["rows"]}
    assert {ref: row["status"] for ref, row in by_ref.items()} == {
        "A-1": "overdue",
        "G-2": "grace",
        "S-3": "soon",
        "O-4": "open",
    }
    grace = by_ref["G-2"]
    # in grace: the last day it can be paid (with +50%) is the end of the grace
    assert grace["next"]["code"] == "annual_4_grace" and grace["next"]["date"] == "2026-05-21"
    assert by_ref["S-3"]["next"] == {
        "code": "national_phase_entry",
        "label": "Entry into the national phase",
        "date": "2026-02-02",
        "date_text": "Feb 2, 2026",
        "days": 21,
        "days_text": "21 days left",
    }
    assert by_ref["A-1"]["next"]["days_text"].endswith("days overdue")
    # the default order: by the next deadline, earliest first
    assert [row["id"] for row in data["rows"]] == [
        ids["overdue"],
        ids["soon"],
        ids["grace"],
        ids["open"],
    ]


async def test_filter_search_sort_and_pages(desk_client: Client, reminders: Reminders) -> None:
    await four_cases(reminders)
    client = desk_client(ALICE)
    assert [r["ref"] for r in (await table(client, status="grace"))["rows"]] == ["G-2"]
    found = await table(client, q="heat RIBS")  # every word, any letter case, in the title
    assert [r["ref"] for r in found["rows"]] == ["G-2"] and found["matched"] == 1
    assert [r["ref"] for r in (await table(client, q="s-3"))["rows"]] == ["S-3"]
    assert [r["ref"] for r in (await table(client, sort="ref", dir="desc"))["rows"]] == [
        "S-3",
        "O-4",
        "G-2",
        "A-1",
    ]
    assert [r["status"] for r in (await table(client, sort="status"))["rows"]] == [
        "overdue",
        "grace",
        "soon",
        "open",
    ]
    page = await table(client, sort="ref", limit="2", offset="2")
    assert [r["ref"] for r in page["rows"]] == ["O-4", "S-3"] and page["matched"] == 4
    for bad in ({"status": "late"}, {"sort": "id; drop"}, {"limit": "-1"}, {"offset": "x"}):
        response = await client.get("/api/cases", params=bad)
        assert response.status_code == 422, bad


# -- isolation ----------------------------------------------------------------------------------


async def test_another_users_case_is_not_found(desk_client: Client, reminders: Reminders) -> None:
    alices = await add(
        reminders, ALICE, "A-1", D(2024, 5, 30), events=((EventKind.ENTRY_MADE, D(2025, 12, 1)),)
    )
    bobs = await add(reminders, BOB, "B-1", D(2024, 5, 30))
    async with reminders.store.transaction() as tx:
        event_id = (await tx.cases.events(ALICE, alices))[0].id
    bob = desk_client(BOB)
    assert [r["ref"] for r in (await table(bob))["rows"]] == ["B-1"]
    attempts = [
        bob.get(f"/api/cases/{alices}"),
        bob.get(f"/api/cases/{alices}/timeline.png"),
        bob.post(f"/api/cases/{alices}/events", json={"event": "translation"}),
        bob.post(f"/api/cases/{alices}/act", json={"code": "translation"}),
        bob.delete(f"/api/cases/{alices}/events/{event_id}"),
        bob.delete(f"/api/cases/{bobs}/events/{event_id}"),  # his case, her event
        bob.put(f"/api/cases/{alices}/natural-person", json={"value": True}),
        bob.put(f"/api/cases/{alices}/alerts", json={"on": False}),
        bob.delete(f"/api/cases/{alices}"),
        bob.get("/api/cases/999999"),
        bob.get(f"/api/cases/{2**70}"),
    ]
    for attempt in attempts:
        response = await attempt
        assert response.status_code == 404, response.request.url
        assert response.json() == {"error": "There is no such case among yours."}
    async with reminders.store.transaction() as tx:
        case = await tx.cases.get(ALICE, alices)
        assert case is not None and not case.muted and not case.natural_person
        assert [e.kind for e in await tx.cases.events(ALICE, alices)] == [EventKind.ENTRY_MADE]


# -- a case and its actions ---------------------------------------------------------------------


async def test_the_case_page_has_every_open_deadline_with_its_basis_and_warnings(
    desk_client: Client, reminders: Reminders
) -> None:
    ids = await four_cases(reminders)
    client = desk_client(ALICE)
    overdue = (await client.get(f"/api/cases/{ids['overdue']}")).json()
    codes = [d["code"] for d in overdue["deadlines"]]
    assert codes[0] == "national_phase_entry" and "entry_reinstatement" in codes
    entry = overdue["deadlines"][0]
    assert entry["basis"] == "PCT Art. 22(3), 39(1)(b)" and entry["status"] == "overdue"
    assert entry["nominal_text"] == "January 1, 2026" and entry["why"]  # moved off the holidays
    assert any("reinstated" in w for w in entry["warnings"])
    route = next(d for d in overdue["deadlines"] if d["code"] == "entry_reinstatement")
    assert route["action"] == "route" and "BY.16" in route["route"]
    exam = next(d for d in overdue["deadlines"] if d["code"] == "examination_request")
    assert exam["warnings"] == [
        "This time limit cannot be extended or reinstated: without the request the Office "
        "refuses the grant (BY.08)."
    ]
    grace = (await client.get(f"/api/cases/{ids['grace']}")).json()
    assert grace["title"] == "Heat exchanger <b>with ribs</b>"  # text, as typed
    annual = next(d for d in grace["deadlines"] if d["code"] == "annual_4")
    assert annual["standing"] == "grace" and annual["action"] == "paid"
    assert annual["amount"] and annual["late_amount"]
    assert any("costs 50% more" in w and "(BY.12)" in w for w in annual["warnings"])
    assert any("Amounts of 2018" in n for n in grace["notes"])  # the schedule's age
    assert [e["kind"] for e in grace["events"]] == [
        "entry_made",
        "translation_filed",
        "examination_requested",
    ]


async def test_mark_paid_records_once_and_undo_opens_the_fee_again(
    desk_client: Client, reminders: Reminders
) -> None:
    ids = await four_cases(reminders)
    client = desk_client(ALICE)
    url = f"/api/cases/{ids['grace']}"
    paid = await client.post(f"{url}/act", json={"code": "annual_4_grace", "due": "2026-05-21"})
    assert paid.status_code == 200
    assert paid.json() == {
        "outcome": "recorded",
        "message": "Recorded: Annual fee for year 4 paid, on January 12, 2026.",
    }
    case = (await client.get(url)).json()
    assert [d["code"] for d in case["deadlines"]][:2] == ["annual_5", "annual_5_grace"]
    again = await client.post(f"{url}/act", json={"code": "annual_4", "due": "2025-11-21"})
    assert again.json()["outcome"] == "already"
    event = next(e for e in case["events"] if e["kind"] == "annuity_paid")
    undone = await client.delete(f"{url}/events/{event['id']}")
    assert undone.status_code == 200 and "Annual fee for year 4 paid" in undone.json()["message"]
    after = (await client.get(url)).json()
    assert [d["code"] for d in after["deadlines"]][:2] == ["annual_4", "annual_4_grace"]
    assert (await table(client, status="grace"))["rows"][0]["ref"] == "G-2"
    gone = await client.delete(f"{url}/events/{event['id']}")
    assert gone.status_code == 404


async def test_record_an_event_through_the_lifecycle(
    desk_client: Client, reminders: Reminders
) -> None:
    ids = await four_cases(reminders)
    client = desk_client(ALICE)
    url = f"/api/cases/{ids['soon']}"
    done = await client.post(f"{url}/events", json={"event": "entry", "date": "10.01.2026"})
    assert done.json()["message"] == "Recorded: National phase entered, on January 10, 2026."
    codes = [d["code"] for d in (await client.get(url)).json()["deadlines"]]
    assert "national_phase_entry" not in codes and "translation" in codes
    body = {"event": "annual", "year": "4", "date": "2026-01-11"}
    annual = await client.post(f"{url}/events", json=body)
    assert annual.json()["message"] == "Recorded: Annual fee for year 4 paid, on January 11, 2026."
    again = await client.post(f"{url}/events", json=body)
    assert again.json() == {
        "outcome": "already",
        "message": "Already recorded: Annual fee for year 4 paid. Nothing changed.",
    }
    refusals = [
        ({"event": "dance"}, "Unknown event"),
        ({"event": "annual", "year": "x"}, "“year”"),
        ({"event": "annual", "year": 40}, "got year 40"),
        ({"event": "entry", "date": "1.1.2020"}, "before the international filing date"),
        ({"event": "entry", "date": "31.02.2026"}, ""),
        ({"date": "2026-01-01"}, "“event”"),
    ]
    for body, words in refusals:
        response = await client.post(f"{url}/events", json=body)
        assert response.status_code == 422, body
        assert words in response.json()["error"], (body, response.json())
    route = await client.post(f"{url}/act", json={"code": "entry_reinstatement"})
    assert route.status_code == 422


async def test_natural_person_reduces_every_amount(
    desk_client: Client, reminders: Reminders
) -> None:
    ids = await four_cases(reminders)
    client = desk_client(ALICE)
    url = f"/api/cases/{ids['grace']}"

    def amount(case: dict) -> str:
        return next(d["amount"] for d in case["deadlines"] if d["code"] == "annual_4")

    full = amount((await client.get(url)).json())
    turned = await client.put(f"{url}/natural-person", json={"value": True})
    assert turned.status_code == 200 and turned.json()["natural_person"] is True
    reduced = (await client.get(url)).json()
    assert reduced["natural_person"] is True
    # 122.50 × 25% = 30.625, rounded half up (Summary, footnote 3)
    assert (full, amount(reduced)) == ("122.50\u00a0BYN", "30.63\u00a0BYN")
    assert (await client.put(f"{url}/natural-person", json={"value": "yes"})).status_code == 422


async def test_stop_and_resume_the_reminders(desk_client: Client, reminders: Reminders) -> None:
    ids = await four_cases(reminders)
    client = desk_client(ALICE)
    url = f"/api/cases/{ids['soon']}"
    stopped = await client.put(f"{url}/alerts", json={"on": False})
    assert stopped.json() == {"muted": True, "message": "Reminders for S-3 are stopped."}
    async with reminders.store.transaction() as tx:
        planned = [r for r in await tx.outbox.for_case(ALICE, ids["soon"]) if r.state == "planned"]
    assert planned == []
    assert (await client.get(url)).json()["muted"] is True
    row = next(r for r in (await table(client))["rows"] if r["ref"] == "S-3")
    assert row["muted"] is True
    resumed = await client.put(f"{url}/alerts", json={"on": True})
    assert resumed.json()["muted"] is False
    async with reminders.store.transaction() as tx:
        planned = [r for r in await tx.outbox.for_case(ALICE, ids["soon"]) if r.state == "planned"]
    assert len(planned) == 1


async def test_add_and_delete_a_case(desk_client: Client, reminders: Reminders) -> None:
    client = desk_client(ALICE)
    body = {
        "ref": " PCT/IB2025/000001 ",
        "kind": "utility-model",
        "priority": "",
        "filing": "15 марта 2025",
        "title": "Кран <шаровой>",
        "natural_person": True,
    }
    created = await client.post("/api/cases", json=body)
    assert created.status_code == 201
    case_id = created.json()["id"]
    case = (await client.get(f"/api/cases/{case_id}")).json()
    assert case["ref"] == "PCT/IB2025/000001" and case["kind"] == "utility-model"
    assert case["priority"] is None and case["filing"] == "2025-03-15"
    assert case["title"] == "Кран <шаровой>" and case["natural_person"] is True
    refusals = [
        (body, "You already have a case “PCT/IB2025/000001”."),
        ({**body, "ref": "pct/ib2025/000001"}, "You already have a case"),
        ({**body, "ref": "two words"}, "A case reference is 1 to 40 characters"),
        ({**body, "ref": "X-2", "filing": ""}, "Please give the international filing date."),
        ({**body, "ref": "X-2", "filing": "soon"}, "is not a date"),
        ({**body, "ref": "X-2", "priority": "2025-04-01"}, "is after the international filing"),
        ({**body, "ref": "X-2", "kind": "trademark"}, "Unknown kind"),
        ({**body, "ref": "X-2", "title": "x" * 501}, "longer than 500"),
        ({**body, "ref": "X-2", "natural_person": "no"}, "“natural_person”"),
        ({**body, "ref": 7}, "“ref”"),
    ]
    for bad, words in refusals:
        response = await client.post("/api/cases", json=bad)
        assert response.status_code == 422, bad
        assert words in response.json()["error"], (bad, response.json())
    for raw in (b"[1, 2]", b"{not json", b"\xff\xfe"):
        response = await client.post("/api/cases", content=raw)
        assert response.status_code == 422
        assert response.json()["error"] == "The request is not a JSON object."
    huge = await client.post("/api/cases", content=b"{" + b" " * 20_000 + b"}")
    assert huge.status_code == 413
    deleted = await client.delete(f"/api/cases/{case_id}")
    assert deleted.json()["message"] == "Case PCT/IB2025/000001 deleted."
    assert (await client.get(f"/api/cases/{case_id}")).status_code == 404
    assert (await table(client))["total"] == 0


async def test_errors_speak_the_users_language(desk_client: Client) -> None:
    response = await desk_client(ALICE, lang="ru").post(
        "/api/cases", json={"ref": "a b", "filing": "2025-01-01"}
    )
    assert response.status_code == 422
    assert response.json()["error"].startswith("Номер дела")


async def test_the_timeline_is_a_png(desk_client: Client, reminders: Reminders) -> None:
    ids = await four_cases(reminders)
    response = await desk_client(ALICE).get(f"/api/cases/{ids['grace']}/timeline.png")
    assert response.status_code == 200 and response.headers["content-type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")


async def test_without_matplotlib_the_timeline_says_why_in_the_users_language(
    desk_client: Client, reminders: Reminders, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pctby installed without its `timeline` extra: 501 and one sentence, which the page
    shows where the picture would be."""
    import draw.timeline

    monkeypatch.setattr(draw.timeline, "available", lambda: False)
    ids = await four_cases(reminders)
    response = await desk_client(ALICE, lang="be").get(f"/api/cases/{ids['grace']}/timeline.png")
    assert response.status_code == 501
    assert response.json()["error"].startswith("Малюнкі «Шкала тэрмінаў» на гэтым серверы")
    other = await desk_client(BOB).get(f"/api/cases/{ids['grace']}/timeline.png")
    assert other.status_code == 404  # another user's case: not found, as with the picture


# -- import and export --------------------------------------------------------------------------

CSV = (
    "telegram_user_id,ref,kind,priority_date,filing_date,title\n"
    "2002,I-1,patent,2024-01-10,2025-01-09,Imported one\n"
    ",I-2,utility-model,,2025-02-01,\n"
)


async def test_import_takes_every_row_as_the_callers(
    desk_client: Client, reminders: Reminders
) -> None:
    client = desk_client(ALICE)
    done = await client.post(
        "/api/import", content=CSV.encode(), headers={"Content-Type": "text/csv"}
    )
    assert done.status_code == 200, done.text
    assert done.json()["created"] == 2
    assert done.json()["message"] == "Import done. 2 cases added 0 cases updated"
    assert sorted(r["ref"] for r in (await table(client))["rows"]) == ["I-1", "I-2"]
    assert (await table(desk_client(BOB)))["total"] == 0  # the file's user id is not obeyed
    again = await client.post("/api/import", content=CSV.encode())
    assert again.json()["updated"] == 2 and again.json()["created"] == 0


async def test_a_bad_import_lists_every_bad_row_and_writes_nothing(
    desk_client: Client, reminders: Reminders
) -> None:
    client = desk_client(ALICE)
    bad = "ref,kind,filing_date\nB-1,patent,2025-01-01\nB-2,film,2025-01-01\nB-3,patent,someday\n"
    response = await client.post("/api/import", content=bad.encode())
    assert response.status_code == 422
    body = response.json()
    assert body["error"] == "Nothing was imported: 2 rows have errors."
    assert [line.split(":")[0] for line in body["errors"]] == ["line 3", "line 4"]
    assert (await table(client))["total"] == 0
    for content, words in (
        (b"\xff\xfe\x00bad", "could not read this file"),
        (b"ref,kind,filing_date\n", "no rows"),
        (b"name\nx\n", "lacks the column"),
    ):
        response = await client.post("/api/import", content=content)
        assert response.status_code == 422 and words in response.text, content


async def test_export_links_are_the_callers_and_short_lived(
    desk_client: Client, reminders: Reminders, clock: FrozenClock
) -> None:
    await four_cases(reminders)
    await add(reminders, BOB, "BOBS", D(2024, 5, 30))
    client = desk_client(ALICE)
    link = (await client.post("/api/export-link", json={"format": "csv"})).json()
    assert link["filename"] == "pctby-cases.csv" and link["url"].startswith("download/")
    anyone = desk_client(None)  # the link itself is the key: a download carries no header
    got = await anyone.get("/" + link["url"])
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
    assert "attachment" in got.headers["content-disposition"]
    text = got.text
    assert "A-1" in text and "G-2" in text and "BOBS" not in text
    ics = (await client.post("/api/export-link", json={"format": "ics"})).json()
    calendar = await anyone.get("/" + ics["url"])
    assert calendar.content.startswith(b"BEGIN:VCALENDAR")
    owner, what, expires, mac = link["url"].removeprefix("download/").split(".")
    for forged in (
        f"{BOB}.{what}.{expires}.{mac}",
        f"{owner}.ics.{expires}.{mac}",
        f"{owner}.{what}.{int(expires) + 60}.{mac}",
        "nonsense",
    ):
        assert (await anyone.get(f"/download/{forged}")).status_code == 404, forged
    clock.advance(seconds=121)
    assert (await anyone.get("/" + link["url"])).status_code == 404
    refused = await client.post("/api/export-link", json={"format": "pdf"})
    assert refused.status_code == 422


# -- the page and its headers -------------------------------------------------------------------


async def test_every_answer_carries_a_strict_csp(desk_client: Client) -> None:
    client = desk_client(None)
    for path in ("/", "/static/app.js", "/api/session"):
        response = await client.get(path)
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors https://web.telegram.org" in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    page = await client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


async def test_local_mode_has_no_sign_in_and_answers_only_loopback_hosts(
    reminders: Reminders, clock: FrozenClock
) -> None:
    app = create_app(reminders, clock, bot_token=None, local_user=10_000)
    await add(reminders, 10_000, "L-1", D(2025, 1, 9))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as local:
        session = (await local.get("/api/session")).json()
        assert session["local"] is True and session["user"]["id"] == 10_000
        assert [r["ref"] for r in (await table(local))["rows"]] == ["L-1"]
        page = await local.get("/")
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
    async with httpx.AsyncClient(transport=transport, base_url="http://evil.example") as rebound:
        assert (await rebound.get("/api/cases")).status_code == 400


async def test_before_the_bot_has_opened_its_services_the_api_waits(clock: FrozenClock) -> None:
    app = create_app(lambda: None, clock, bot_token=TOKEN)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://desk.test") as client:
        data = launch_data(ALICE, TOKEN, clock.now())
        response = await client.get("/api/cases", headers={"Authorization": f"tma {data}"})
        assert response.status_code == 503
        assert (await client.get("/")).status_code == 200  # the page itself needs no database
