"""`pctby run` without a token: the console chat, driven through stdin."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_console(
    tmp_path: Path,
    stdin: str,
    lang: str = "en",
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> str:
    """The console's answers to `stdin`. The child has no internet (tests/conftest.py's
    NO_INTERNET): the exchange rates fall back quietly."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    env |= {
        "PCTBY_DB": str(tmp_path / "console.sqlite3"),
        "PCTBY_CONSOLE_DIR": str(tmp_path / "out"),
        "PCTBY_RATES_CACHE": str(tmp_path / "rates.json"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "pctby.cli", "run", "--lang", lang],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.replace("\u00a0", " ")


def test_console_chat_with_buttons_as_numbers(tmp_path: Path) -> None:
    out = run_console(
        tmp_path, "/start\n1\n2\n1 12\n2\n1\n/addcase C-1 15.03.2024 10.03.2025\n/cases\n"
    )
    assert "pctby console" in out
    assert "bot> Hello, Console!" in out
    assert "  [1] Fees" in out
    assert "What is the fee for?" in out  # [1] pressed the Fees button
    assert "National fee for a utility model" in out  # [2] chose utility model
    assert "Total:" in out
    assert "Case C-1 saved." in out
    assert "You have 1 case:" in out
    assert (tmp_path / "console.sqlite3").exists()


def test_console_in_russian_keeps_state_between_runs(tmp_path: Path) -> None:
    run_console(tmp_path, "/addcase K-7 1.2.2024\n", lang="ru")
    out = run_console(tmp_path, "/cases\n", lang="ru")
    assert "У вас 1 дело:" in out
    assert "K-7" in out


# A DNS server that never answers, as the system's resolver meets it: every lookup of an outside
# host waits for the resolver's time-out (glibc: 5 s × 2 tries; on the CI machine that failed,
# over 30 s), then fails. Here: ten minutes, longer than the test may take.
BLACK_HOLE = """
import socket, time
_real = socket.getaddrinfo
def _black_hole(host, *args, **kwargs):
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name not in ("localhost", "127.0.0.1", "::1"):
        time.sleep({seconds})
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
    return _real(host, *args, **kwargs)
socket.getaddrinfo = _black_hole
"""


def test_the_console_answers_and_ends_while_the_dns_server_never_answers(tmp_path: Path) -> None:
    """The exchange-rate refresh looks up api.nbrb.by at start-up. Its lookups used to take
    every shared thread of the event loop, the console's reading of stdin among them: the
    console printed its greeting and then hung, input unread (a CI run on a machine whose DNS
    server did not answer timed out after 60 s); and the exit waited for every lookup. Now
    each lookup has a daemon thread of its own (core.aio) and stdin its own reader."""
    stand_in = tmp_path / "resolver"
    stand_in.mkdir()
    (stand_in / "sitecustomize.py").write_text(BLACK_HOLE.format(seconds=600))
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PCTBY_") and not k.upper().endswith("_PROXY")
    }  # the lookups are the rate service's own, not a proxy's
    env["PYTHONPATH"] = os.pathsep.join([str(stand_in), str(ROOT)])
    out = run_console(tmp_path, "/start\n/fees 12\n/cases\n", env=env)
    assert "bot> Hello, Console!" in out
    assert "BY.3" in out or "BYN" in out  # the fee quote, without the rates' equivalents
    assert "You have no cases yet" in out or "/addcase" in out


def test_input_that_ends_at_once_stops_the_console_every_time(tmp_path: Path) -> None:
    """`pctby run < /dev/null`: the input ends while the bot is still starting. The console
    used to stop python-telegram-bot's `run_polling` with `stop_running()`, which is lost when
    it comes during the last turn of `start()`: the process then ran on for good (3 runs in 80
    on a loaded machine; two CI runs timed out so). It now runs the application's steps itself
    and stops them in order."""
    import io

    from bot.console import Console
    from core.settings import Settings

    for run in range(5):
        out = io.StringIO()
        settings = Settings(
            db=tmp_path / "console.sqlite3",
            rates_cache=tmp_path / "rates.json",
            console_dir=tmp_path / "out",
        )
        assert Console(settings, stdin=io.StringIO(""), stdout=out).run() == 0, run
        assert "pctby console" in out.getvalue()


