"""`pctby run`: the Telegram bot (polling, or a webhook when PCTBY_WEBHOOK_URL is set); without
PCTBY_BOT_TOKEN, a console chat with the same bot on the local database.

Start-up checks everything a restart cannot mend before the bot goes on line, and stops with
one sentence and its own exit status (`pctby.exits`): the settings (3), the message catalogs and
the webhooks extra (5), the database — opened and migrated here, refused when a newer pctby
wrote it (4) — and then the Bot API: a rejected token (3), no answer (6).
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING, Any

from pctby import exits

if TYPE_CHECKING:
    from bot.settings import Settings

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


def load_settings(**overrides: Any) -> Settings | None:
    """The settings, or None after saying in one sentence what is wrong with them."""
    from pydantic import ValidationError

    from bot.settings import Settings, describe

    try:
        return Settings(**overrides)
    except ValidationError as err:
        sys.stderr.write(f"pctby: {describe(err)}\n")
        return None


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
    from core.i18n import check_catalogs

    check_catalogs()  # an incomplete installation stops here (exit status 5), not mid-chat
    overrides: dict[str, Any] = {"db": args.db} if args.db else {}
    settings = load_settings(**overrides)
    if settings is None:
        return exits.BAD_SETTINGS
    console = settings.token is None or args.console
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
        return _run(settings, args, console=console)
    except _Stop as stop:
        log.debug("start-up failed", exc_info=True)
        sys.stderr.write(f"pctby: {stop}\n")
        return stop.status


def _run(settings: Settings, args: argparse.Namespace, *, console: bool) -> int:
    """One bot per database (`pctby.instance`): a second one exits with status 1."""
    from pctby.instance import AlreadyRunningError, InstanceLock

    lock = InstanceLock(settings.db)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        raise _Stop(
            exits.FAILED,
            f"another pctby run is already using the database {settings.db} ({exc}); stop it"
            " first, or give this one another database (PCTBY_DB).",
        ) from None
    except OSError as exc:
        raise _Stop(exits.DATABASE, f"cannot lock the database {settings.db}: {exc}.") from exc
    try:
        return _run_locked(settings, args, console=console)
    finally:
        lock.release()


def _run_locked(settings: Settings, args: argparse.Namespace, *, console: bool) -> int:
    from pctby import version

    webhook = settings.webhook_url is not None and not console
    if webhook:
        _need_tornado()
    url_path = _open_database(settings, webhook=webhook)
    mode = "console" if console else "webhook" if webhook else "polling"
    log.info("pctby %s starting (%s): %s", version(), mode, settings.summary())
    try:
        if console:
            from bot.console import Console
            from core.i18n import env_lang

            return Console(settings, language=args.lang or env_lang()).run()
        _serve(settings, url_path)
    finally:
        log.info("pctby %s stopped", version())
    return exits.OK


def _need_tornado() -> None:
    import importlib.util

    if importlib.util.find_spec("tornado") is None:
        raise _Stop(
            exits.INSTALLATION,
            "webhook mode (PCTBY_WEBHOOK_URL) needs the webhooks extra, which is not installed:"
            " pip install 'pctby[webhooks]' (or unset PCTBY_WEBHOOK_URL to poll).",
        )


def _open_database(settings: Settings, *, webhook: bool) -> str | None:
    """Opens (creating or migrating) the database before the bot goes on line; returns the
    path the webhook listens on (PCTBY_WEBHOOK_PATH, else a random one kept in the database)."""
    import secrets
    import sqlite3

    from core import aio
    from core.storage import SchemaTooNew, Store

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
        return aio.run(go())
    except SchemaTooNew as exc:
        raise _Stop(exits.DATABASE, f"{exc}.") from exc
    except sqlite3.DatabaseError as exc:
        raise _Stop(
            exits.DATABASE, f"{settings.db} cannot be used as the pctby database: {exc}."
        ) from exc
    except OSError as exc:
        raise _Stop(exits.DATABASE, f"cannot open the database {settings.db}: {exc}.") from exc


def _serve(settings: Settings, url_path: str | None) -> None:
    import asyncio

    from telegram.error import BadRequest, InvalidToken, NetworkError

    from bot.app import build_application
    from bot.handlers.gates import SERVED
    from core import aio
    from core.storage import SchemaTooNew

    app = build_application(settings, freeze_gc=True)
    asyncio.set_event_loop(aio.EventLoop())  # run_polling/run_webhook take the current loop
    try:
        if settings.webhook_url and url_path is not None:
            _warn_if_paths_differ(settings.webhook_url, url_path)
            assert settings.webhook_secret is not None  # required with a webhook (Settings)
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=url_path,
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret.get_secret_value(),
                allowed_updates=list(SERVED),
            )
        else:
            app.run_polling(allowed_updates=list(SERVED))
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
    except SchemaTooNew as exc:  # a newer pctby migrated the database meanwhile
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
