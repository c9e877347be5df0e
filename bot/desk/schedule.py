"""/schedule (staff only): install a newer fee schedule without a release; `/schedule undo`
withdraws the newest one.

The staff send a TOML document in the format of `core/data/fees/*.toml` — as a file with the
caption /schedule, or as text after the command. It is validated completely before anything is
stored (`core.schedule_document`: types, ranges, sizes; dates in order, not after the end of
next year), stored in the database, put in force from its `effective_from` and answered with
what changed against the schedule it follows (`core.fee_schedules`), in as many messages as it
takes — a confirmation too long for one message must never read as a failure. Alerts are then
planned again in the background, so amounts due from that date come from it; the same after
`/schedule undo`.
"""

from __future__ import annotations

import logging
from typing import Final

from telegram import Message, Update
from telegram.ext import filters

from bot.context import BotContext
from bot.desk.desk import reply_staff, staff_translator
from bot.render.html import Markup, bold, join
from bot.render.text import split_message
from core.errors import InputError
from core.fee_schedules import Checked, install_document, withdraw_newest
from core.schedule import ScheduleProblems, schedule_for

log = logging.getLogger(__name__)
MAX_BYTES: Final = 256 * 1024
MAX_LINES: Final = 60
CAPTION: Final = r"^/schedule(@\w+)?(\s|$)"


async def _document(message: Message) -> str | None:
    """The TOML document: the attached file, or the text after the command; None if neither."""
    doc = message.document
    if doc is not None:
        if doc.file_size is not None and doc.file_size > MAX_BYTES:
            return ""
        raw = bytes(await (await doc.get_file()).download_as_bytearray())
        try:
            return raw[:MAX_BYTES].decode("utf-8-sig")
        except UnicodeDecodeError:
            return ""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1] if len(parts) == 2 else None


async def _reply(update: Update, text: Markup) -> None:
    """A staff answer of any length: split into messages Telegram takes."""
    message = update.effective_message
    if message is not None:
        for part in split_message(text):
            await message.reply_text(part, disable_web_page_preview=True)


def changes_text(checked: Checked) -> Markup:
    st = staff_translator()
    info = checked.schedule.info
    lines: list[str] = [
        bold(
            st.fmt(
                "Installed the fee schedule {id}, in force from {date}.",
                id=info.id,
                date=info.effective_from.isoformat(),
            )
        ),
        st.fmt(
            "Compared with {id} (from {date}):",
            id=checked.follows.info.id,
            date=checked.follows.info.effective_from.isoformat(),
        ),
    ]
    shown = checked.changes[:MAX_LINES]
    lines += [f"• {c.what}: {c.old or '—'} → {c.new or '—'}" for c in shown]
    if len(checked.changes) > MAX_LINES:
        more = len(checked.changes) - MAX_LINES
        lines.append(st.nfmt("… and {n} more change.", "… and {n} more changes.", more))
    if not checked.changes:
        lines.append(st.gettext("No amount changes."))
    return join(lines)


async def schedule_command(update: Update, context: BotContext) -> None:
    """For staff only: the desk's groups check that before (bot/desk/__init__.py)."""
    message = update.effective_message
    if message is None:
        return
    st = staff_translator()
    document = await _document(message)
    if document is not None and document.strip().lower() == "undo":
        await _undo(update, context)
        return
    if document is None:
        today = context.today
        info = schedule_for(today).info
        await reply_staff(
            update,
            st.fmt(
                "Send /schedule with a fee schedule in TOML (the format of "
                "core/data/fees/*.toml): as a file with the caption /schedule, or as text "
                "after the command; /schedule undo withdraws the newest one. In force "
                "today: {id}, from {date}.",
                id=info.id,
                date=info.effective_from.isoformat(),
            ),
        )
        return
    store = context.services.store
    if store is None:
        await reply_staff(update, st.gettext("The database is not available."))
        return
    user = update.effective_user
    try:
        checked = await install_document(
            store, document, by=user.id if user else None, today=context.today
        )
    except ScheduleProblems as err:
        lines: list[str] = [bold(st.gettext("Not installed:"))]
        lines += [f"• {st.error(p)}" for p in err.problems[:MAX_LINES]]
        await _reply(update, join(lines))
        return
    log.info("fee schedule %s installed by %s", checked.schedule.info.id, user and user.id)
    _replan(context)  # before the answer: in force whether or not the answer gets through
    await _reply(update, changes_text(checked))


async def _undo(update: Update, context: BotContext) -> None:
    """/schedule undo: the newest installed schedule is withdrawn (deleted and out of force)."""
    st = staff_translator()
    store = context.services.store
    if store is None:
        await reply_staff(update, st.gettext("The database is not available."))
        return
    try:
        withdrawn = await withdraw_newest(store, context.today)
    except InputError as err:
        await reply_staff(update, st.error(err))
        return
    user = update.effective_user
    log.info("fee schedule %s withdrawn by %s", withdrawn.id, user and user.id)
    _replan(context)
    info = withdrawn.in_force.info
    await reply_staff(
        update,
        st.fmt(
            "Withdrew the fee schedule {id} (in force from {date}). In force today: {today_id},"
            " from {today_date}.",
            id=withdrawn.id,
            date=withdrawn.effective_from.isoformat(),
            today_id=info.id,
            today_date=info.effective_from.isoformat(),
        ),
    )


def _replan(context: BotContext) -> None:
    """Plans made with the old amounts are made again (in the background)."""
    reminders = context.services.reminders
    if reminders is None:
        return

    async def run() -> None:
        try:
            await reminders.replan_if_rules_changed()
        except Exception:  # the plans stay; the next start replans
            log.exception("replanning after a new fee schedule failed")

    context.services.spawn(run(), "pctby-replan-after-schedule")


CAPTION_FILTER: Final = filters.Document.ALL & filters.CaptionRegex(CAPTION)
