"""`pctby run`: the Telegram bot (polling, or a webhook when PCTBY_WEBHOOK_URL is set); without
PCTBY_BOT_TOKEN, a console chat with the same bot on the local database."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Any


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
    p.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from bot.settings import Settings
    from core.i18n import check_catalogs

    check_catalogs()  # an incomplete installation stops here (exit status 5), not mid-chat

    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        overrides: dict[str, Any] = {}
        if args.db:
            overrides["db"] = args.db
        settings = Settings(**overrides)
    except ValidationError as err:
        sys.stderr.write(f"pctby: invalid settings:\n{err}\n")
        return 2
    if settings.token is None or args.console:
        from bot.console import Console
        from core.i18n import env_lang

        return Console(settings, language=args.lang or env_lang()).run()
    from bot.app import build_application

    app = build_application(settings, freeze_gc=True)
    if settings.webhook_url:
        secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=settings.token or "",
            webhook_url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=["message", "callback_query"],
        )
    else:
        app.run_polling(allowed_updates=["message", "callback_query"])
    return 0
