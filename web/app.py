"""The case desk as an ASGI app: one factory, mountable anywhere.

    app = create_app(reminders, clock, bot_token=token)          # signed in by Telegram
    app = create_app(reminders, clock, bot_token=None, local_user=10_000)   # no sign-in

`reminders` is the process's `core.reminders.Reminders` — or a function that returns it once
the process has opened it (the bot opens its services in `post_init`, after its web server is
built; until then the API answers 503). Everything the page loads is in this package
(`web/static/`): no CDN, no font or script from anywhere else, so nobody outside learns who
looks at which case. Every answer carries a strict Content-Security-Policy; the page builds
its document from text (`textContent`), never from HTML strings.

All paths are relative, so the app works at the root (`pctby web`) or mounted under a
prefix (`/app/` in the bot's webhook server: `Mount("/app", app=create_app(...))`).

`standalone(db, clock, …)` is the app with its own database, opened and closed with the
server's lifespan (`pctby web`).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.clock import Clock
from core.reminders import Reminders
from web.api import ROUTES
from web.desk import Desk, ReminderSource

STATIC = files("web").joinpath("static")
# Telegram Web (web.telegram.org) shows a Mini App in a frame; the apps use a web view.
TELEGRAM_FRAMES = "https://web.telegram.org"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def content_security_policy(frame_ancestors: str) -> str:
    """Only this server: scripts, styles, pictures (the timeline arrives as a blob), calls."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' blob:",
            "connect-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {frame_ancestors}",
        ]
    )


class SecurityHeaders:
    """Every answer: the CSP, no sniffing, no referrer, nothing cached but revalidated."""

    def __init__(self, app: ASGIApp, frame_ancestors: str) -> None:
        self.app = app
        self.headers = [
            (b"content-security-policy", content_security_policy(frame_ancestors).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _value in headers}
                headers += [h for h in self.headers if h[0] not in names]
                if b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-cache"))  # revalidate (ETag)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, sending)


async def index(request: Request) -> Response:
    """The page (a shell: its words come from the API in the user's language)."""
    if not request.url.path.endswith("/"):  # relative links need the trailing slash
        return RedirectResponse(request.url.path + "/", status_code=308)
    page = STATIC.joinpath("index.html").read_bytes()
    return Response(page, media_type="text/html; charset=utf-8")


def create_app(
    reminders: ReminderSource,
    clock: Clock,
    *,
    bot_token: str | None,
    local_user: int | None = None,
    allowed_hosts: Sequence[str] | None = None,
    lifespan: Any = None,
) -> Starlette:
    """The case desk. With `bot_token`, every API call is signed in with Telegram's launch
    data; without, every call is `local_user`'s and only `allowed_hosts` (default: loopback
    names) may be in the Host header — a page elsewhere cannot reach the desk through a DNS
    name that points at 127.0.0.1."""
    desk = Desk(reminders, clock, bot_token=bot_token, local_user=local_user)
    frames = TELEGRAM_FRAMES if bot_token is not None else "'none'"
    middleware = [Middleware(SecurityHeaders, frame_ancestors=frames)]
    if bot_token is None:
        hosts = list(allowed_hosts or LOOPBACK_HOSTS)
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=hosts))
    middleware.append(Middleware(GZipMiddleware, minimum_size=1024))
    routes = [
        Route("/", index, methods=["GET", "HEAD"]),
        *ROUTES,
        Mount("/static", app=StaticFiles(packages=[("web", "static")]), name="static"),
    ]
    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan)
    app.state.desk = desk
    return app


def standalone(
    db: Path,
    clock: Clock,
    *,
    bot_token: str | None,
    local_user: int | None = None,
    allowed_hosts: Sequence[str] | None = None,
    default_tz: str | None = None,
) -> Starlette:
    """The desk with its own store of `db`, opened when the server starts and closed when it
    stops (`pctby web`). Alerts it plans are sent by the bot's dispatcher (`pctby run`)."""
    from core.storage import Store

    opened: dict[str, Reminders] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = await Store.open(db, clock=clock)
        try:
            opened["reminders"] = (
                Reminders(store, default_tz=default_tz) if default_tz else Reminders(store)
            )
            yield
        finally:
            opened.pop("reminders", None)
            await store.close()

    return create_app(
        lambda: opened.get("reminders"),
        clock,
        bot_token=bot_token,
        local_user=local_user,
        allowed_hosts=allowed_hosts,
        lifespan=lifespan,
    )
