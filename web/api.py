"""The case desk's JSON API: each endpoint signs the caller in, reads or calls one core
service, and answers in the caller's language.

    GET    api/session                          who, language, the page's words and choices
    PUT    api/language          {lang}         the user's language (as /language in the chat)
    GET    api/cases?q=&status=&sort=&dir=&offset=&limit=     the table
    POST   api/cases             {ref, kind, priority, filing, title, natural_person}
    GET    api/cases/{id}                       a case: deadlines, basis, warnings, events
    GET    api/cases/{id}/timeline.png          the timeline (core.timeline, draw.timeline)
    DELETE api/cases/{id}
    POST   api/cases/{id}/events {event, year, date}   record an event
    DELETE api/cases/{id}/events/{event_id}     undo: remove a recorded event
    POST   api/cases/{id}/act    {code, due}    Paid / Done on one deadline
    PUT    api/cases/{id}/natural-person {value}
    PUT    api/cases/{id}/alerts {on}           stop / resume the reminders
    POST   api/import            (text/csv)     import cases from a CSV file
    POST   api/export-link       {format}       a short-lived link: csv or ics
    GET    download/{token}                     the file of such a link

Answers: 200/201 with JSON; 401 {reason: missing|forged|stale, message} when the launch data
does not sign the caller in; 404 for a case the caller does not reach (whether it exists or
not); 403 {error} for a change a viewer of the case's team tries; 422 {error} for bad input,
in one sentence; 413 for a body over its cap; 501 {error} for the timeline picture where pctby
was installed without matplotlib (the `timeline` extra).

The caller reaches their own cases and those of their teams (`core.teams.access`): the table
lists them all, a team's marked with its name (`team`) and whether the caller may change it
(`can_write`: an owner or attorney of the team); every write goes through the core services,
which check the caller's role again in the same unit of work.
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import functools
import io
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import web.views as views
from core.dates import parse_date
from core.deadlines import CaseFacts
from core.errors import N_, InputError
from core.i18n import Translator
from core.importexport import (
    MAX_CASES_PER_USER,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    ImportErrors,
    check_case_cap,
    export_csv,
    export_ics,
    import_rows,
    parse_csv,
    too_big,
)
from core.lifecycle import case_status, parse_event
from core.models import Kind
from core.overview import Standing
from core.refs import check_ref
from core.reminders import Outcome, Recorded
from core.storage import MAX_TITLE, Case, CaseInput, DuplicateRef, StoredEvent, case_facts
from core.teams.access import NotAllowed, holding_of, holdings, reach
from core.teams.models import ROLE_LABELS
from core.teams.service import assignees_in
from core.text import clean
from web.auth import LaunchRefused, Refusal
from web.desk import Caller, Desk, NotFound, NotReady, known_lang
from web.strings import UI, ui_strings

log = logging.getLogger("pctby.web")

MAX_JSON = 16 * 1024  # bytes of a JSON body
MAX_LIMIT = 500  # rows of the table in one answer
DEFAULT_LIMIT = 100
MAX_ID = 2**63 - 1  # SQLite's INTEGER
MAX_LISTED_ERRORS = 100  # import errors listed in one answer
NO_STORE = {"Cache-Control": "no-store"}

REFUSALS = {
    Refusal.MISSING: "refused_missing",
    Refusal.FORGED: "refused_forged",
    Refusal.STALE: "refused_stale",
}
BAD_FIELD = N_("The field “{field}” is missing or not valid.")
NOT_JSON = N_("The request is not a JSON object.")
TOO_LARGE = N_("The request is too large.")
UNDECODABLE = N_(
    "I could not read this file as CSV text. Save it as “CSV UTF-8 (comma-delimited)” "
    "and send it again."
)


class TooLarge(Exception):
    pass


Handler = Callable[[Desk, Request], Awaitable[Response]]


def answer(data: Any, status: int = 200) -> JSONResponse:
    return JSONResponse(data, status_code=status, headers=NO_STORE)


def language_of(desk: Desk, request: Request) -> Translator:
    """The language to refuse a request in: the signed-in caller's, else a guess."""
    caller = getattr(request.state, "caller", None)
    return caller.t if isinstance(caller, Caller) else desk.refusal_language(request)


