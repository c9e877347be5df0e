"""`pctby web`: the case desk (web/) served by uvicorn on the bot's database.

    pctby web [--host 127.0.0.1] [--port 8080] [--db PATH]

Without PCTBY_BOT_TOKEN the desk is the console's local user's (the user `pctby run` without
a token chats as), with no sign-in — so it listens on a loopback address only and answers
only requests whose Host header names one. With a token, every API call must carry the
launch data Telegram signs with it: open the desk from the bot (PCTBY_WEBAPP_URL).
Alerts the desk plans are sent by the bot (`pctby run`), which works beside it.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import Any

from pctby import exits


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "web",
        help="the case desk in a browser (the bot's Mini App) on the local database",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    p.add_argument("--db", default=None, help="database file (default: PCTBY_DB)")
    p.set_defaults(func=run)


def loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    from core.i18n import check_catalogs
    from pctby.commands.run import load_settings

    check_catalogs()
    if not 0 < args.port < 65536:
        sys.stderr.write(f"pctby: --port {args.port} is not a TCP port (1-65535).\n")
        return exits.BAD_INPUT
    overrides = {"db": args.db} if args.db else {}
    settings = load_settings(**overrides)
    if settings is None:
        return exits.BAD_SETTINGS
    token = settings.token
    if token is None and not loopback(args.host):
        sys.stderr.write(
            f"pctby: without PCTBY_BOT_TOKEN the desk has no sign-in: it listens on a loopback "
            f"address only (127.0.0.1, ::1, localhost), not {args.host}.\n"
        )
        return exits.BAD_INPUT
    status = _check_database(settings.db)
    if status != exits.OK:
        return status
    return _serve(settings, args.host, args.port)


def _check_database(db: Any) -> int:
    """Opened (and migrated) once before the server starts, so that a database the desk
    cannot use stops it here with one sentence."""
    from core import aio
    from core.storage import SchemaTooNew, Store

    async def go() -> None:
        store = await Store.open(db)
        await store.close()

    try:
        aio.run(go())
    except SchemaTooNew as exc:
        sys.stderr.write(f"pctby: {exc}.\n")
        return exits.DATABASE
    except Exception as exc:  # not a database, no permission, a folder…
        sys.stderr.write(f"pctby: cannot open the database {db}: {exc}.\n")
        return exits.DATABASE
    return exits.OK


def _serve(settings: Any, host: str, port: int) -> int:
    import uvicorn

    from bot.console import CONSOLE_USER_ID
    from core.clock import SystemClock
    from web import standalone

    token = settings.token
    hosts = None
    if token is None:
        hosts = sorted({"127.0.0.1", "localhost", "::1", "[::1]", host})
    app = standalone(
        settings.db,
        SystemClock(settings.tz),
        bot_token=token,
        local_user=CONSOLE_USER_ID if token is None else None,
        allowed_hosts=hosts,
        default_tz=settings.timezone,
    )
    shown = f"[{host}]" if ":" in host else host
    who = (
        "the console's local user, no sign-in"
        if token is None
        else "signed in with Telegram's launch data: open it from the bot"
    )
    print(f"pctby: the case desk on http://{shown}:{port}/ ({who}); Ctrl-C stops it.", flush=True)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=False,
        server_header=False,
        proxy_headers=False,
    )
    return exits.OK
