"""/reminders: the user's alert settings (lead times, alert time, time zone, quiet hours).

    /reminders                      the settings, with buttons to change them
    /reminders leads 90 30 7 1 0    days before a deadline
    /reminders time 09:30           the time of day alerts go out
    /reminders quiet 22:00 08:00    no alert in between (`/reminders quiet off`, or выкл,
                                    адключыць…: none; an alert time inside them is warned about)
    /reminders tz Europe/Warsaw     the user's time zone
    /reminders reset                the defaults
    /reminders team [TEAM] [leads|time|quiet|tz|reset …]
                                    a team's settings, which its cases' alerts follow (any
                                    member reads them; owners change them)

Saving goes through `Reminders.update_settings`, which replans every case of the user (of the
team's account, for a team). Only the sender's own settings, or those of a team they are in,
are read or written (the Telegram user id of the update).
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, get_args

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.context import BotContext
from bot.fallbacks import stale_button
from bot.parse.callbacks import CallbackData
from bot.render.html import Markup, bold, italic, join, render
from bot.render.reply import Button, ack, answer, button
from bot.render.text import short
from core.errors import N_, InputError
from core.i18n import Translator
from core.reminders import Prefs
from core.teams.models import Team

FEATURE = "rem"
FLOW = "reminders"
CANCELLED = N_("The change is cancelled; your reminder settings stay as they were.")  # /cancel
MAX_LEAD_DAYS = 365
MAX_LEADS = 10
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")
Step = Literal["leads", "time", "tz", "quiet"]
STEPS: tuple[Step, ...] = get_args(Step)


class RemindersButton(CallbackData, feature=FEATURE):
    """The buttons of /reminders."""


@dataclass(frozen=True)
class Ask(RemindersButton, action="ask"):
    """Change one setting: its question, then the typed answer."""

    step: Step


@dataclass(frozen=True)
class Reset(RemindersButton, action="reset"):
    pass


# -- parsing ----------------------------------------------------------------------------------


def parse_time(text: str) -> dt.time:
    m = _TIME.match(text.strip())
    if m is not None:
        hour, minute = int(m.group(1)), int(m.group(2))
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise InputError(
        N_("“{value}” is not a time of day: write it as HH:MM, for example 09:30."),
        value=short(text, 20),
    )


def parse_leads(args: list[str]) -> tuple[int, ...]:
    words = [w for a in args for w in a.replace(",", " ").split()]
    if not words:
        raise InputError(
            N_("Give the lead times in days, for example /reminders leads 90 30 7 1 0.")
        )
    days: set[int] = set()
    for word in words:
        if not word.isdecimal() or int(word) > MAX_LEAD_DAYS:
            raise InputError(
                N_("A lead time is a whole number of days from 0 to {max}; got “{value}”."),
                max=MAX_LEAD_DAYS,
                value=short(word, 20),
            )
        days.add(int(word))
    if len(days) > MAX_LEADS:
        raise InputError(N_("Give at most {max} lead times."), max=MAX_LEADS)
    return tuple(sorted(days, reverse=True))


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    return {name.lower(): name for name in zoneinfo.available_timezones()}


def parse_tz(text: str) -> str:
    name = _zones().get(text.strip().lower())
    if name is None:
        raise InputError(
            N_(
                "I do not know the time zone “{value}”. Use a name like Europe/Minsk, "
                "Europe/Warsaw or Asia/Almaty."
            ),
            value=short(text, 40),
        )
    return name


# "No quiet hours", in the words of each language (the prompts show en "off", ru "выкл",
# be "адключыць"); accepted whatever the user's language.
QUIET_OFF = frozenset(
    {
        *("off", "none", "no"),
        *("выкл", "откл", "выключить", "отключить", "нет", "не"),
        *("выкл", "адкл", "выключыць", "адключыць", "няма", "не"),
    }
)


def is_off(word: str) -> bool:
    return word.strip("«»“”\"'.!").lower() in QUIET_OFF


def parse_quiet(args: list[str]) -> tuple[dt.time, dt.time]:
    if len(args) == 1 and is_off(args[0]):
        return dt.time(0, 0), dt.time(0, 0)
    if len(args) == 1 and "-" in args[0]:
        args = args[0].split("-", 1)
    if len(args) != 2:
        raise InputError(
            # TRANSLATORS: “off” as in the /reminders prompt (ru «выкл», be «адключыць»).
            N_(
                "Give the start and the end of the quiet hours, for example "
                "/reminders quiet 22:00 08:00, or /reminders quiet off."
            )
        )
    start, end = parse_time(args[0]), parse_time(args[1])
    if start == end:
        raise InputError(
            # TRANSLATORS: “off” as in the /reminders prompt (ru «выкл», be «адключыць»).
            N_(
                "The quiet hours must start and end at different times; "
                "to have none, use /reminders quiet off."
            )
        )
    return start, end


def parse_setting(step: str, args: list[str]) -> dict[str, Any]:
    """The settings to save for one step (`leads`, `time`, `tz`, `quiet`) and its words."""
    if step == "leads":
        return {"lead_days": parse_leads(args)}
    if step == "time":
        if len(args) != 1:
            raise InputError(N_("Give one time, for example /reminders time 09:30."))
        return {"alert_time": parse_time(args[0])}
    if step == "tz":
        if len(args) != 1:
            raise InputError(N_("Give one time zone, for example /reminders tz Europe/Warsaw."))
        return {"tz": parse_tz(args[0])}
    if step == "quiet":
        start, end = parse_quiet(args)
        return {"quiet_start": start, "quiet_end": end}
    raise ValueError(step)


RESET: dict[str, Any] = {
    "tz": None,
    "alert_time": None,
    "quiet_start": None,
    "quiet_end": None,
    "lead_days": None,
    "grace_lead_days": None,
}


# -- showing ----------------------------------------------------------------------------------


def hhmm(value: dt.time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def settings_values(t: Translator, prefs: Prefs) -> list[str]:
    """The settings, a line each."""
    leads = ", ".join(str(n) for n in prefs.lead_days) or "—"
    if prefs.quiet_start == prefs.quiet_end:
        quiet = t.gettext("none")
    else:
        quiet = f"{hhmm(prefs.quiet_start)}–{hhmm(prefs.quiet_end)}"
    return [
        t.fmt("Days before a deadline: {days}", days=leads),
        t.fmt("Alert time: {time}", time=hhmm(prefs.alert_time)),
        t.fmt("Time zone: {tz}", tz=prefs.tz.key),
        t.fmt("Quiet hours: {hours}", hours=quiet),
    ]


def settings_text(t: Translator, prefs: Prefs) -> Markup:
    lines: list[str] = [
        bold(t.gettext("Your reminder settings")),
        "",
        *settings_values(t, prefs),
        "",
        italic(
            t.gettext(
                "Change them with the buttons or a command: /reminders leads 90 30 7 1 0, "
                "/reminders time 09:30, /reminders quiet 22:00 08:00, "
                "/reminders tz Europe/Warsaw, /reminders reset."
            )
        ),
    ]
    return join(lines)


def team_settings_text(t: Translator, team: Team, prefs: Prefs) -> Markup:
    """A team's settings, and how its owners change them (a command: no buttons)."""
    hint = t.fmt(
        "Its owners change them with a command: /reminders team {team} leads 90 30 7 1 0, "
        "… time 09:30, … quiet 22:00 08:00, … tz Europe/Warsaw, … reset. The alerts of the "
        "team's cases go out by these settings, to whoever handles a case, the team's group "
        "or its owners and attorneys.",
        team=team.name,
    )
    title = bold(t.fmt("Reminder settings of the team {team}", team=team.name))
    return join([title, "", *settings_values(t, prefs), "", italic(hint)])


