"""`pctby entry-form DATA.toml --out FORM.docx`: the request to enter the national phase
(Annex BY.II for a patent, BY.III for a utility model) filled in from a TOML file.

Bad input exits with status 2 and one sentence naming the field; the document is written to a
temporary file beside FORM.docx and renamed over it only once it is complete, so a failed run
leaves nothing half-written.

With `--user ID --case REF` it works on a stored case (`PCTBY_DB`): what DATA.toml leaves out is
taken from the case as the chat's `/entryform` takes it — the kind, the filing date, the PCT
number (where the reference is one), the title, the WO number and the publication date the case
remembers — and from the user's last form in the chat (applicants, inventors, representative,
correspondence address). The file wins over both; the store is only read.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

from core import aio
from pctby import exits
from pctby.commands._common import add_lang, guarded, translator_for
from pctby.commands.cases import _user_id


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "entry-form",
        help="fill in the national-phase entry request (Annex BY.II / BY.III) as a .docx",
    )
    p.add_argument("data", metavar="DATA.toml", help="what the form says (see README)")
    p.add_argument("--out", required=True, metavar="FORM.docx", help="the document to write")
    p.add_argument("--user", type=_user_id, metavar="ID", help="with --case: whose case")
    p.add_argument(
        "--case",
        metavar="REF",
        help="fill what DATA.toml leaves out from this stored case (PCTBY_DB) and the user's "
        "last form in the chat; DATA.toml wins",
    )
    add_lang(p)
    p.set_defaults(func=guarded(run))


def run(args: argparse.Namespace) -> int:
    import tomllib

    from core.entryform import check_complete, overflow, parse_request, render
    from core.errors import N_, InputError

    t = translator_for(args)
    if (args.user is None) != (args.case is None):
        raise InputError(N_("Give --user and --case together."))
    source = Path(args.data)
    try:
        with source.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise InputError(
            N_("Cannot read {path}: {reason}."), path=args.data, reason=exc.strerror or exc
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(
            N_("{path} is not valid TOML: {reason}."), path=args.data, reason=str(exc)
        ) from None
    taken: list[str] = []
    if args.case is not None:
        ref, stored = aio.run(from_store(args.user, args.case))
        if "representative" in data:  # the role remembered was another representative's
            stored.pop("representative_is", None)
        taken = [key for key in stored if key not in data]
        data = {**stored, **data}
    request = parse_request(data)
    check_complete(request)
    content = render(request)
    out = Path(args.out)
    write_atomically(out, content)
    more = overflow(request)
    annex = "BY.II" if request.kind.value == "patent" else "BY.III"
    message = t.fmt("Written {path}: the request of Annex {annex}.", path=str(out), annex=annex)
    if taken:
        message += " " + t.fmt("Taken from case {ref}: {fields}.", ref=ref, fields=", ".join(taken))
    if more:
        message += " " + t.gettext(
            "Applicants or inventors that do not fit on the form are on a continuation sheet."
        )
    print(message)
    return exits.OK


async def from_store(user: int, ref: str) -> tuple[str, dict[str, Any]]:
    """The stored case's reference and what it and the user's last form give the request."""
    from core.entryform.answers import case_offers, from_case, recall
    from pctby.commands.case import _case, _open

    reminders = await _open(argparse.Namespace())
    try:
        case, _events, _team = await _case(reminders, user, ref)
        remembered = await recall(reminders.store, user)
    finally:
        await reminders.store.close()
    data: dict[str, Any] = {**from_case(case), **case_offers(case)}
    for key, value in remembered.model_dump(mode="json", exclude_none=True).items():
        if value:
            data[key] = value
    return str(case.ref), data


def write_atomically(path: Path, content: bytes) -> None:
    """Writes `content` to a temporary file in `path`'s folder, then renames it over `path`."""
    from core.errors import N_, InputError

    folder = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(
            N_("Cannot write {path}: {reason}."), path=str(path), reason=exc.strerror or exc
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
