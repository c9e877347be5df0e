"""The bot's life in `pctby run`: polling or a webhook, until a stop signal or a fatal failure.

`run(app, ...)` is python-telegram-bot's `run_polling`/`run_webhook` written out, step by step,
so that it can also end for a reason of its own:

- SIGTERM/SIGINT: the updates stop coming (polling stopped, or the web server closed), the
  application's bounded stop runs (`bot.updates.BoundedStop`), the services close; `run`
  returns None (exit status 0).
- A background task that must live as long as the bot — the reminder dispatcher, a broadcast,
  the exchange-rate refresh, the web server — ends with an error (`Services.watch`): it is
  logged at once with its traceback, the same clean stop follows, and `run` returns the reason
  (exit status 1). A service manager then starts the bot again (systemd `Restart=on-failure`,
  Docker `--restart=on-failure`); a bot that ran on with a dead dispatcher would answer chats
  and never send an alert, with nothing in the log until its stop.

Webhook mode serves Telegram's calls with `bot.webhook` (Starlette on uvicorn), which other ASGI
apps can share (`routes`). Polling goes through `PollingRequest`, which tells `Outages` how each
poll went: a Bot API outage is one warning when it begins and one line when it ends, with the
number of failed polls — not a traceback per poll (PTB's default: 90 lines each, 800 a minute).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.routing import BaseRoute, Mount
from telegram.error import NetworkError, TelegramError
from telegram.request import HTTPXRequest

from bot.context import SERVICES_KEY, Services
from bot.webhook import WebServer, asgi_app, webhook_route
from core.clock import Clock

log = logging.getLogger("pctby.bot")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
DESK_PATH = "/app"  # the case desk (web/) on the bot's web server; PCTBY_WEBAPP_URL ends in /app/


def desk_route(app: Any, clock: Clock) -> Mount:
    """The case desk (`web`, the Mini App) under `DESK_PATH`, on the bot's own services and
    clock: signed in with Telegram's launch data for this bot's token; until `post_init` has
    opened the database it answers 503."""
    from web import create_app

    def reminders() -> Any:
        services = app.bot_data.get(SERVICES_KEY)
        return None if services is None else services.reminders

    return Mount(DESK_PATH, app=create_app(reminders, clock, bot_token=app.bot.token))


class Outages:
    """Bot API outages seen by polling, logged once each: when the first poll fails, and when
    one succeeds again (how many failed, for how long)."""

    def __init__(self, monotonic: Any = time.monotonic) -> None:
        self.failed = 0  # polls failed in the current outage
        self.since: float | None = None
        self.outages = 0  # outages seen (tests, the logs)
        self._monotonic = monotonic

    def poll_failed(self, exc: BaseException) -> None:
        self.failed += 1
        if self.since is None:
            self.since = self._monotonic()
            self.outages += 1
            log.warning(
                "the Telegram Bot API cannot be reached (%s: %s); polling goes on, and a line"
                " will say when it is back",
                type(exc).__name__,
                exc,
            )

    def poll_succeeded(self) -> None:
        if self.since is None:
            return
        seconds = self._monotonic() - self.since
        log.warning(
            "the Telegram Bot API is reachable again after %.0f s (%d failed poll(s))",
            seconds,
            self.failed,
        )
        self.since = None
        self.failed = 0


class PollingRequest(HTTPXRequest):
    """The request object getUpdates goes through, reporting each poll to `Outages`."""

    def __init__(self, outages: Outages, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=1, **kwargs)
        self.outages = outages

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(*args, **kwargs)
        except NetworkError as exc:  # no connection, a time-out
            self.outages.poll_failed(exc)
            raise
        if code >= 500:  # Telegram's or a proxy's 5xx: down for now
            self.outages.poll_failed(NetworkError(f"HTTP status {code}"))
        else:  # answered (a 401 or 409 is a fault of ours, not an outage)
            self.outages.poll_succeeded()
        return code, payload


@dataclass(frozen=True, slots=True)
class Webhook:
    url: str  # the public URL Telegram calls
    path: str  # the path the server answers it on
    secret: str
    listen: str
    port: int


async def run(
    app: Any,
    *,
    allowed_updates: Sequence[str],
    webhook: Webhook | None = None,
    routes: Sequence[BaseRoute] = (),
    listen: tuple[str, int] | None = None,
    stop_signals: Sequence[signal.Signals] = STOP_SIGNALS,
) -> str | None:
    """Runs `app` (built by `bot.app.build_application`) until a stop signal (None) or a fatal
    failure of a background task (its reason). Errors of the start-up (a rejected token, no
    Bot API, an address in use) are raised before anything is served.

    `routes`: other ASGI apps served on the web server (`bot.webhook`), beside the webhook — or,
    when polling, on their own server at `listen` (host, port)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    failure: list[str] = []

    def fatal(reason: str) -> None:
        if not failure:
            failure.append(reason)
        stop.set()

    for sig in stop_signals:
        loop.add_signal_handler(sig, stop.set)
    server: WebServer | None = None
    try:
        await app.initialize()  # getMe: InvalidToken, NetworkError
        if app.post_init is not None:
            await app.post_init(app)
        services = app.bot_data.get(SERVICES_KEY)
        if isinstance(services, Services):
            services.on_fatal = fatal
            if services.failure is not None:  # a task died during the start
                fatal(services.failure)
        if webhook is not None:
            hook = webhook_route(webhook.path, webhook.secret, app.update_queue, app.bot)
            server = WebServer(asgi_app([hook, *routes]), webhook.listen, webhook.port)
            await server.start()
            if isinstance(services, Services) and server.task is not None:
                services.watch(server.task, "the web server")
            await app.bot.set_webhook(
                url=webhook.url, secret_token=webhook.secret, allowed_updates=list(allowed_updates)
            )
            log.info("webhook: listening on %s:%d", webhook.listen, server.bound_port)
        else:
            if routes and listen is not None:
                server = WebServer(asgi_app(routes), *listen)
                await server.start()
                if isinstance(services, Services) and server.task is not None:
                    services.watch(server.task, "the web server")
                log.info("web server: listening on %s:%d", listen[0], server.bound_port)
            assert app.updater is not None, "polling needs the application's updater"
            await app.updater.start_polling(
                allowed_updates=list(allowed_updates),
                error_callback=_quiet,  # PollingRequest/Outages say it, once per outage
            )
        await app.start()
        await stop.wait()
    finally:
        for sig in stop_signals:
            loop.remove_signal_handler(sig)
        await _stop(app, server)
    return failure[0] if failure else None


def _quiet(exc: TelegramError) -> None:
    """Polling errors: logged by `Outages` (network) or at DEBUG (anything else passes)."""
    log.debug("polling: %s", exc)


async def _stop(app: Any, server: WebServer | None) -> None:
    """What `run_polling` does at its end: no new updates, the bounded stop, shutdown."""
    if server is not None:
        await server.stop()
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
    with contextlib.suppress(RuntimeError):  # never initialized: nothing to shut down
        await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)
