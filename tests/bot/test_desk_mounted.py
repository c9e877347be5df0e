"""The case desk (web/) as `pctby run` serves it: mounted under /app on the bot's own web
server (`bot.runner.desk_route`), on the bot's services, clock and token — a case added in the
chat is in the desk's table, signed in with launch data for this bot only."""

from __future__ import annotations

import httpx

from bot.runner import DESK_PATH, desk_route
from bot.webhook import asgi_app
from tests.bot.helpers import dated
from web.auth import launch_data


@dated
async def test_a_case_added_in_the_chat_is_on_the_mounted_desk(app, chat, clock) -> None:  # type: ignore[no-untyped-def]
    user = chat("en")
    await user.send("/addcase DESK-1 15.03.2024 14.03.2025 patent")
    server = asgi_app([desk_route(app, clock)])
    transport = httpx.ASGITransport(app=server)
    async with httpx.AsyncClient(transport=transport, base_url="https://bot.test") as client:
        page = await client.get(f"{DESK_PATH}/")
        assert page.status_code == 200 and "text/html" in page.headers["content-type"]

        signed = launch_data(user.user_id, app.bot.token, clock.now())
        mine = await client.get(
            f"{DESK_PATH}/api/cases", headers={"Authorization": f"tma {signed}"}
        )
        assert mine.status_code == 200
        assert [row["ref"] for row in mine.json()["rows"]] == ["DESK-1"]

        # launch data signed with another bot's token is refused; nobody else sees the case
        forged = launch_data(user.user_id, "1:ANOTHER-BOT", clock.now())
        refused = await client.get(
            f"{DESK_PATH}/api/cases", headers={"Authorization": f"tma {forged}"}
        )
        assert refused.status_code == 401
        other = launch_data(user.user_id + 1, app.bot.token, clock.now())
        theirs = await client.get(
            f"{DESK_PATH}/api/cases", headers={"Authorization": f"tma {other}"}
        )
        assert theirs.status_code == 200 and theirs.json()["rows"] == []
