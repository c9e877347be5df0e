"""`pctby run` as a service manager runs it: no silent console without a terminal, a damaged or
foreign database refused at start, settings and `.env` read by one reader for every command, the
real log level in the start line, and a bot whose dispatcher dies exits 1 — with the reason in
its log, its lock file and `pctby health`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core import aio
from core.storage import Store
from pctby import exits
from tests.cli.helpers import ROOT, TOKEN, one_sentence, pctby_run


def run_with_stdin(
    cwd: Path, stdin: int, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    return subprocess.run(
        [sys.executable, "-m", "pctby.cli", *args],
        cwd=cwd,
        env={**base, "PYTHONPATH": str(ROOT), **env},
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_no_token_and_no_terminal_is_an_error_not_a_silent_console(tmp_path: Path) -> None:
    with open(os.devnull) as null:  # systemd's default stdin, `docker run` without -i
        done = run_with_stdin(tmp_path, null.fileno(), "run")
        assert done.returncode == exits.BAD_SETTINGS
        assert "PCTBY_BOT_TOKEN is not set" in one_sentence(done.stderr)
        assert not (tmp_path / "data").exists()  # nothing was opened
        asked = run_with_stdin(tmp_path, null.fileno(), "run", "--console")
        assert asked.returncode == exits.OK, asked.stderr  # asked for: the console, at once over
    (tmp_path / "script.txt").write_text("/start\n")
    with open(tmp_path / "script.txt") as script:  # `pctby run < script.txt`
        fed = run_with_stdin(tmp_path, script.fileno(), "run")
    assert fed.returncode == exits.OK and "/start" in fed.stdout


def test_a_dot_env_that_is_not_utf8_is_one_sentence_for_every_command(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"PCTBY_TIMEZONE=Europe/Minsk\nPCTBY_DB=caf\xe9.sqlite3\n")
    done = pctby_run(tmp_path)
    assert done.returncode == exits.BAD_SETTINGS
    assert ".env is not UTF-8 text (line 2 cannot be read)" in one_sentence(done.stderr)
    for command in (
        ["backup", "b.sqlite3"],
        ["restore", "b.sqlite3"],
        ["case", "list", "--user", "5"],
    ):
        other = run_with_stdin(tmp_path, subprocess.DEVNULL, *command)
        assert other.returncode == exits.BAD_SETTINGS, (command, other.stderr)
        assert ".env is not UTF-8 text" in one_sentence(other.stderr)


def test_the_commands_read_the_database_the_bot_reads(tmp_path: Path) -> None:
    """PCTBY_DB in .env (and its default) is the same for `pctby run` and `pctby backup`."""
    (tmp_path / ".env").write_text("PCTBY_BOT_TOKEN=\nPCTBY_DB=state/bot.sqlite3\n")
    assert pctby_run(tmp_path).returncode == exits.OK
    assert (tmp_path / "state" / "bot.sqlite3").is_file()
    done = run_with_stdin(tmp_path, subprocess.DEVNULL, "backup", "copy.sqlite3")
    assert done.returncode == exits.OK and "backup of state/bot.sqlite3" in done.stdout


def test_a_bot_api_url_without_bot_at_its_end_is_a_bad_setting(tmp_path: Path) -> None:
    done = pctby_run(tmp_path, PCTBY_BOT_TOKEN=TOKEN, PCTBY_BOT_API_URL="http://localhost:8081")
    assert done.returncode == exits.BAD_SETTINGS
    assert "PCTBY_BOT_API_URL=http://localhost:8081: expected a URL that ends in /bot" in (
        one_sentence(done.stderr)
    )


def test_the_start_line_shows_the_real_log_level(tmp_path: Path) -> None:
    done = pctby_run(tmp_path, "--console", "-v")
    assert done.returncode == exits.OK, done.stderr
    start = next(line for line in done.stderr.splitlines() if "starting (console)" in line)
    assert "log level DEBUG" in start


# --- the database at start --------------------------------------------------------------------


def _a_database(path: Path) -> None:
    async def go() -> None:
        async with await Store.open(path):
            pass

    aio.run(go())


def test_a_damaged_database_exits_4_naming_restore(tmp_path: Path) -> None:
    db = tmp_path / "data" / "pctby.sqlite3"
    _a_database(db)
    with sqlite3.connect(db) as conn:  # some rows, so that the tables have pages of their own
        conn.executemany(
            "INSERT INTO meta (key, value, updated_at) VALUES (?, ?, 0)",
            [(f"k{i}", "v" * 400) for i in range(200)],
        )
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.seek(size // 2)
        fh.write(b"\x00\xff" * 8192)
    done = pctby_run(tmp_path, "--console")
    assert done.returncode == exits.DATABASE, done.stderr
    sentence = one_sentence(done.stderr)
    assert "is damaged" in sentence and "pctby restore BACKUP" in sentence


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "photos.sqlite3"
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    done = pctby_run(tmp_path, "--console", "--db", str(db))
    assert done.returncode == exits.DATABASE
    assert "is not a pctby database (it holds the tables photos)" in one_sentence(done.stderr)
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["photos"]  # nothing of pctby's was written into it


# --- a background task dies: exit 1, and everyone is told -----------------------------------


class _BotApi(BaseHTTPRequestHandler):
    """Enough of the Bot API to poll: getMe, deleteWebhook, setMyCommands, and getUpdates
    answering [] after a short wait."""

    def do_POST(self) -> None:
        method = self.path.rsplit("/", 1)[-1]
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        result: object = True
        if method == "getMe":
            result = {"id": 1, "is_bot": True, "first_name": "pctby", "username": "pctby_bot"}
        elif method == "getUpdates":
            time.sleep(0.2)
            result = []
        payload = json.dumps({"ok": True, "result": result}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def bot_api() -> object:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BotApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/bot"
    server.shutdown()
    server.server_close()


def test_a_dispatcher_that_dies_ends_the_process_with_status_1(
    tmp_path: Path, bot_api: str
) -> None:
    """The outbox has gone (a hand-edited database): the dispatcher's first statement fails.
    Before, the bot answered chats for ever with no alerts and said nothing until its stop."""
    db = tmp_path / "data" / "pctby.sqlite3"
    _a_database(db)
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE outbox")
    done = pctby_run(tmp_path, PCTBY_BOT_TOKEN=TOKEN, PCTBY_BOT_API_URL=bot_api)
    assert done.returncode == exits.FAILED, done.stderr
    assert (
        "CRITICAL pctby.bot: the reminder dispatcher failed: OperationalError: no such table"
        in (done.stderr)
    )
    assert "Traceback" in done.stderr  # logged with it, at once
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("pctby: stopped: the reminder dispatcher failed"), last
    health = run_with_stdin(tmp_path, subprocess.DEVNULL, "health")
    assert health.returncode == exits.FAILED
    assert "no pctby run holds the database" in health.stderr
    assert "the reminder dispatcher failed: OperationalError: no such table: outbox" in (
        health.stderr
    )