def settings_rows(t: Translator) -> list[list[Button]]:
    return [
        [
            button(t.gettext("Days before"), Ask("leads")),
            button(t.gettext("Alert time"), Ask("time")),
        ],
        [
            button(t.gettext("Time zone"), Ask("tz")),
            button(t.gettext("Quiet hours"), Ask("quiet")),
        ],
        [button(t.gettext("Reset to defaults"), Reset())],
    ]


async def current(context: BotContext, user_id: int) -> Prefs:
    reminders = context.reminders
    async with reminders.store.transaction() as tx:
        user = await tx.users.get(user_id)
    return reminders.prefs(user)


def quiet_warning(
    t: Translator, prefs: Prefs, today: dt.date, *, team: bool = False
) -> Markup | None:
    """Where the alert time falls in the quiet hours, what the planner does with it
    (`Prefs.out_of_quiet`: the end of the quiet hours, the next day if they pass midnight);
    `team`: a team's settings."""
    planned = prefs.at(today, prefs.alert_time)
    if not prefs.is_quiet(planned):
        return None
    moved = prefs.out_of_quiet(planned)
    params = {
        "time": hhmm(prefs.alert_time),
        "hours": f"{hhmm(prefs.quiet_start)}–{hhmm(prefs.quiet_end)}",
        "end": hhmm(prefs.quiet_end),
    }
    if team:
        said = (
            N_(
                "The team's alerts will come at {end}, not at {time}: {time} is inside its "
                "quiet hours ({hours})."
            )
            if moved.astimezone(prefs.tz).date() == today
            else N_(
                "The team's alerts will come at {end} the next day, not at {time}: {time} is "
                "inside its quiet hours ({hours}). So each alert comes a day later, and one "
                "that would come after a deadline's last day is not sent."
            )
        )
        text = t.fmt(said, **params)
    elif moved.astimezone(prefs.tz).date() == today:
        text = t.fmt(
            "Alerts will come at {end}, not at {time}: {time} is inside your quiet hours "
            "({hours}).",
            **params,
        )
    else:
        text = t.fmt(
            "Alerts will come at {end} the next day, not at {time}: {time} is inside your quiet "
            "hours ({hours}). So each alert comes a day later, and one that would come after a "
            "deadline's last day is not sent.",
            **params,
        )
    hint = t.gettext("Choose another alert time or change the quiet hours.")
    return render(Markup("⚠️ <b>{text}</b> {hint}"), text=text, hint=hint)


