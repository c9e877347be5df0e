"""The bot's web server: Telegram's webhook calls, and room for other ASGI apps on the same port.

Starlette on uvicorn, as python-telegram-bot's `customwebhookbot.py` example does it: the
application has no updater of its own in webhook mode; each update Telegram posts is read
here and put on `application.update_queue` (`Update.de_json`), where the application's fetcher
takes it as it would take a polled one.

What a request gets, in this order — nothing of the body is read before the last step:
1. a path other than the webhook's (or a mounted app's): 404; another method than POST: 405;
2. no `X-Telegram-Bot-Api-Secret-Token` header equal to PCTBY_WEBHOOK_SECRET: 403;
3. a `Content-Length` over `MAX_BODY` (1 MB; Telegram's updates are a few KB): 413;
4. the body, read in chunks and refused with 413 the moment it passes `MAX_BODY` (a body sent
   without a length); not JSON or not an update: 400; else 200 and the update is queued.
An answer given before the body was read closes the connection (`CloseUnread`; uvicorn would
read the rest and throw it away), and uvicorn stops reading a socket whose body nobody consumes
(its flow control): a 99 MB POST to a wrong path costs the server a few KB and no more reading.

The server listens on PCTBY_WEBHOOK_LISTEN (default 127.0.0.1: a TLS reverse proxy on the same
host forwards Telegram's calls, deploy/README.md), port PCTBY_WEBHOOK_PORT. The socket is bound
before the server starts, so that an address in use is one sentence (`OSError`), not uvicorn's
`sys.exit`. Signals are the caller's (`bot.runner`), not uvicorn's.

Another ASGI app is served on the same port by passing it in `routes`, e.g.
`routes=[Mount("/app", app=mini_app)]` (Starlette's `Mount`): it answers under its prefix, the
webhook under its own path, everything else is 404.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
from collections.abc import Iterator, Sequence
from typing import Final

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from telegram import Bot, Update

log = logging.getLogger("pctby.webhook")

MAX_BODY: Final = 1 << 20  # bytes: an update is a few KB; Telegram's largest are well under 1 MB
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
STOP_TIMEOUT: Final = 5.0  # seconds the server waits for open connections at a stop


def webhook_route(path: str, secret: str, queue: asyncio.Queue[object], bot: Bot) -> Route:
    """POST /`path`: an update from Telegram, checked in the order of the module docstring."""
    expected = secret.encode()

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            return Response(status_code=403)
        length = request.headers.get("content-length")
        if length is not None and (not length.isdecimal() or int(length) > MAX_BODY):
            return Response(status_code=413 if length.isdecimal() else 400)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_BODY:
                return Response(status_code=413)
        try:
            data = json.loads(body)
            update = Update.de_json(data, bot) if isinstance(data, dict) else None
        except (ValueError, TypeError, KeyError, AttributeError):
            update = None
        if update is None:
            log.warning("webhook: a request with the secret but no update in it (400)")
            return Response(status_code=400)
        await queue.put(update)
        return Response(status_code=200)

    return Route(f"/{path.strip('/')}", receive, methods=["POST"], name="telegram-webhook")


class CloseUnread:
    """An answer given before the request's body was read whole (404, 405, 403, 413) closes
    the connection (`Connection: close`): uvicorn would otherwise read the rest of the body —
    and throw it away — to keep the connection for another request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        read_whole = False

        async def receiving() -> Message:
            nonlocal read_whole
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body", False):
                read_whole = True
            return message

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start" and not read_whole:
                headers = [*message.get("headers", []), (b"connection", b"close")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receiving, sending)


def asgi_app(routes: Sequence[BaseRoute]) -> ASGIApp:
    """The server's app: the given routes (the webhook, mounted apps); anything else is 404."""
    return CloseUnread(Starlette(routes=list(routes)))


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: the bot's runner stops it (`WebServer.stop`)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class WebServer:
    """`app` served on `host`:`port` in the running event loop: `await start()`, `await stop()`."""

    def __init__(self, app: ASGIApp, host: str, port: int) -> None:
        self.host = host
        self.port = port
        config = uvicorn.Config(
            app,
            log_config=None,  # the process's logging (with the token redacted) stays as it is
            access_log=False,
            lifespan="on",
            server_header=False,
            proxy_headers=False,
            timeout_graceful_shutdown=int(STOP_TIMEOUT),
        )
        self._server = _Server(config)
        self._task: asyncio.Task[None] | None = None
        self.socket: socket.socket | None = None

    async def start(self) -> None:
        """Binds the socket (`OSError` if it cannot) and starts serving."""
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        self.socket = socket.create_server((self.host, self.port), family=family, backlog=128)
        self.socket.setblocking(False)
        self._task = asyncio.create_task(
            self._server.serve(sockets=[self.socket]), name="pctby-web-server"
        )
        while not self._server.started:
            if self._task.done():
                self._task.result()  # its failure (a lifespan that failed: SystemExit)
                raise RuntimeError("the web server ended at its start")
            await asyncio.sleep(0.01)

    @property
    def task(self) -> asyncio.Task[None] | None:
        """The serving task (for the runner to watch: it must live as long as the bot)."""
        return self._task

    @property
    def bound_port(self) -> int:
        assert self.socket is not None
        return int(self.socket.getsockname()[1])

    async def stop(self) -> None:
        """No new connection; the open ones get `STOP_TIMEOUT` seconds to finish."""
        self._server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await self._task
        if self.socket is not None:
            self.socket.close()