def test_ctrl_c_ends_the_console_quietly(tmp_path: Path) -> None:
    import signal

    env = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    env |= {
        "PCTBY_DB": str(tmp_path / "console.sqlite3"),
        "PCTBY_RATES_CACHE": str(tmp_path / "rates.json"),
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "pctby.cli", "run", "--console"],
        stdin=subprocess.PIPE,  # left open: the console waits for a line
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    try:
        assert child.stdout is not None
        assert "pctby console" in child.stdout.readline()  # started, waiting for input
        child.send_signal(signal.SIGINT)
        _out, err = child.communicate(timeout=30)
    finally:
        child.kill()
    assert child.returncode == 0, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err


def test_the_console_goes_on_after_a_ticket_with_the_staff_settings(tmp_path: Path) -> None:
    """With a support desk (the console's own user as staff), the message /support waits for
    is taken by the desk, which stops the update before the last handler group. The console
    waited for every update to reach that group: `/help` got nothing, and the end of the input
    was never read (the run hung until it was killed)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    env |= {"PCTBY_STAFF_CHAT_ID": "-1001", "PCTBY_STAFF_IDS": "10000"}
    out = run_console(tmp_path, "/support\nhello\n/help\n", env=env, timeout=60)
    assert "you> hello" in out
    assert "What I can do" in out.split("you> /help", 1)[1]


def test_a_line_ending_in_a_backslash_continues_the_message(tmp_path: Path) -> None:
    out = run_console(
        tmp_path,
        "/addcase PCT/EP2024/061234 15.03.2024 22.04.2024\n"
        "/entryform PCT/EP2024/061234\n"
        "Water filter\n"
        "1\n"  # Skip: the WO number
        "1\n"  # Skip: the publication date
        "Aqua Clean GmbH\\\n"
        "Hauptstraße 5, Berlin\\\n"
        "DE\n"
        "/cancel\n",
    )
    assert "a line ending in \\ continues the message on the next line" in out
    assert "you> Aqua Clean GmbH\n     Hauptstraße 5, Berlin\n     DE\n" in out
    assert "Applicant 1 added: Aqua Clean GmbH." in out
    assert "The entry request is cancelled" in out


def test_the_console_finishes_whatever_the_handlers_do(tmp_path: Path) -> None:
    """An update stopped in the first handler group, one whose handler fails, one that ends
    in a stray backslash at the end of the input: each is finished, and the console ends."""
    import io
    import threading

    from telegram import Update
    from telegram.ext import ApplicationHandlerStop, TypeHandler

    from bot.console import Console
    from core.settings import Settings

    async def early(update: Update, context: object) -> None:
        text = update.effective_message.text if update.effective_message else ""
        if text == "stop me":
            raise ApplicationHandlerStop
        if text == "fail me":
            raise RuntimeError("a handler that fails")

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db=tmp_path / "console.sqlite3",
        rates_cache=tmp_path / "rates.json",
        console_dir=tmp_path / "out",
    )
    out = io.StringIO()
    console = Console(
        settings, stdin=io.StringIO("stop me\nfail me\n/help\nends with \\\\\n/start\\"), stdout=out
    )
    console.app.add_handler(TypeHandler(Update, early), group=-100)
    ended: list[int] = []
    run = threading.Thread(target=lambda: ended.append(console.run()), daemon=True)
    run.start()
    run.join(60)  # it used to wait for good after "stop me"
    assert ended == [0], out.getvalue()
    text = out.getvalue()
    assert "What I can do" in text.split("you> /help", 1)[1]
    assert "you> ends with \\\n" in text  # two backslashes: one, ending the line
    assert "Hello, Console!" in text.split("you> /start", 1)[1]  # the last line, sent at the end
