"""/schedule (staff only): install a newer fee schedule without a release.

The staff send a TOML document in the format of `core/data/fees/*.toml` — as a file with the
caption /schedule, or as text after the command. It is validated (every item present, units not
negative, dates in order), stored in the database, put in force from its `effective_from` and
answered with what changed against the schedule it follows (`core.fee_schedules`). Alerts are
then planned again in the background, so amounts due from that date come from it.
"""

from __future__ import annotations

import logging
from typing import Final

from telegram import Message, Update
from telegram.ext import filters

from bot.context import BotContext
from bot.desk.desk import reply_staff, staff_translator
from bot.render.html import Markup, bold, join
from core.fee_schedules import Checked, install_document
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
    if document is None:
        today = context.today
        info = schedule_for(today).info
        await reply_staff(
            update,
            st.fmt(
                "Send /schedule with a fee schedule in TOML (the format of "
                "core/data/fees/*.toml): as a file with the caption /schedule, or as text "
                "after the command. In force today: {id}, from {date}.",
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
        checked = await install_document(store, document, by=user.id if user else None)
    except ScheduleProblems as err:
        lines: list[str] = [bold(st.gettext("Not installed:"))]
        lines += [f"• {st.error(p)}" for p in err.problems[:MAX_LINES]]
        await reply_staff(update, join(lines))
        return
    log.info("fee schedule %s installed by %s", checked.schedule.info.id, user and user.id)
    await reply_staff(update, changes_text(checked))
    _replan(context)


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
