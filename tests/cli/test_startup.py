"""`pctby run` refuses to start with one sentence and a distinct exit status (pctby.exits);
settings from a copy of .env.example; the webhook's path and secret; the log."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.settings import Settings
from pctby import exits
from pctby.commands import run as run_cmd
from tests.cli.helpers import ROOT, TOKEN, one_sentence, pctby_run


def test_env_example_copied_as_env_works_and_names_no_database(tmp_path: Path) -> None:
    text = (ROOT / ".env.example").read_text()
    assert not [line for line in text.splitlines() if line.startswith("PCTBY_DB=")]
    (tmp_path / ".env").write_text(text)
    done = pctby_run(tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "pctby.sqlite3").is_file()


def test_env_example_documents_every_setting() -> None:
    text = (ROOT / ".env.example").read_text()
    for name in Settings.model_fields:
        assert f"PCTBY_{name.upper()}=" in text, name


def test_empty_values_mean_unset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.setenv(f"PCTBY_{name.upper()}", "")
    settings = Settings()
    assert settings.staff_chat_id is None and settings.webhook_port == 8443
    assert settings.db == Path("data/pctby.sqlite3") and settings.log_level == "INFO"


def test_bad_settings_exit_3(tmp_path: Path) -> None:
    done = pctby_run(tmp_path, PCTBY_STAFF_CHAT_ID="staff")
    assert done.returncode == exits.BAD_SETTINGS
    assert "PCTBY_STAFF_CHAT_ID" in one_sentence(done.stderr)


def test_a_webhook_needs_a_secret_and_the_error_never_shows_the_token(tmp_path: Path) -> None:
    done = pctby_run(
        tmp_path, PCTBY_BOT_TOKEN=TOKEN, PCTBY_WEBHOOK_URL="https://bot.example.org/hook"
    )
    assert done.returncode == exits.BAD_SETTINGS
    assert "PCTBY_WEBHOOK_SECRET is required" in one_sentence(done.stderr)
    done = pctby_run(tmp_path, PCTBY_BOT_TOKEN=TOKEN, PCTBY_WEBHOOK_SECRET="has spaces")
    assert done.returncode == exits.BAD_SETTINGS and "has spaces" not in done.stderr


def test_a_database_from_a_newer_pctby_exits_4(tmp_path: Path) -> None:
    db = tmp_path / "data" / "pctby.sqlite3"
    db.parent.mkdir()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER, name TEXT, applied_at TEXT)")
        conn.execute("INSERT INTO schema_version VALUES (999, 'future', '2030-01-01')")
    done = pctby_run(tmp_path, PCTBY_BOT_TOKEN=TOKEN)
    assert done.returncode == exits.DATABASE
    assert "schema version 999" in one_sentence(done.stderr)


def test_a_file_that_is_no_database_exits_4(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("my notes, not a database\n" * 200)
    done = pctby_run(tmp_path, "--db", "notes.txt")
    assert done.returncode == exits.DATABASE
    assert "notes.txt" in one_sentence(done.stderr)


def test_an_unreachable_bot_api_exits_6(tmp_path: Path) -> None:
    with socket_nobody_listens_on() as port:
        done = pctby_run(
            tmp_path, PCTBY_BOT_TOKEN=TOKEN, PCTBY_BOT_API_URL=f"http://127.0.0.1:{port}/bot"
        )
    assert done.returncode == exits.UNREACHABLE
    assert "could not be reached" in one_sentence(done.stderr)
    assert TOKEN not in done.stderr and "SECRET-token" not in done.stderr


class _Unauthorized(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = json.dumps({"ok": False, "error_code": 401, "description": "Unauthorized"})
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args: object) -> None:
        pass


def test_a_rejected_token_exits_3_and_the_log_shows_start_and_stop(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Unauthorized)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/bot"
        done = pctby_run(tmp_path, PCTBY_BOT_TOKEN=TOKEN, PCTBY_BOT_API_URL=url)
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == exits.BAD_SETTINGS
    assert "rejected the bot token" in one_sentence(done.stderr)
    # INFO by default: a start line with the version and the settings, and a stop line.
    assert "INFO pctby: pctby 0.1.0 starting (polling): database data/pctby.sqlite3" in (
        done.stderr
    )
    assert "pctby 0.1.0 stopped" in done.stderr
    assert "SECRET-token" not in done.stderr


@contextlib.contextmanager
def socket_nobody_listens_on() -> Iterator[int]:
    """A local port that refuses connections (bound, never listening)."""
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 0))
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


# --- the webhook's path -----------------------------------------------------------------------


def settings(tmp_path: Path, **kw: object) -> Settings:
    values: dict[str, object] = {
        "db": tmp_path / "w.sqlite3",
        "bot_token": TOKEN,
        "webhook_url": "https://bot.example.org/tg",
        "webhook_secret": "s3cret",
    }
    return Settings(_env_file=None, **{**values, **kw})  # type: ignore[call-arg]


def test_the_default_webhook_path_is_random_kept_in_the_database_and_not_the_token(
    tmp_path: Path,
) -> None:
    first = run_cmd._open_database(settings(tmp_path), webhook=True)
    again = run_cmd._open_database(settings(tmp_path), webhook=True)
    other = run_cmd._open_database(settings(tmp_path / "x"), webhook=True)
    assert first is not None and len(first) >= 24
    assert first == again and other != first
    assert TOKEN not in first and "123456" not in first


def test_an_explicit_webhook_path_wins(tmp_path: Path) -> None:
    s = settings(tmp_path, webhook_path="/tg/hook-3f9a/")
    assert run_cmd._open_database(s, webhook=True) == "tg/hook-3f9a"


def test_a_warning_when_the_urls_path_is_not_the_listen_path(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="pctby"):
        run_cmd._warn_if_paths_differ("https://bot.example.org/tg/abc", "tg/abc")
        assert [r.levelno for r in caplog.records] == [logging.INFO]
        caplog.clear()
        run_cmd._warn_if_paths_differ("https://bot.example.org/", "Zq9x")
    (record,) = caplog.records
    assert record.levelno == logging.WARNING and "/Zq9x" in record.getMessage()


def test_the_database_and_its_backups_are_private(tmp_path: Path) -> None:
    import asyncio

    from core.storage import Store, backup_file

    async def go() -> None:
        store = await Store.open(tmp_path / "new" / "p.sqlite3")
        await store.backup(tmp_path / "b1.sqlite3")
        await store.close()

    asyncio.run(go())
    backup_file(tmp_path / "new" / "p.sqlite3", tmp_path / "b2.sqlite3")
    for name in ("new/p.sqlite3", "b1.sqlite3", "b2.sqlite3"):
        assert (tmp_path / name).stat().st_mode & 0o777 == 0o600, name
    assert (tmp_path / "new").stat().st_mode & 0o777 == 0o700


# --- the webhook, end to end ------------------------------------------------------------------


class _FakeBotApi(BaseHTTPRequestHandler):
    """Just enough of the Bot API for a bot to start in webhook mode."""

    calls: dict[str, bytes]
    webhook_set: threading.Event

    def do_POST(self) -> None:
        method = self.path.rsplit("/", 1)[-1]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.calls[method] = body
        result: object = True
        if method == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "pctby", "username": "pctby_bot"}
        payload = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        if method == "setWebhook":
            self.webhook_set.set()

    def log_message(self, *args: object) -> None:
        pass


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_listening(port: int, attempts: int = 600) -> None:
    import time

    for _ in range(attempts):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"nothing listens on port {port}")


def _post(url: str, headers: dict[str, str]) -> int:
    import urllib.error
    import urllib.request

    update = {"update_id": 1}
    request = urllib.request.Request(
        url,
        data=json.dumps(update).encode(),
        headers={"Content-Type": "application/json", **headers},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return int(err.code)


def test_the_webhook_listens_on_its_path_and_refuses_updates_without_the_secret(
    tmp_path: Path,
) -> None:
    import signal

    handler = type("Api", (_FakeBotApi,), {"calls": {}, "webhook_set": threading.Event()})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = _free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    env = {
        **base,
        "PYTHONPATH": str(ROOT),
        "PCTBY_BOT_TOKEN": TOKEN,
        "PCTBY_BOT_API_URL": f"http://127.0.0.1:{server.server_address[1]}/bot",
        "PCTBY_WEBHOOK_URL": "https://bot.example.org/tg/hook",
        "PCTBY_WEBHOOK_PATH": "tg/hook",
        "PCTBY_WEBHOOK_SECRET": "s3cret-Token_1",
        "PCTBY_WEBHOOK_LISTEN": "127.0.0.1",
        "PCTBY_WEBHOOK_PORT": str(port),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "pctby.cli", "run"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert handler.webhook_set.wait(60), proc.stderr.read() if proc.poll() else "no call"
        body = handler.calls["setWebhook"]
        assert b"s3cret-Token_1" in body and b"bot.example.org" in body
        _wait_until_listening(port)  # setWebhook comes first, then the server starts
        url = f"http://127.0.0.1:{port}/tg/hook"
        assert _post(url, {}) == 403  # no secret: refused
        assert _post(url, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}) == 403
        assert _post(url, {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}) == 200
        assert _post(f"http://127.0.0.1:{port}/{TOKEN}", {}) == 404  # not on the token's path
    finally:
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=60)
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, err
    assert "starting (webhook)" in err and "webhook: listening on /tg/hook" in err
    assert "stopped" in err and TOKEN not in err and "s3cret-Token_1" not in err


def test_every_command_refuses_a_database_from_a_newer_pctby(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pctby import cli

    db = tmp_path / "future.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE schema_version (version INTEGER, name TEXT, applied_at TEXT)")
        conn.execute("INSERT INTO schema_version VALUES (999, 'future', '2030-01-01')")
    monkeypatch.setenv("PCTBY_DB", str(db))
    assert cli.main(["replan", "--workers", "1"]) == exits.DATABASE
    assert "schema version 999" in one_sentence(capsys.readouterr().err)
