"""The application factory: one place that builds the bot and ties its resources to its life.

`build_application(settings)` returns a python-telegram-bot `Application` with the typed
context, `Defaults(parse_mode=HTML, tzinfo=<PCTBY_TIMEZONE>)`, every handler in order, and
`post_init`/`on_stop`/`post_shutdown` hooks that open, stop and close the services
(`bot.context.Services`): the database, the reminders and their dispatcher, the support desk and
its broadcasts, the rates service, the FAQ and the translations (rules-bot's `rules_bot.py`
shape).

With `request=OfflineBotApi()` it runs offline: the console (`pctby run` without a
token), the tests and the benchmark all use it. `running(app)` starts and stops an application
that is driven by `process_update` rather than by polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, cast

from telegram import Bot, BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot import flows, held
from bot.context import LANG_KEY, SERVICES_KEY, BotContext, Services
from bot.jobs import alerts
from bot.jobs.broadcasts import Broadcasts
from bot.offline import OFFLINE_TOKEN
from bot.render.html import esc
from bot.render.i18n import translator
from bot.sender import Sender
from bot.updates import UserLanes
from core.clock import Clock, SystemClock
from core.errors import N_
from core.faq import FaqBase, load_faq
from core.faq.learning import FaqLearning
from core.fee_schedules import restore as restore_schedules
from core.i18n import LANGS
from core.rates import Rates, RateService
from core.settings import Settings
from core.storage import Store
from core.support import SupportDesk

log = logging.getLogger("pctby.bot")

BotApp = Application[Any, BotContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]

# Commands shown in Telegram's menu, in this order; each description is marked for the catalogs
# (`N_`) here and translated per language when the menus are set.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Main menu")),
    ("fees", N_("National fee quote")),
    ("deadlines", N_("National-phase deadlines")),
    ("addcase", N_("Add a case")),
    ("cases", N_("My cases")),
    ("team", N_("My teams: shared cases")),
    ("reminders", N_("Reminder settings")),
    ("export", N_("Export cases (ICS, CSV)")),
    ("import", N_("Import cases from CSV")),
    ("entryform", N_("Entry request form (.docx)")),
    ("ask", N_("Ask a question")),
    ("support", N_("Write to a person")),
    ("language", N_("Language")),
    ("help", N_("Help")),
    ("cancel", N_("Cancel the current question")),
    ("forget", N_("Delete all my data")),
)
# Listed after /cases where the case desk is set up (PCTBY_WEBAPP_URL).
DESK_COMMAND = ("desk", N_("Case desk: all cases in a table"))


@dataclass(frozen=True, kw_only=True)
class Options:
    """How a bot is built beyond its settings — each caller says only what it changes: the
    tests (a frozen clock, no alerts of their own), the console, the benchmarks, `pctby run`.
    `build_application` takes them and its `Lifespan` opens the services by them."""

    # The exchange rates (default: the NBRB service, refreshed in the background).
    rates: Rates | None = None
    # The FAQ (default: loaded at start; when it fails to load, the bot answers the rest).
    faq: FaqBase | None = None
    # The database and what lives on it (off: a bot without one, for a few tests).
    open_store: bool = True
    # The command menus in each language (and the desk's menu button where it is set up).
    set_commands: bool = True
    # For the long-running process (`pctby run`), not for tests that build many bots.
    freeze_gc: bool = False
    # The one clock of the process (default: the wall clock in the bot's zone; tests pass a
    # frozen one).
    clock: Clock | None = None
    # Send the alerts that fall due (tests that do not test alerts turn it off, so that no
    # alert arrives in the middle of a conversation).
    dispatch: bool = True


class Lifespan:
    """Opens the services in `post_init` and closes them, in reverse, in `post_shutdown`."""

    def __init__(self, settings: Settings, options: Options) -> None:
        self.settings = settings
        self.options = options
        self.clock = options.clock if options.clock is not None else SystemClock(settings.tz)
        self._stack = contextlib.AsyncExitStack()

    async def post_init(self, app: BotApp) -> None:
        services = Services(settings=self.settings, clock=self.clock)
        for lang in LANGS:  # load (or compile) every catalog now, not on a user's first message
            translator(lang)
        options = self.options
        services.rates = options.rates if options.rates is not None else self._open_rates(services)
        services.faq = options.faq if options.faq is not None else _load_faq()
        if options.open_store:
            await self._open_store(services, app.bot)
            assert services.store is not None
            await flows.restore(app.user_data, services.store)  # half-finished guided flows
            # what the last stop held (bot/held.py): queued before the first new update
            await held.replay(services.store, app.bot, app.update_queue)
        app.bot_data[SERVICES_KEY] = services
        if options.set_commands:
            await set_commands(app)
            if self.settings.webapp_url is not None:
                from bot.handlers.webapp import MENU_LABEL, set_menu_button

                label = translator("en").gettext(MENU_LABEL)
                await set_menu_button(app.bot, self.settings.webapp_url, label)
        if options.freeze_gc:
            # Everything loaded so far (modules, catalogs, holiday tables, fee schedules) lives
            # as long as the process: out of the collector's way, so that its full passes over
            # a long-running bot stay short (they showed as 20% slower rounds in bench_bot.py).
            # No gc.collect() first: it would add ~40 ms to the start for a few KB of garbage.
            gc.freeze()

    def _open_rates(self, services: Services) -> RateService:
        service = RateService(cache_path=self.settings.rates_path, clock=self.clock)
        self._stack.push_async_callback(service.aclose)
        # today's and tomorrow's rates in the background, then daily
        services.watch(service.start(), "the exchange-rate refresh")
        return service

    async def _open_store(self, services: Services, bot: Bot) -> None:
        """The database, the staff's fee schedules and FAQ paraphrases, the reminders with
        their dispatcher (unless `dispatch` is off), the support desk and its broadcasts;
        closed in reverse."""
        store = await Store.open(self.settings.db, clock=self.clock)
        self._stack.push_async_callback(store.close)
        services.store = store
        await restore_schedules(store)  # the staff's fee schedules, before a plan uses them
        if services.faq is not None:  # the FAQ with the staff's taught paraphrases
            services.faq_learning = FaqLearning(store, services.faq)
            services.faq = await services.faq_learning.start()
        await alerts.start(services, bot, self._stack, dispatch=self.options.dispatch)
        services.desk = SupportDesk(store)
        services.broadcasts = Broadcasts(
            bot, services.desk, self.clock, on_blocked=services.seen.discard, watch=services.watch
        )
        self._stack.push_async_callback(services.broadcasts.stop)
        await services.broadcasts.resume()

    async def stop_services(self, app: BotApp) -> None:
        """SIGTERM/SIGINT, beside the updates' bounded stop (`bot.updates.BoundedStop`): before
        the connection to Telegram closes, the alert and the broadcast message in flight finish
        and are recorded (each within `STOP_TIMEOUT`), and nothing new starts — a restart sends
        nothing twice."""
        services = app.bot_data.get(SERVICES_KEY)
        if not isinstance(services, Services):
            return
        stops = []
        if services.dispatcher is not None:
            stops.append(services.dispatcher.stop())
        if services.broadcasts is not None:
            stops.append(services.broadcasts.stop())
        await asyncio.gather(*stops)

    async def hold_updates(self, app: BotApp, updates: list[object]) -> None:
        """Inside the bounded stop, before the store closes (`post_shutdown`): the updates
        that never started are kept for the next start (bot/held.py)."""
        services = app.bot_data.get(SERVICES_KEY)
        await held.hold(services.store if isinstance(services, Services) else None, updates)

    async def post_shutdown(self, app: BotApp) -> None:
        await self._stack.aclose()
        app.bot_data.pop(SERVICES_KEY, None)


def _load_faq() -> FaqBase | None:
    try:
        return load_faq()
    except Exception:  # the FAQ data is being edited: the bot still answers everything else
        log.exception("FAQ not loaded")
        return None


async def set_commands(app: BotApp) -> None:
    """The command menu in each language (and English for everyone else): the four calls go
    out together, so start-up waits for one round trip to Telegram, not four."""

    services = app.bot_data.get(SERVICES_KEY)
    listed = COMMANDS
    if isinstance(services, Services) and services.settings.webapp_url is not None:
        after = [name for name, _desc in COMMANDS].index("cases") + 1
        listed = (*COMMANDS[:after], DESK_COMMAND, *COMMANDS[after:])

    async def set_for(lang: str | None) -> None:
        t = translator(lang or "en")
        commands = [BotCommand(name, t.gettext(desc)) for name, desc in listed]
        try:
            await app.bot.set_my_commands(commands, language_code=lang)
        except TelegramError:
            log.warning("set_my_commands failed for %s", lang, exc_info=True)

    await asyncio.gather(*(set_for(lang) for lang in (*LANGS, None)))


def build_application(
    settings: Settings,
    options: Options = Options(),
    *,
    request: BaseRequest | None = None,
    limits: bool | None = None,
    poll_request: BaseRequest | None = None,
) -> BotApp:
    """The bot, by its settings and `options` (what a test, the console or `pctby run`
    changes; `Options`).
    `request`: the offline Bot API (`bot.offline`: console, tests); default: the real one.
    `limits`: every message through one limiter (`bot.sender.Sender`: fair between chats, a
    burst of 3 then one a second per chat, 429 honoured; on the process's clock); default on
    with the real Bot API, off offline.
    `poll_request`: the request getUpdates goes through (`pctby run`: one that logs Bot API
    outages once each, `bot.runner.PollingRequest`).
    Files are downloaded from the Bot API's own server (`Settings.file_url`: a self-hosted Bot
    API serves them under its URL, not api.telegram.org's)."""
    from bot import handlers

    lifespan = Lifespan(settings, options)
    builder = (
        ApplicationBuilder()
        .application_class(flows.FlowApplication)  # the guided flow written after each update
        .token(settings.token or OFFLINE_TOKEN)
        .base_url(settings.bot_api_url)
        .base_file_url(settings.file_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .context_types(ContextTypes(context=BotContext))
        .post_init(lifespan.post_init)
        .post_shutdown(lifespan.post_shutdown)
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    elif poll_request is not None:
        builder = builder.get_updates_request(poll_request)
    if limits if limits is not None else request is None:
        builder = builder.rate_limiter(cast(Any, Sender(lifespan.clock)))
    processor = UserLanes()
    builder = builder.concurrent_updates(processor)
    app: BotApp = builder.build()
    cast(flows.FlowApplication, app).on_stop = functools.partial(lifespan.stop_services, app)
    cast(flows.FlowApplication, app).on_hold = functools.partial(lifespan.hold_updates, app)
    processor.on_overflow = functools.partial(slow_down, app)
    handlers.register(app, settings)
    return app


async def slow_down(app: BotApp, update: Update) -> None:
    """Told once when a user's updates come faster than the bot answers them (bot/updates.py)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    data = app.user_data.get(user.id, {}) if user is not None else {}
    t = translator(data.get(LANG_KEY) or (user.language_code if user else None))
    await app.bot.send_message(
        chat.id,
        esc(
            t.gettext(
                "You are writing faster than I can answer, so I skipped some of your messages. "
                "Please wait for my answers, then send again what is missing."
            )
        ),
    )


@contextlib.asynccontextmanager
async def running(app: BotApp) -> AsyncIterator[BotApp]:
    """Start `app` for `process_update` (tests, benchmark): initialize, open the services;
    on exit close them and shut down — the same hooks as `run_polling`. The work the bot starts
    in the background at start-up (the replan after an upgrade) is done before the body runs."""
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        services = app.bot_data.get(SERVICES_KEY)
        if isinstance(services, Services):
            await services.started()
        yield app
    finally:
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        await app.shutdown()