async def show(
    update: Update, context: BotContext, note: str | None = None, *, edit: bool = False
) -> None:
    t = context.t
    prefs = await current(context, context.owner)
    text = settings_text(t, prefs)
    warning = quiet_warning(t, prefs, context.clock.today(prefs.tz))
    head = [part for part in (note, warning) if part]
    if head:
        text = join([*head, "", text])
    await answer(update, context, text, settings_rows(t), edit=edit)


async def save(
    update: Update, context: BotContext, settings: dict[str, Any], *, edit: bool = False
) -> None:
    await context.reminders.update_settings(context.owner, **settings)
    await show(update, context, context.t.gettext("Saved."), edit=edit)


# -- the command, typed steps, buttons ------------------------------------------------------


def prompt(t: Translator, step: str) -> str:
    if step == "leads":
        return t.gettext(
            "How many days before a deadline should I remind you? "
            "Send numbers, for example: 90 30 7 1 0 (0 is the last day itself)."
        )
    if step == "time":
        return t.gettext("At what time of day should alerts come? For example 09:30.")
    if step == "tz":
        return t.gettext("Which time zone are you in? For example Europe/Minsk or Europe/Warsaw.")
    # TRANSLATORS: “off”: the word that turns the quiet hours off
    # (ru «выкл», be «адключыць»); reminders.QUIET_OFF must accept it.
    return t.gettext(
        "When should I stay silent? Send the start and the end, for example 22:00 08:00, or “off”."
    )


ALIASES = {"lead": "leads", "days": "leads", "zone": "tz", "timezone": "tz"}


async def team_settings(update: Update, context: BotContext, args: list[str]) -> None:
    """/reminders team [TEAM] [SETTING VALUES…]: a team's settings, shown or changed."""
    teams = context.services.teams
    if teams is None:
        return
    name: str | None = None
    if args and ALIASES.get(args[0].lower(), args[0].lower()) not in (*STEPS, "reset"):
        name, args = args[0], args[1:]
    if not args:
        team = await teams.settings_of(context.owner, name)
        prefs = await current(context, team.account)
        await answer(update, context, team_settings_text(context.t, team, prefs))
        return
    sub = ALIASES.get(args[0].lower(), args[0].lower())
    if sub != "reset" and len(args) == 1:
        team = await teams.settings_of(context.owner, name)
        raise InputError(
            N_("Give the values too, for example /reminders team {team} time 09:30."),
            team=team.name,
        )
    settings = dict(RESET) if sub == "reset" else parse_setting(sub, args[1:])
    team = await teams.settings_of(context.owner, name, change=True)
    await context.reminders.update_settings(team.account, **settings)
    prefs = await current(context, team.account)
    text = team_settings_text(context.t, team, prefs)
    warning = quiet_warning(context.t, prefs, context.clock.today(prefs.tz), team=True)
    head = [part for part in (context.t.gettext("Saved."), warning) if part]
    await answer(update, context, join([*head, "", text]))


async def reminders_command(update: Update, context: BotContext) -> None:
    args = context.args or []
    if not args:
        await show(update, context)
        return
    if args[0].lower() == "team":
        await team_settings(update, context, args[1:])
        return
    sub = args[0].lower()
    sub = ALIASES.get(sub, sub)
    if sub == "reset":
        await save(update, context, dict(RESET))
        return
    if sub not in STEPS:
        raise InputError(
            N_(
                "I do not know the setting “{value}”. Use leads, time, quiet, tz or reset, "
                "for example /reminders time 09:30."
            ),
            value=short(args[0], 20),
        )
    if len(args) == 1:
        context.start_flow(FLOW, sub)
        await answer(update, context, prompt(context.t, sub))
        return
    await save(update, context, parse_setting(sub, args[1:]))


async def on_text(update: Update, context: BotContext) -> None:
    flow = context.flow
    message = update.effective_message
    if flow is None or message is None:
        return
    step = str(flow.get("step", ""))
    if step not in STEPS:
        context.end_flow()
        return
    settings = parse_setting(step, (message.text or "").split())  # bad input: flow stays
    context.end_flow()
    await save(update, context, settings)


async def on_button(update: Update, context: BotContext) -> None:
    data = RemindersButton.read(update)
    await ack(update)
    if isinstance(data, Ask):
        context.start_flow(FLOW, data.step)
        await answer(update, context, prompt(context.t, data.step))
    elif isinstance(data, Reset):
        context.end_flow()
        await save(update, context, dict(RESET), edit=True)
    else:
        await stale_button(update, context, answered=True)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    return [
        CommandHandler("reminders", reminders_command),
        CallbackQueryHandler(on_button, pattern=RemindersButton.matches),
    ]


TEXT_STEPS = {FLOW: on_text}
MENU_ACTIONS = {"rem": reminders_command}
