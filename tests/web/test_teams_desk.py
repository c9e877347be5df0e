"""The case desk with teams: a member's table holds their team's cases, marked with the team;
a viewer's page changes nothing (403 for every change); an outsider never reaches them (404,
as for a case that does not exist)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx

from core.models import Kind
from core.reminders import Reminders
from core.storage import CaseInput
from core.teams.models import Role
from core.teams.service import Teams, Who
from tests.web.helpers import ALICE, BOB

Client = Callable[..., httpx.AsyncClient]
VERA = 3003


async def team_case(reminders: Reminders) -> int:
    """Alice's Sidorenko-IP (Bob an attorney, Vera a viewer) with her shared case T-1."""
    teams = Teams(reminders)
    await teams.create(Who(ALICE, "Alice"), "Sidorenko-IP")
    for who, role in ((Who(BOB, "Bob"), Role.ATTORNEY), (Who(VERA, "Vera"), Role.VIEWER)):
        await teams.join(who, (await teams.invite(ALICE, None, role)).code)
    case = await reminders.add_case(
        ALICE, CaseInput("T-1", Kind.PATENT, dt.date(2024, 5, 30), dt.date(2023, 6, 1), "Pump")
    )
    await teams.share(ALICE, case.id, None)
    return case.id


async def test_a_member_sees_the_team_case_and_a_viewer_changes_nothing(
    desk_client: Client, reminders: Reminders
) -> None:
    case_id = await team_case(reminders)
    await reminders.add_case(VERA, CaseInput("V-9", Kind.PATENT, dt.date(2024, 5, 30)))
    vera = desk_client(VERA)
    rows = (await vera.get("api/cases")).json()["rows"]
    assert {(r["ref"], r["team"], r["can_write"]) for r in rows} == {
        ("T-1", "Sidorenko-IP", False),
        ("V-9", None, True),
    }
    page = (await vera.get(f"api/cases/{case_id}")).json()
    assert (page["team"], page["role"], page["can_write"]) == ("Sidorenko-IP", "viewer", False)
    for method, path, body in (
        ("POST", f"api/cases/{case_id}/act", {"code": "national_phase_entry"}),
        ("POST", f"api/cases/{case_id}/events", {"event": "entry", "date": "2026-01-05"}),
        ("PUT", f"api/cases/{case_id}/natural-person", {"value": True}),
        ("PUT", f"api/cases/{case_id}/alerts", {"on": False}),
        ("DELETE", f"api/cases/{case_id}", None),
    ):
        answer = await vera.request(method, path, json=body)
        assert answer.status_code == 403, (path, answer.text)
        assert "Viewers of Sidorenko-IP" in answer.json()["error"]
    bob = desk_client(BOB)
    done = await bob.post(
        f"api/cases/{case_id}/events", json={"event": "entry", "date": "2026-01-05"}
    )
    assert done.status_code == 200, done.text
    page = (await vera.get(f"api/cases/{case_id}")).json()
    assert [e["source"] for e in page["events"]] == ["recorded by Bob, 12.01.2026"]
    assert "Sidorenko-IP" in (await vera.get("api/cases?q=sidorenko")).text


async def test_an_outsider_never_reaches_a_team_case(
    desk_client: Client, reminders: Reminders
) -> None:
    case_id = await team_case(reminders)
    outsider = desk_client(4004)
    assert (await outsider.get("api/cases")).json()["rows"] == []
    missing = await outsider.get(f"api/cases/{case_id + 1000}")
    hidden = await outsider.get(f"api/cases/{case_id}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()
    done = await outsider.post(f"api/cases/{case_id}/act", json={"code": "national_phase_entry"})
    assert done.status_code == 404
