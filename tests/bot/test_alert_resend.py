"""At-least-once alerts: an alert sent after an attempt whose outcome is unknown (Telegram's
answer lost, or a crash mid-send) says it was sent again, so that a second copy reads as one."""

from __future__ import annotations

import dataclasses

from bot.jobs.alerts import TelegramNotifier
from tests.bot.helpers import alert_for, dated


@dated
async def test_an_alert_sent_again_says_so(app, server, clock) -> None:  # type: ignore[no-untyped-def]
    first = alert_for(777, 1, "en", clock.today())
    await TelegramNotifier(app.bot, clock).send(first)
    assert "Sent again" not in server.sent[-1].plain
    await TelegramNotifier(app.bot, clock).send(dataclasses.replace(first, attempts=1))
    assert "Sent again: an earlier attempt to send this reminder may have reached you" in (
        server.sent[-1].plain
    )
    be = dataclasses.replace(alert_for(778, 1, "be", clock.today()), attempts=2)
    await TelegramNotifier(app.bot, clock).send(be)
    assert "Адпраўлена паўторна" in server.sent[-1].plain
