"""The case desk: a Telegram Mini App over the user's cases (a table of what is overdue, in
grace or due soon, each case with its deadlines, events and timeline), served by `pctby web`
or mounted in the bot's own web server. Only `core` below it: the same services as the chat.

    from web import create_app
    app = create_app(reminders, clock, bot_token=token)
"""

from web.app import create_app, standalone

__all__ = ["create_app", "standalone"]