def endpoint(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """The handler with the desk, and every refusal as its own status and one sentence."""

    async def run(request: Request) -> Response:
        desk: Desk = request.app.state.desk
        try:
            return await handler(desk, request)
        except LaunchRefused as exc:
            words = ui_strings(desk.refusal_language(request))
            refusal = {"reason": exc.reason.value, "message": words[REFUSALS[exc.reason]]}
            return answer({"error": words["refused_title"], **refusal}, 401)
        except NotAllowed as err:
            return answer({"error": language_of(desk, request).error(err)}, 403)
        except InputError as err:
            return answer({"error": language_of(desk, request).error(err)}, 422)
        except NotFound:
            return answer({"error": language_of(desk, request).gettext(UI["not_found"])}, 404)
        except TooLarge:
            return answer({"error": language_of(desk, request).gettext(TOO_LARGE)}, 413)
        except NotReady:
            return answer({"error": "starting"}, 503)

    return run


async def signed_in(desk: Desk, request: Request) -> Caller:
    """The caller, signed in (kept on the request for the language of its errors)."""
    caller = await desk.caller(request)
    request.state.caller = caller
    return caller


# -- reading requests -----------------------------------------------------------------------------


async def body_of(request: Request, cap: int) -> bytes:
    """The request body, `TooLarge` past `cap` bytes (read no further)."""
    length = request.headers.get("content-length", "")
    if length.isdecimal() and int(length) > cap:
        raise TooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > cap:
            raise TooLarge
        chunks.append(chunk)
    return b"".join(chunks)


async def payload(request: Request) -> dict[str, Any]:
    try:
        data = json.loads(await body_of(request, MAX_JSON) or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise InputError(NOT_JSON) from None
    if not isinstance(data, dict):
        raise InputError(NOT_JSON)
    return data


def text_field(data: dict[str, Any], field: str, *, required: bool = False) -> str:
    value = data.get(field)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InputError(BAD_FIELD, field=field)
    if required and not value.strip():
        raise InputError(BAD_FIELD, field=field)
    return value


def bool_field(data: dict[str, Any], field: str) -> bool:
    value = data.get(field)
    if not isinstance(value, bool):
        raise InputError(BAD_FIELD, field=field)
    return value


def date_field(data: dict[str, Any], field: str) -> dt.date | None:
    text = text_field(data, field).strip()
    return parse_date(text) if text else None


def case_id_of(request: Request, key: str = "case_id") -> int:
    value = request.path_params[key]
    if not isinstance(value, int) or not 0 < value <= MAX_ID:
        raise NotFound
    return value


async def own_case(desk: Desk, caller: Caller, case_id: int) -> tuple[Case, list[StoredEvent]]:
    """The case if the caller reaches it (their own, or their team's); `NotFound` else."""
    async with desk.reminders.store.reading() as tx:
        reached = await reach(tx, caller.owner, case_id)
        if reached is None:
            raise NotFound
        return reached.case, await tx.cases.events(reached.account, case_id)


# -- the session ----------------------------------------------------------------------------------


async def session(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    t = caller.t
    today = await desk.reminders.today_for(caller.owner)
    name = caller.launch.first_name if caller.launch is not None else ""
    return answer(
        {
            "user": {"id": caller.owner, "name": name},
            "local": desk.local,
            "lang": caller.lang,
            "today": today.isoformat(),
            "today_text": t.date(today),
            "strings": ui_strings(t),
            **views.choices(t),
        }
    )


async def set_language(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    data = await payload(request)
    lang = known_lang(text_field(data, "lang", required=True))
    if lang is None:
        raise InputError(BAD_FIELD, field="lang")
    await desk.reminders.set_language(caller.owner, lang)
    return answer({"lang": lang})


# -- the table ------------------------------------------------------------------------------------


async def table_rows(desk: Desk, owner: int) -> tuple[list[views.Row], dt.date]:
    """Every case the owner sees — their own, then each team's — with its standing today: one
    read, then the rules."""
    reminders = desk.reminders
    today = await reminders.today_for(owner)
    rows: list[views.Row] = []
    async with reminders.store.reading() as tx:
        for holding in await holdings(tx, owner):
            cases = await tx.cases.all(holding.account)
            ids = [c.id for c in cases]
            events = await tx.cases.events_of(holding.account, ids) if cases else {}
            team = holding.team.name if holding.team is not None else None
            rows += [
                views.Row(
                    case,
                    views.standing_now(case, events.get(case.id, []), today),
                    team,
                    holding.writes,
                )
                for case in cases
            ]
    return rows, today


def _int_param(request: Request, name: str, default: int, high: int) -> int:
    text = request.query_params.get(name, "")
    if not text:
        return default
    if not text.isdecimal() or len(text) > 9:
        raise InputError(BAD_FIELD, field=name)
    return min(int(text), high)


async def list_cases(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    params = request.query_params
    query = params.get("q", "")[:200]
    status = params.get("status", "")
    if status and status not in {s.value for s in Standing}:
        raise InputError(BAD_FIELD, field="status")
    sort = params.get("sort", "next") or "next"
    if sort not in views.SORTS:
        raise InputError(BAD_FIELD, field="sort")
    descending = params.get("dir", "asc") == "desc"
    offset = _int_param(request, "offset", 0, 10**9)
    limit = _int_param(request, "limit", DEFAULT_LIMIT, MAX_LIMIT)
    rows, today = await table_rows(desk, caller.owner)
    counts = {s.value: 0 for s in Standing}
    for row in rows:
        counts[row.standing.standing.value] += 1
    chosen = [
        r
        for r in rows
        if (not status or r.standing.standing.value == status)
        and (not query or views.matches(r, query))
    ]
    chosen.sort(key=lambda r: views.sort_key(r, sort), reverse=descending)
    page = chosen[offset : offset + limit]
    t = caller.t
    return answer(
        {
            "today": today.isoformat(),
            "total": len(rows),
            "matched": len(chosen),
            "offset": offset,
            "counts": counts,
            "rows": [views.row_json(t, r, today) for r in page],
        }
    )


# -- a case ---------------------------------------------------------------------------------------


async def show_case(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    case, events = await own_case(desk, caller, case_id_of(request))
    today = await desk.reminders.today_for(caller.owner)
    facts = case_facts(case, events)
    open_now = case_status(facts, today)
    t = caller.t
    async with desk.reminders.store.reading() as tx:
        holding = await holding_of(tx, caller.owner, case.owner_id)
        assignee = (await assignees_in(tx, [case.id])).get(case.id)
    if holding is None:
        raise NotFound
    team = holding.team
    shown = views.case_json(
        t,
        case,
        facts,
        events,
        open_now,
        today,
        team=team.name if team is not None else None,
        role=t.gettext(ROLE_LABELS[holding.role]) if holding.role is not None else None,
        writes=holding.writes,
        assignee=assignee.label if assignee is not None else None,
        tz=desk.clock.tz,
    )
    return answer(shown)


async def timeline(desk: Desk, request: Request) -> Response:
    from core.deadlines import compute
    from core.explain import kind_label
    from core.timeline import PICTURE_MISSING, build_timeline
    from draw.timeline import available, render_png

    caller = await signed_in(desk, request)
    case, events = await own_case(desk, caller, case_id_of(request))
    t = caller.t
    if not available():
        return answer({"error": t.fmt(PICTURE_MISSING, ref=case.ref), "missing": True}, 501)
    today = await desk.reminders.today_for(caller.owner)
    facts = case_facts(case, events)
    title = t.fmt("Case {ref}", ref=case.ref) + " — " + kind_label(t, case.kind.value)
    timeline = build_timeline(facts, compute(facts), today, t, title=title)
    png = await asyncio.to_thread(render_png, timeline)
    return Response(png, media_type="image/png", headers=NO_STORE)


async def add_case(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    data = await payload(request)
    ref = check_ref(text_field(data, "ref", required=True))
    kind_text = text_field(data, "kind") or "patent"
    try:
        kind = Kind.parse(kind_text)
    except ValueError:
        raise InputError(
            N_("Unknown kind “{kind}”: use patent or utility-model."), kind=kind_text[:30]
        ) from None
    filing = date_field(data, "filing")
    if filing is None:
        raise InputError(N_("Please give the international filing date."))
    priority = date_field(data, "priority")
    CaseFacts(kind=kind, filing=filing, priority=priority)  # the dates' order
    title = " ".join(clean(text_field(data, "title")).split())
    if len(title) > MAX_TITLE:
        raise InputError(N_("The title is longer than {max} characters."), max=MAX_TITLE)
    natural = bool_field(data, "natural_person") if "natural_person" in data else False
    case_input = CaseInput(ref, kind, filing, priority, title, natural)
    try:
        case = await desk.reminders.add_case(
            caller.owner, case_input, language=known_lang(caller.telegram_lang)
        )
    except DuplicateRef:
        raise InputError(N_("You already have a case “{ref}”."), ref=ref) from None
    message = caller.t.fmt("Case {ref} saved.", ref=case.ref)
    return answer({"id": case.id, "ref": case.ref, "message": message}, 201)


async def delete_case(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    case, _events = await own_case(desk, caller, case_id_of(request))
    if not await desk.reminders.delete_case(caller.owner, case.id):
        raise NotFound
    return answer({"message": caller.t.fmt("Case {ref} deleted.", ref=case.ref)})


def recorded_message(t: Translator, result: Recorded) -> dict[str, Any]:
    event = result.event
    if result.outcome is Outcome.NO_CASE:
        raise NotFound
    what = views.event_label(t, event.kind, event.year) if event is not None else ""
    if result.outcome is Outcome.ALREADY:
        if event is None:
            text = t.gettext("This deadline is no longer open: nothing changed.")
        else:
            text = t.fmt("Already recorded: {what}. Nothing changed.", what=what)
        return {"outcome": result.outcome.value, "message": text}
    assert event is not None
    text = t.fmt("Recorded: {what}, on {date}.", what=what, date=t.date(event.date))
    return {"outcome": result.outcome.value, "message": text}


async def record(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    case, _events = await own_case(desk, caller, case_id_of(request))
    data = await payload(request)
    word = text_field(data, "event", required=True).strip()
    if word == "annual":
        year = data.get("year")
        if isinstance(year, str) and year.strip().isdecimal() and len(year.strip()) <= 3:
            year = int(year)
        if not isinstance(year, int) or isinstance(year, bool) or not 0 <= year < 1000:
            raise InputError(BAD_FIELD, field="year")
        word = f"annual-{year}"
    on = date_field(data, "date") or await desk.reminders.today_for(caller.owner)
    event = parse_event(word, on)
    result = await desk.reminders.record(caller.owner, case.id, event)
    return answer(recorded_message(caller.t, result))


async def act(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    case, _events = await own_case(desk, caller, case_id_of(request))
    data = await payload(request)
    code = text_field(data, "code", required=True).strip()[:40]
    due = date_field(data, "due")
    result = await desk.reminders.act(caller.owner, case.id, code, due)
    return answer(recorded_message(caller.t, result))


async def undo(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    case_id = case_id_of(request)
    event_id = case_id_of(request, "event_id")
    removed = await desk.reminders.unrecord(caller.owner, case_id, event_id=event_id)
    event = removed.event
    if removed.outcome is not Outcome.REMOVED or event is None:
        raise NotFound
    t = caller.t
    what = views.event_label(t, event.kind, event.year)
    return answer(
        {"message": t.fmt("Removed: {what}, of {date}.", what=what, date=t.date(event.date))}
    )


async def natural_person(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    case_id = case_id_of(request)
    value = bool_field(await payload(request), "value")
    case = await desk.reminders.set_natural_person(caller.owner, case_id, value)
    if case is None:
        raise NotFound
    t = caller.t
    if value:
        text = t.gettext(
            "The applicant is recorded as a natural person: the amounts are reduced by 75% "
            "(confirm the eligibility with the Office)."
        )
    else:
        text = t.gettext("The applicant is not recorded as a natural person: full amounts.")
    return answer({"natural_person": case.natural_person, "message": text})


async def alerts(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    case, _events = await own_case(desk, caller, case_id_of(request))
    on = bool_field(await payload(request), "on")
    reminders = desk.reminders
    done = await (reminders.resume if on else reminders.stop)(caller.owner, case.id)
    if not done:
        raise NotFound
    t = caller.t
    if on:
        text = t.fmt("Reminders for {ref} are on again.", ref=case.ref)
    else:
        text = t.fmt("Reminders for {ref} are stopped.", ref=case.ref)
    return answer({"muted": not on, "message": text})


# -- import and export ----------------------------------------------------------------------------


def import_errors(t: Translator, exc: ImportErrors) -> dict[str, Any]:
    n = len(exc.errors)
    return {
        "error": t.nfmt(
            "Nothing was imported: {n} row has an error.",
            "Nothing was imported: {n} rows have errors.",
            n,
        ),
        "errors": [
            t.fmt("line {line}: {reason}", line=e.line, reason=t.error(e.error))
            for e in exc.errors[:MAX_LISTED_ERRORS]
        ],
        "more": max(0, n - MAX_LISTED_ERRORS),
    }


async def import_csv(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    t = caller.t
    try:
        raw = await body_of(request, MAX_IMPORT_BYTES)
    except TooLarge:
        return answer({"error": t.error(too_big())}, 413)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(UNDECODABLE) from None
    try:
        today = await desk.reminders.today_for(caller.owner)  # no event after it
        parse = functools.partial(parse_csv, today=today)
        rows = await asyncio.to_thread(parse, io.StringIO(text), caller.owner, MAX_IMPORT_ROWS)
    except ImportErrors as exc:
        return answer(import_errors(t, exc), 422)
    except csv.Error:
        raise InputError(UNDECODABLE) from None
    if not rows:
        raise InputError(N_("The file has no rows to import."))
    reminders = desk.reminders
    await check_case_cap(reminders, rows, MAX_CASES_PER_USER)
    result = await import_rows(reminders, rows)
    lines = [
        t.gettext("Import done."),
        t.nfmt("{n} case added", "{n} cases added", result.created),
        t.nfmt("{n} case updated", "{n} cases updated", result.updated),
    ]
    return answer(
        {"created": result.created, "updated": result.updated, "message": " ".join(lines)}
    )


EXPORTS = {
    "csv": ("pctby-cases.csv", "text/csv; charset=utf-8"),
    "ics": ("pctby-deadlines.ics", "text/calendar; charset=utf-8"),
}


async def export_link(desk: Desk, request: Request) -> Response:
    caller = await signed_in(desk, request)
    what = text_field(await payload(request), "format", required=True)
    if what not in EXPORTS:
        raise InputError(BAD_FIELD, field="format")
    token = desk.download_token(caller.owner, what)
    return answer({"url": f"download/{token}", "filename": EXPORTS[what][0]})


async def download(desk: Desk, request: Request) -> Response:
    token = str(request.path_params["token"])
    what = token.split(".")[1] if token.count(".") == 3 else ""
    if what not in EXPORTS:
        raise NotFound
    owner = desk.download_owner(token, what)
    reminders = desk.reminders
    if what == "csv":
        content = (await export_csv(reminders, owner)).encode("utf-8")
    else:
        content = await export_ics(reminders, owner)
    name, media = EXPORTS[what]
    headers = {**NO_STORE, "Content-Disposition": f'attachment; filename="{name}"'}
    return Response(content, media_type=media, headers=headers)


def route(path: str, handler: Handler, methods: list[str]) -> Route:
    return Route(path, endpoint(handler), methods=methods)


ROUTES = [
    route("/api/session", session, ["GET"]),
    route("/api/language", set_language, ["PUT"]),
    route("/api/cases", list_cases, ["GET"]),
    route("/api/cases", add_case, ["POST"]),
    route("/api/cases/{case_id:int}", show_case, ["GET"]),
    route("/api/cases/{case_id:int}", delete_case, ["DELETE"]),
    route("/api/cases/{case_id:int}/timeline.png", timeline, ["GET"]),
    route("/api/cases/{case_id:int}/events", record, ["POST"]),
    route("/api/cases/{case_id:int}/events/{event_id:int}", undo, ["DELETE"]),
    route("/api/cases/{case_id:int}/act", act, ["POST"]),
    route("/api/cases/{case_id:int}/natural-person", natural_person, ["PUT"]),
    route("/api/cases/{case_id:int}/alerts", alerts, ["PUT"]),
    route("/api/import", import_csv, ["POST"]),
    route("/api/export-link", export_link, ["POST"]),
    route("/download/{token}", download, ["GET"]),
]
