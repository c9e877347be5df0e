"""The webhook server (bot/webhook.py): the path and the secret are checked before anything of
the body is read, bodies are capped at 1 MB, other ASGI apps can be mounted beside it, and it
listens on 127.0.0.1 unless told otherwise. Over ASGI (httpx) for the answers, over a real
socket (uvicorn) for what is — and is not — read."""

from __future__ import annotations

import asyncio
import json
import resource
import socket
import threading
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Mount, Route
from telegram import Bot, Update

from bot.webhook import MAX_BODY, SECRET_HEADER, WebServer, asgi_app, webhook_route
from core.settings import Settings

SECRET = "s3cret-Token_1"
UPDATE = {
    "update_id": 7,
    "message": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 5, "type": "private"},
        "from": {"id": 5, "is_bot": False, "first_name": "A"},
        "text": "/start",
    },
}


def hello(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"mini app: {request.url.path}")


@pytest.fixture
def queue() -> asyncio.Queue[object]:
    return asyncio.Queue()


@pytest.fixture
def app(queue: asyncio.Queue[object]) -> object:
    bot = Bot("1:TOKEN")
    mini = asgi_app([Route("/{rest:path}", hello)])
    return asgi_app([webhook_route("tg/hook", SECRET, queue, bot), Mount("/app", app=mini)])


@pytest.fixture
async def client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_an_update_with_the_secret_is_queued(
    client: httpx.AsyncClient, queue: asyncio.Queue[object]
) -> None:
    answer = await client.post("/tg/hook", json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 200
    update = queue.get_nowait()
    assert isinstance(update, Update) and update.message is not None
    assert update.message.text == "/start"


@pytest.mark.parametrize(
    ("path", "method", "headers", "body", "status"),
    [
        ("/tg/other", "POST", {SECRET_HEADER: SECRET}, b"{}", 404),
        ("/1:TOKEN", "POST", {SECRET_HEADER: SECRET}, b"{}", 404),
        ("/tg/hook", "GET", {SECRET_HEADER: SECRET}, b"", 405),
        ("/tg/hook", "POST", {}, b"{}", 403),
        ("/tg/hook", "POST", {SECRET_HEADER: "wrong"}, b"{}", 403),
        ("/tg/hook", "POST", {SECRET_HEADER: SECRET}, b"not json", 400),
        ("/tg/hook", "POST", {SECRET_HEADER: SECRET}, b"[1, 2]", 400),
        ("/tg/hook", "POST", {SECRET_HEADER: SECRET}, b"x" * (MAX_BODY + 1), 413),
    ],
)
async def test_what_is_refused(
    client: httpx.AsyncClient,
    queue: asyncio.Queue[object],
    path: str,
    method: str,
    headers: dict[str, str],
    body: bytes,
    status: int,
) -> None:
    answer = await client.request(method, path, content=body, headers=headers)
    assert answer.status_code == status
    assert queue.empty()


async def test_a_body_without_a_length_is_cut_at_the_cap(
    client: httpx.AsyncClient, queue: asyncio.Queue[object]
) -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(64):  # 4 MB if it were all read
            sent += 65536
            yield b"x" * 65536

    answer = await client.post("/tg/hook", content=chunks(), headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 413 and queue.empty()


async def test_another_asgi_app_is_served_beside_the_webhook(client: httpx.AsyncClient) -> None:
    answer = await client.get("/app/index.html")
    assert answer.status_code == 200 and answer.text == "mini app: /app/index.html"
    assert (await client.get("/")).status_code == 404


def test_it_listens_on_localhost_by_default() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.webhook_listen == "127.0.0.1"


# --- over a socket: nothing of the body is read before the answer -----------------------------


def _raw(port: int, head: str, body: bytes = b"") -> bytes:
    """Sends the head and `body` of a request (never the rest of the announced length) and
    returns what the server answers."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.encode() + body)
        return sock.recv(4096)


def _head(path: str, length: int, secret: str | None) -> str:
    lines = [f"POST {path} HTTP/1.1", "Host: test", f"Content-Length: {length}"]
    if secret is not None:
        lines.append(f"{SECRET_HEADER}: {secret}")
    return "\r\n".join(lines) + "\r\n\r\n"


async def test_the_answer_comes_before_the_body(app: object, queue: asyncio.Queue[object]) -> None:
    server = WebServer(app, "127.0.0.1", 0)  # type: ignore[arg-type]
    await server.start()
    port = server.bound_port
    try:
        big = 99_000_000  # announced, never sent: an answer proves the body was not awaited
        cases = [
            (_head("/wrong", big, SECRET), b"HTTP/1.1 404"),
            (_head("/tg/hook", big, None), b"HTTP/1.1 403"),
            (_head("/tg/hook", big, "wrong"), b"HTTP/1.1 403"),
            (_head("/tg/hook", big, SECRET), b"HTTP/1.1 413"),
        ]
        for head, expected in cases:
            started = time.monotonic()
            answer = await asyncio.to_thread(_raw, port, head, b"x" * 1000)
            assert answer.startswith(expected), (head, answer)
            assert time.monotonic() - started < 5
        body = json.dumps(UPDATE).encode()
        answer = await asyncio.to_thread(_raw, port, _head("/tg/hook", len(body), SECRET), body)
        assert answer.startswith(b"HTTP/1.1 200")
        assert isinstance(await asyncio.wait_for(queue.get(), 5), Update)
    finally:
        await server.stop()


def _flood(port: int, path: str, size: int) -> str:
    """Streams `size` bytes to `path` until the server stops taking them."""
    head = _head(path, size, None).encode()
    chunk = b"x" * 65536
    sent = 0
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
            sock.sendall(head)
            while sent < size:
                sock.sendall(chunk)
                sent += len(chunk)
            return "all sent"
    except OSError:  # the server closed the connection (reset, broken pipe)
        return "closed"


async def test_large_bodies_to_a_wrong_path_cost_the_server_nothing(app: object) -> None:
    """8 × 99 MB POSTs to a wrong path once grew a tornado webhook from 93 MB to 968 MB."""
    server = WebServer(app, "127.0.0.1", 0)  # type: ignore[arg-type]
    await server.start()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB
    try:
        results: list[str] = []

        def one() -> None:
            results.append(_flood(server.bound_port, "/wrong", 99_000_000))

        threads = [threading.Thread(target=one) for _ in range(8)]
        for thread in threads:
            thread.start()
        while any(t.is_alive() for t in threads):
            await asyncio.sleep(0.05)
    finally:
        await server.stop()
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert results == ["closed"] * 8
    assert grown_mb < 50, grown_mb


async def test_an_address_in_use_is_an_error_at_start(app: object) -> None:
    first = WebServer(app, "127.0.0.1", 0)  # type: ignore[arg-type]
    await first.start()
    try:
        with pytest.raises(OSError):
            await WebServer(app, "127.0.0.1", first.bound_port).start()  # type: ignore[arg-type]
    finally:
        await first.stop()
