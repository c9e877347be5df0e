"""`pctby run`: the Telegram bot (polling, or a webhook when PCTBY_WEBHOOK_URL is set); without
PCTBY_BOT_TOKEN, a console chat with the same bot on the local database — when there is someone
to chat with: standard input a terminal, a pipe or a file, or `--console`. Under a service
manager or in a container without `-i` (standard input /dev/null) a missing token is an error
(exit status 3), not a console that reads the end of its input and exits 0.

Start-up checks everything a restart cannot mend before the bot goes on line, and stops with
one sentence and its own exit status (`pctby.exits`): the settings and `.env` (3), the message
catalogs (5), the database — checked with `PRAGMA quick_check`, opened and migrated here,
refused when it is damaged, not pctby's, or a newer pctby wrote it (4) — one bot per database
(7), and then the Bot API: a rejected token (3), no answer (6). A background task that dies
while the bot runs stops it with status 1 (`bot.runner`), and the lock file says why
(`pctby health`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, Any

from pctby import exits

if TYPE_CHECKING:
    from core.settings import Settings

log = logging.getLogger("pctby")
WEBHOOK_PATH_KEY = "webhook_path"  # meta: the random path the webhook listens on by default


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "run",
        help="run the bot (with PCTBY_BOT_TOKEN), or chat with it in this terminal (without)",
    )
    p.add_argument("--console", action="store_true", help="console chat even if a token is set")
    p.add_argument(
        "--lang", default=None, help="console: the user's Telegram language (ru, be, en)"
    )
    p.add_argument("--db", default=None, help="database file (default: PCTBY_DB)")
    p.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    p.set_defaults(func=run)


class _Stop(Exception):
    """Start-up failed: one sentence for stderr and an exit status."""

    def __init__(self, status: int, sentence: str) -> None:
        super().__init__(sentence)
        self.status = status


def load_settings(**overrides: Any) -> Settings:
    """The settings (`core.settings.SettingsError`: one sentence, exit status 3)."""
    from core.settings import Settings, load

    return load(Settings, **overrides)


def stdin_can_chat() -> bool:
    """Someone can type to the console: standard input is a terminal, a pipe or a file — not
    /dev/null (systemd's default, `docker run` without -i), a socket or closed."""
    import os
    import stat

    try:
        fd = sys.stdin.fileno()
        mode = os.fstat(fd).st_mode
    except (OSError, ValueError, AttributeError):
        return False
    return os.isatty(fd) or stat.S_ISFIFO(mode) or stat.S_ISREG(mode)


class _Redacting(logging.Formatter):
    """Never writes the bot token (HTTP client logs carry it in every URL)."""

    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self.secrets = [s for s in secrets if s]

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self.secrets:
            text = text.replace(secret, "<redacted>")
        return text


def _not_bootstrap_failure(record: logging.LogRecord) -> bool:
    """python-telegram-bot logs a failed start-up with its traceback; `run` says it in one
    sentence instead (the traceback stays in the DEBUG log)."""
    return not (
        record.name.startswith("telegram")
        and "Bootstrap" in record.getMessage()
        and logging.getLogger().level > logging.DEBUG
    )


def setup_logging(level: str, secrets: list[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Redacting("%(asctime)s %(levelname)s %(name)s: %(message)s", secrets))
    handler.addFilter(_not_bootstrap_failure)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # One line per HTTP request (a poll every few seconds) is noise, not news.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
    logging.getLogger("httpcore").setLevel(max(logging.INFO, root.level))
    logging.getLogger("aiosqlite").setLevel(max(logging.INFO, root.level))  # a line per query


def run(args: argparse.Namespace) -> int:
    from core.errors import SettingsError
    from core.i18n import check_catalogs

    check_catalogs()  # an incomplete installation stops here (exit status 5), not mid-chat
    overrides: dict[str, Any] = {"db": args.db} if args.db else {}
    try:
        settings = load_settings(**overrides)
    except SettingsError as exc:
        sys.stderr.write(f"pctby: {exc}\n")
        return exits.BAD_SETTINGS
    console = settings.token is None or args.console
    if console and not args.console and not stdin_can_chat():
        sys.stderr.write(
            "pctby: PCTBY_BOT_TOKEN is not set, and standard input is not a terminal or a pipe"
            " to chat through (a service manager, or a container without -i): set"
            " PCTBY_BOT_TOKEN to run the bot, or use `pctby run --console` for the console"
            " chat.\n"
        )
        return exits.BAD_SETTINGS
    level: str = settings.log_level
    if args.verbose:
        level = "DEBUG"
    elif console and "log_level" not in settings.model_fields_set:
        level = "WARNING"  # the console is a chat: only what goes wrong interrupts it
    secrets = [settings.token or ""]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    setup_logging(level, secrets)
    try:
        return _run(settings, args, console=console, level=level)
    except _Stop as stop:
        log.debug("start-up failed", exc_info=True)
        sys.stderr.write(f"pctby: {stop}\n")
        return stop.status


def _run(settings: Settings, args: argparse.Namespace, *, console: bool, level: str) -> int:
    """One bot per database (`pctby.instance`): a second one exits with status 7; the lock
    file keeps how this one ended."""
    from pctby.instance import AlreadyRunningError, InstanceLock

    lock = InstanceLock(settings.db)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        raise _Stop(
            exits.BUSY,
            f"another pctby is already using the database {settings.db} ({exc}); stop it"
            " first, or give this one another database (PCTBY_DB).",
        ) from None
    except OSError as exc:
        raise _Stop(exits.DATABASE, f"cannot lock the database {settings.db}: {exc}.") from exc
    outcome = "stopped before it started"
    try:
        failure = _run_locked(settings, args, console=console, level=level)
        outcome = "clean stop" if failure is None else failure
        if failure is not None:
            sys.stderr.write(f"pctby: stopped: {failure}.\n")
            return exits.FAILED
        return exits.OK
    except _Stop as stop:
        outcome = f"did not start: {stop}"
        raise
    finally:
        lock.release(outcome)


def _run_locked(
    settings: Settings, args: argparse.Namespace, *, console: bool, level: str
) -> str | None:
    """The bot or the console; None after a clean stop, else why it stopped."""
    from pctby import version

    webhook = settings.webhook_url is not None and not console
    url_path = _open_database(settings, webhook=webhook)
    mode = "console" if console else "webhook" if webhook else "polling"
    log.info("pctby %s starting (%s): %s", version(), mode, settings.summary(level))
    failure: str | None = None
    try:
        if console:
            from bot.console import Console
            from core.i18n import env_lang

            Console(settings, language=args.lang or env_lang()).run()
        else:
            failure = _serve(settings, url_path)
    finally:
        log.info("pctby %s stopped%s", version(), f" ({failure})" if failure else "")
    return failure


def _open_database(settings: Settings, *, webhook: bool) -> str | None:
    """Checks (`PRAGMA quick_check`), opens (creating or migrating) the database before the bot
    goes on line; returns the path the webhook listens on (PCTBY_WEBHOOK_PATH, else a random one
    kept in the database)."""
    import secrets
    import sqlite3

    from core import aio
    from core.errors import DatabaseUnusable
    from core.storage import Store, check_file

    async def go() -> str | None:
        async with await Store.open(settings.db) as store:
            if not webhook:
                return None
            if settings.webhook_path:
                return settings.webhook_path
            async with store.transaction() as tx:
                path = await tx.meta.get(WEBHOOK_PATH_KEY)
                if path is None:
                    path = secrets.token_urlsafe(24)
                    await tx.meta.set(WEBHOOK_PATH_KEY, path)
            return path

    try:
        check_file(settings.db)
        return aio.run(go())
    except DatabaseUnusable as exc:
        raise _Stop(exits.DATABASE, f"{exc}.") from exc
    except sqlite3.DatabaseError as exc:
        raise _Stop(
            exits.DATABASE, f"{settings.db} cannot be used as the pctby database: {exc}."
        ) from exc
    except OSError as exc:
        raise _Stop(exits.DATABASE, f"cannot open the database {settings.db}: {exc}.") from exc


def _serve(settings: Settings, url_path: str | None) -> str | None:
    """The bot on line until a stop signal (None) or a background task's death (its reason)."""
    from telegram.error import BadRequest, InvalidToken, NetworkError

    from bot import runner
    from bot.app import Options, build_application
    from bot.handlers.gates import SERVED
    from core import aio
    from core.clock import SystemClock
    from core.errors import DatabaseUnusable

    webhook: runner.Webhook | None = None
    if settings.webhook_url and url_path is not None:
        _warn_if_paths_differ(settings.webhook_url, url_path)
        assert settings.webhook_secret is not None  # required with a webhook (Settings)
        webhook = runner.Webhook(
            url=settings.webhook_url,
            path=url_path,
            secret=settings.webhook_secret.get_secret_value(),
            listen=settings.webhook_listen,
            port=settings.webhook_port,
        )
    polling = runner.PollingRequest(runner.Outages()) if webhook is None else None
    clock = SystemClock(settings.tz)
    app = build_application(settings, Options(clock=clock, freeze_gc=True), poll_request=polling)
    # The case desk under /app: on the webhook's server, or — polling, with PCTBY_WEBAPP_URL
    # set — on a server of its own at PCTBY_WEBHOOK_LISTEN:PCTBY_WEBHOOK_PORT.
    desk = webhook is not None or settings.webapp_url is not None
    routes = [runner.desk_route(app, clock)] if desk else []
    listen = (settings.webhook_listen, settings.webhook_port) if desk and not webhook else None
    try:
        return aio.run(
            runner.run(app, allowed_updates=SERVED, webhook=webhook, routes=routes, listen=listen)
        )
    except InvalidToken as exc:
        raise _Stop(
            exits.BAD_SETTINGS, "Telegram rejected the bot token (PCTBY_BOT_TOKEN)."
        ) from exc
    except BadRequest as exc:  # e.g. setWebhook refused the URL
        raise _Stop(exits.BAD_SETTINGS, f"Telegram refused the bot's set-up: {exc}.") from exc
    except NetworkError as exc:
        raise _Stop(
            exits.UNREACHABLE,
            f"the Telegram Bot API at {settings.bot_api_url} could not be reached: {exc}.",
        ) from exc
    except OSError as exc:  # the webhook's address: in use, or not this host's
        raise _Stop(
            exits.FAILED,
            f"cannot listen on {settings.webhook_listen}:{settings.webhook_port}: {exc}.",
        ) from exc
    except DatabaseUnusable as exc:  # a newer pctby migrated the database meanwhile
        raise _Stop(exits.DATABASE, f"{exc}.") from exc


def _warn_if_paths_differ(url: str, url_path: str) -> None:
    from urllib.parse import urlsplit

    public = urlsplit(url).path.strip("/")
    if public != url_path.strip("/"):
        log.warning(
            "PCTBY_WEBHOOK_URL ends in /%s but the bot listens on /%s: Telegram's calls reach"
            " the bot only through a proxy that rewrites the one into the other (else set"
            " PCTBY_WEBHOOK_PATH=%s, or end the URL in /%s)",
            public,
            url_path,
            public or "…",
            url_path,
        )
    else:
        log.info("webhook: listening on /%s", url_path)
