r"""`pctby run` without a token: chat with the bot in the terminal.

The real application (same handlers, same SQLite database) polls the offline Bot API
(`bot.offline`), which serves the lines typed on stdin as updates. What the bot sends is
printed; its inline buttons appear as numbered choices — type the number to press one.
`/file PATH` sends a file (for /import); documents the bot sends (exports) are saved to
`PCTBY_CONSOLE_DIR`. A line ending in a backslash continues the message on the next line
(`name; address \` ⏎ `BY` is one message of two lines; a line that should end with a
backslash ends with two).

Each line is sent once the bot has finished with the one before — whichever handler took it,
stopped it (the support desk takes the message /support waits for) or failed
(`FlowApplication.on_done` says so for every update). At the end of input (Ctrl-D, or the end
of a piped file) the bot finishes answering and stops.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from telegram import Update

from bot.offline import Client, OfflineBotApi, Sent
from core import aio
from core.settings import Settings
from core.storage.db import private_folder

if TYPE_CHECKING:
    from bot.app import Options

CONSOLE_USER_ID = 10_000
CONTINUED = "\\"  # a line ending in it continues the message on the next line


class Console:
    def __init__(
        self,
        settings: Settings,
        *,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        language: str = "en",
        options: Options | None = None,
    ) -> None:
        from bot.app import Options, build_application

        self.settings = settings
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.server = OfflineBotApi(on_sent=self.show)
        self.app = build_application(settings, options or Options(), request=self.server)
        self.chat = Client(
            self.server, CONSOLE_USER_ID, language_code=language, first_name="Console"
        )
        self.last_buttons: Sent | None = None
        self.out_dir = settings.console_dir
        self.interactive = self.stdin.isatty()
        self.language = language
        self.waiting: set[int] = set()  # the updates typed that the bot has not finished with
        cast(Any, self.app).on_done = self._processed

    # -- output -----------------------------------------------------------------------------

    def write(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()

    def show(self, sent: Sent) -> None:
        if sent.method == "answerCallbackQuery":
            self.write(f"  ({sent.plain})\n")
            return
        if sent.chat_id != CONSOLE_USER_ID:
            return
        if sent.document is not None:
            name, content = sent.document
            private_folder(self.out_dir)  # exports hold the user's cases
            path = self.out_dir / Path(name).name
            path.write_bytes(content)
            self.write(f"bot> [document {name}, {len(content)} bytes saved to {path}]\n")
        if sent.plain.strip():
            marker = "bot (edited)>" if sent.method.startswith("edit") else "bot>"
            body = sent.plain.replace("\n", "\n     ")
            self.write(f"{marker} {body}\n")
        if sent.buttons:
            self.last_buttons = sent
            for i, label in enumerate(sent.labels, 1):
                self.write(f"  [{i}] {label}\n")
        self.write("\n")

    # -- input ------------------------------------------------------------------------------

    def to_update(self, message: str) -> dict[str, Any] | None:
        text = message.strip()
        if not text:
            return None
        if text.isdecimal() and self.last_buttons is not None:
            index = int(text) - 1
            if 0 <= index < len(self.last_buttons.buttons):
                return self.chat.press_update(self.last_buttons, index)
        if text.startswith("/file "):
            path = Path(text.removeprefix("/file ").strip()).expanduser()
            try:
                content = path.read_bytes()
            except OSError as exc:
                self.write(f"  (cannot read {path}: {exc.strerror})\n")
                return None
            return self.chat.document_update(path.name, content)
        return self.chat.message_update(text)

    def _processed(self, update: object) -> None:
        if isinstance(update, Update):
            self.waiting.discard(update.update_id)

    async def _settled(self) -> None:
        """Wait until the bot has finished with every update pushed so far."""
        while self.waiting or self.server.pending:
            await asyncio.sleep(0.01)

    async def _read_line(self) -> str:
        """The next line of stdin ("" at its end), read on a thread of its own: the loop's
        shared threads may all be busy (a host lookup that never answers holds one until the
        system's resolver gives up), and a daemon thread never holds up the exit."""
        loop = asyncio.get_running_loop()
        line: asyncio.Future[str] = loop.create_future()

        def deliver(text: str) -> None:
            if not line.done():
                line.set_result(text)

        def read() -> None:
            try:
                text = self.stdin.readline()
            except (OSError, ValueError):  # stdin closed under us: the same as its end
                text = ""
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
                loop.call_soon_threadsafe(deliver, text)

        threading.Thread(target=read, name="console-stdin", daemon=True).start()
        return await line

    async def _read_message(self) -> str | None:
        """The next message: a line, with the lines after it while each ends with a backslash
        (None at the end of input)."""
        lines: list[str] = []
        while True:
            if self.interactive:
                self.write("...> " if lines else "you> ")
            line = await self._read_line()
            if not line:
                return "\n".join(lines) if lines else None
            line = line.rstrip("\r\n")
            if line.endswith(CONTINUED * 2):  # a backslash that ends the line itself
                lines.append(line[:-1])
            elif line.endswith(CONTINUED):
                lines.append(line[:-1])
                continue
            else:
                lines.append(line)
            return "\n".join(lines)

    async def _read_lines(self) -> None:
        while True:
            await self._settled()
            message = await self._read_message()
            if message is None:
                break
            if not self.interactive:
                self.write("you> " + message.rstrip().replace("\n", "\n     ") + "\n")
            update = self.to_update(message)
            if update is not None:
                self.waiting.add(int(update["update_id"]))
                self.server.push(update)
        await self._settled()

    async def _serve(self) -> None:
        """The application's life, step by step (`run_polling` minus its signal handling):
        the console stops it itself when the input ends. Stopping `run_polling` from here with
        `stop_running()` could be lost: the input may end while `run_polling` is finishing
        `start()`, and a `loop.stop()` in that last turn of `run_until_complete` leaves the
        `run_forever` after it running for good (seen: 3 runs in 80, on a loaded machine)."""
        from bot.app import running
        from core.i18n import translator

        async with running(self.app):
            t = translator(self.language)
            self.write(
                t.fmt(
                    "pctby console: no PCTBY_BOT_TOKEN, so the bot runs here on {db}. Type "
                    "/start; numbers press buttons; a line ending in \\ continues the message on "
                    "the next line; Ctrl-D ends.",
                    db=str(self.settings.db),
                )
                + "\n\n"
            )
            updater = self.app.updater
            assert updater is not None  # built with the offline Bot API's getUpdates
            try:
                await updater.start_polling(poll_interval=0.0, timeout=1)
                await self.app.start()
                await self._read_lines()
            finally:  # also after Ctrl-C during the start: what was started is stopped
                if updater.running:
                    await updater.stop()
                if self.app.running:
                    await self.app.stop()

    def run(self) -> int:
        try:
            aio.run(self._serve())
        except KeyboardInterrupt:  # Ctrl-C ends the chat as Ctrl-D does (the bot has stopped)
            self.write("\n")
        return 0
