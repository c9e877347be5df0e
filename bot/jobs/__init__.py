"""Background jobs of the bot: work that runs beside the updates, not in answer to one.

- `alerts`: the dispatcher's Telegram side (alert text and buttons, blocked users);
- `broadcasts`: the staff's message to every user, paced and resumed after a restart.

Both are opened in `post_init` (bot/app.py) and stopped before the connection to Telegram
closes; their state is in the database, so a restart neither loses nor repeats a message.
"""
