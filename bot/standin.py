"""An in-process Bot API stand-in: a `telegram.request.BaseRequest` that never touches the network.

It answers the Bot API methods the bot uses, keeps every message the bot sends (with its inline
keyboard), stores documents both ways, and serves updates to `getUpdates` from a queue. Three
front-ends drive it:

- the console (`pctby run` without a token, `bot/console.py`): lines typed on stdin become
  updates, sent messages are printed with their buttons as numbered choices, sent documents are
  saved to a folder;
- the tests and the benchmark: `Chat` below is a scripted user that feeds updates straight to
  `Application.process_update` and returns what the bot answered;
- fault injection: `StandIn.fail("sendMessage", "429")` makes the next such call answer
  429 Too Many Requests (or 403 blocked, a 400, a time-out), as Telegram would.

Texts sent with `parse_mode=HTML` are read as Telegram reads them (`bot.render.html.check`): an
unknown or unclosed tag, a stray `<` or `&` is refused with 400 "Bad Request: can't parse
entities" and kept in `StandIn.refused`, so a test sees the silence a user would get.

Same idea as the offline request object of python-telegram-bot's own test-suite
(`tests/auxil/networking.py`), grown into a small fake server.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.render.html import InvalidHtml, check
from bot.render.html import plain as plain

if TYPE_CHECKING:
    from telegram import Update
    from telegram.ext import Application

Fault = Literal["429", "403", "400", "timeout"]
FAULTS: tuple[Fault, ...] = ("429", "403", "400", "timeout")

BOT_ID = 1_000_001
BOT_USERNAME = "pctby_bot"
STANDIN_TOKEN = "1000001:STANDIN-offline-token"


class _Refused(Exception):
    """An API call answered with an error (status, body)."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _parse(params: dict[str, Any], key: str, enabled: bool = True) -> None:
    """Telegram's check of an HTML text (or caption): 400 where it cannot parse it."""
    text = params.get(key)
    if enabled and text and params.get("parse_mode") == "HTML":
        try:
            check(str(text))
        except InvalidHtml as exc:
            raise _Refused(400, f"Bad Request: can't parse entities: {exc}") from None


@dataclass
class Sent:
    """One message the bot sent (or edited), as the user sees it."""

    method: str
    chat_id: int
    message_id: int
    text: str = ""  # HTML as sent
    keyboard: list[list[dict[str, Any]]] = field(default_factory=list)
    document: tuple[str, bytes] | None = None  # (file name, content)

    @property
    def plain(self) -> str:
        return plain(self.text)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [b for row in self.keyboard for b in row]

    @property
    def labels(self) -> list[str]:
        return [str(b.get("text", "")) for b in self.buttons]

    def __str__(self) -> str:
        return self.plain


@dataclass
class _Fault:
    method: str
    kind: Fault
    times: int
    retry_after: int


class StandIn(BaseRequest):
    """A fake Bot API server living inside the request object."""

    def __init__(
        self, *, on_sent: Callable[[Sent], None] | None = None, check_html: bool = True
    ) -> None:
        """`check_html`: read HTML as Telegram does (off only where the stand-in's own time
        must not count, as in the benchmark: Telegram, not the bot, pays for that check)."""
        self.check_html = check_html
        self.sent: list[Sent] = []
        self.refused: list[tuple[str, dict[str, Any], str]] = []  # (method, params, error)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (name, content)
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.on_sent = on_sent
        self._faults: list[_Fault] = []
        self._updates: deque[dict[str, Any]] = deque()
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._arrived: asyncio.Event | None = None
        self.idle_since = 0.0

    # -- BaseRequest ------------------------------------------------------------------------

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:
            file_id = url.rsplit("/", 1)[-1]
            return 200, self.files.get(file_id, ("", b""))[1]
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        if endpoint != "getUpdates":
            self.calls.append((endpoint, params))
        fault = self._take_fault(endpoint)
        if fault is not None:
            return self._fault_response(fault)
        handler = getattr(self, f"_api_{endpoint}", None)
        if handler is None:
            return 200, _ok(True)
        try:
            result = await handler(params, request_data)
        except _Refused as refused:
            self.refused.append((endpoint, params, refused.description))
            body = {"ok": False, "error_code": refused.code, "description": refused.description}
            return refused.code, json.dumps(body).encode()
        loop = asyncio.get_running_loop()
        self.idle_since = loop.time()
        return 200, _ok(result)

    # -- faults -----------------------------------------------------------------------------

    def fail(self, method: str, kind: Fault, *, times: int = 1, retry_after: int = 1) -> None:
        """The next `times` calls of `method` (or "*") fail like Telegram would."""
        self._faults.append(_Fault(method, kind, times, retry_after))

    def _take_fault(self, endpoint: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method in (endpoint, "*") and fault.times > 0:
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
                return fault
        return None

    @staticmethod
    def _fault_response(fault: _Fault) -> tuple[int, bytes]:
        if fault.kind == "timeout":
            raise TimedOut("stand-in: injected time-out")
        if fault.kind == "429":
            body = {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {fault.retry_after}",
                "parameters": {"retry_after": fault.retry_after},
            }
            return 429, json.dumps(body).encode()
        if fault.kind == "403":
            body = {
                "ok": False,
                "error_code": 403,
                "description": "Forbidden: bot was blocked by the user",
            }
            return 403, json.dumps(body).encode()
        body = {"ok": False, "error_code": 400, "description": "Bad Request: injected"}
        return 400, json.dumps(body).encode()

    # -- updates ----------------------------------------------------------------------------

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for `getUpdates` (console mode)."""
        self._updates.append(update)
        if self._arrived is not None:
            self._arrived.set()

    @property
    def pending(self) -> int:
        return len(self._updates)

    async def _api_getUpdates(self, params: dict[str, Any], _: RequestData | None) -> Any:
        if self._arrived is None:
            self._arrived = asyncio.Event()
        if not self._updates:
            self._arrived.clear()
            timeout = float(params.get("timeout", 0) or 0)
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout=max(timeout, 0.05))
            except TimeoutError:
                return []
        batch = list(self._updates)
        self._updates.clear()
        return batch

    # -- the Bot API ------------------------------------------------------------------------

    @staticmethod
    def bot_user() -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "PCT BY",
            "username": BOT_USERNAME,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getMe(self, *_: Any) -> Any:
        return self.bot_user()

    async def _api_setMyCommands(self, params: dict[str, Any], _: Any) -> Any:
        lang = str(params.get("language_code", ""))
        self.commands[lang] = list(params.get("commands", []))
        return True

    async def _api_getFile(self, params: dict[str, Any], _: Any) -> Any:
        file_id = str(params["file_id"])
        _name, content = self.files.get(file_id, ("missing", b""))
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": file_id,
        }

    def _message(
        self, chat_id: int, text: str | None, markup: Any, *, message_id: int | None = None
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": message_id or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": self.bot_user(),
        }
        if text is not None:
            msg["text"] = plain(text)
        if markup:
            msg["reply_markup"] = markup
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _record(self, sent: Sent) -> None:
        self.sent.append(sent)
        if self.on_sent is not None:
            self.on_sent(sent)

    @staticmethod
    def _keyboard(markup: Any) -> list[list[dict[str, Any]]]:
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict):
            return list(markup.get("inline_keyboard", []))
        return []

    async def _api_sendMessage(self, params: dict[str, Any], _: Any) -> Any:
        _parse(params, "text", self.check_html)
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        if not text.strip():
            raise_bad = {"ok": False, "error_code": 400, "description": "message text is empty"}
            return _Raise(raise_bad)
        if len(text) > 4096:
            return _Raise({"ok": False, "error_code": 400, "description": "message is too long"})
        markup = params.get("reply_markup")
        msg = self._message(chat_id, text, markup)
        self._record(Sent("sendMessage", chat_id, msg["message_id"], text, self._keyboard(markup)))
        return msg

    async def _api_editMessageText(self, params: dict[str, Any], _: Any) -> Any:
        _parse(params, "text", self.check_html)
        chat_id = int(params["chat_id"])
        message_id = int(params["message_id"])
        text = str(params.get("text", ""))
        markup = params.get("reply_markup")
        msg = self._message(chat_id, text, markup, message_id=message_id)
        kb = self._keyboard(markup)
        self._record(Sent("editMessageText", chat_id, message_id, text, kb))
        return msg

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any], _: Any) -> Any:
        chat_id = int(params["chat_id"])
        message_id = int(params["message_id"])
        old = self.messages.get((chat_id, message_id), {})
        markup = params.get("reply_markup")
        msg = self._message(chat_id, old.get("text", ""), markup, message_id=message_id)
        kb = self._keyboard(markup)
        self._record(Sent("editMessageReplyMarkup", chat_id, message_id, old.get("text", ""), kb))
        return msg

    async def _api_sendDocument(self, params: dict[str, Any], data: RequestData | None) -> Any:
        _parse(params, "caption", self.check_html)
        chat_id = int(params["chat_id"])
        parts = data.multipart_data if data else {}
        name, content = "document", b""
        for part in parts.values():
            name, raw = str(part[0]), part[1]
            content = raw if isinstance(raw, bytes) else raw.read()
            break
        file_id = self.store_file(name, content)
        caption = str(params.get("caption", ""))
        msg = self._message(chat_id, None, params.get("reply_markup"))
        msg["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name}
        if caption:
            msg["caption"] = plain(caption)
        self._record(Sent("sendDocument", chat_id, msg["message_id"], caption, [], (name, content)))
        return msg

    async def _api_sendPhoto(self, params: dict[str, Any], data: RequestData | None) -> Any:
        """A photo uploaded by the bot: kept like a document (`Sent.document`, the console
        saves it), answered with one size read from the PNG header."""
        chat_id = int(params["chat_id"])
        parts = data.multipart_data if data else {}
        name, content = "photo", b""
        for part in parts.values():
            name, raw = str(part[0]), part[1]
            content = raw if isinstance(raw, bytes) else raw.read()
            break
        file_id = self.store_file(name, content)
        width, height = (
            (int.from_bytes(content[16:20]), int.from_bytes(content[20:24]))
            if content.startswith(b"\x89PNG")
            else (0, 0)
        )
        caption = str(params.get("caption", ""))
        markup = params.get("reply_markup")
        msg = self._message(chat_id, None, markup)
        size = {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": width}
        msg["photo"] = [{**size, "height": height, "file_size": len(content)}]
        if caption:
            msg["caption"] = plain(caption)
        kb = self._keyboard(markup)
        self._record(Sent("sendPhoto", chat_id, msg["message_id"], caption, kb, (name, content)))
        return msg

    async def _api_copyMessage(self, params: dict[str, Any], _: Any) -> Any:
        """A copy of a message the stand-in has seen (sent by the bot or fed to it)."""
        _parse(params, "caption", self.check_html)
        chat_id = int(params["chat_id"])
        original = self.messages.get((int(params["from_chat_id"]), int(params["message_id"])))
        if original is None:
            return _Raise(
                {"ok": False, "error_code": 400, "description": "message to copy not found"}
            )
        markup = params.get("reply_markup")
        msg = self._message(chat_id, original.get("text"), markup)
        for key in ("document", "photo", "sticker", "voice", "video", "audio", "caption"):
            if key in original:
                msg[key] = original[key]
        document = None
        if "document" in original:
            document = self.files.get(original["document"]["file_id"])
        text = str(original.get("text") or original.get("caption") or "")
        self._record(
            Sent("copyMessage", chat_id, msg["message_id"], text, self._keyboard(markup), document)
        )
        return {"message_id": msg["message_id"]}

    def seen(self, message: dict[str, Any]) -> None:
        """Remembers a message fed to the bot, as Telegram does (for replies and copies)."""
        self.messages[(int(message["chat"]["id"]), int(message["message_id"]))] = message

    async def _api_answerCallbackQuery(self, params: dict[str, Any], _: Any) -> Any:
        text = params.get("text")
        if text:
            self._record(Sent("answerCallbackQuery", 0, 0, str(text)))
        return True

    async def _api_deleteMessage(self, params: dict[str, Any], _: Any) -> Any:
        self.messages.pop((int(params["chat_id"]), int(params["message_id"])), None)
        return True

    def store_file(self, name: str, content: bytes) -> str:
        file_id = f"F{next(self._file_ids)}"
        self.files[file_id] = (name, content)
        return file_id


class _Raise(dict[str, Any]):
    """A result that is an API error (see `_ok`)."""


def _ok(result: Any) -> bytes:
    if isinstance(result, _Raise):
        return json.dumps(dict(result)).encode()
    return json.dumps({"ok": True, "result": result}).encode()


class Chat:
    """A scripted user in a private chat: sends text, presses buttons, uploads documents.

    Each call feeds one update to `Application.process_update` and returns what the bot sent in
    answer (messages, edits, documents, callback answers with text).
    """

    def __init__(
        self,
        app: Application[Any, Any, Any, Any, Any, Any],
        user_id: int,
        *,
        language_code: str | None = "en",
        first_name: str = "Test",
        username: str | None = None,
    ) -> None:
        self.app = app
        self.standin = standin_of(app)
        self.user_id = user_id
        self.user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code:
            self.user["language_code"] = language_code
        if username:
            self.user["username"] = username

    @property
    def chat(self) -> dict[str, Any]:
        return {"id": self.user_id, "type": "private", "first_name": self.user["first_name"]}

    def _base_message(self) -> dict[str, Any]:
        mid = next(self.standin._message_ids)
        return {
            "message_id": mid,
            "date": int(time.time()),
            "chat": self.chat,
            "from": self.user,
        }

    def message_update(self, text: str) -> dict[str, Any]:
        msg = self._base_message()
        msg["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": self.standin.next_update_id(), "message": msg}

    def document_update(
        self, name: str, content: bytes, caption: str | None = None
    ) -> dict[str, Any]:
        file_id = self.standin.store_file(name, content)
        msg = self._base_message()
        msg["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "mime_type": "text/csv",
            "file_size": len(content),
        }
        if caption:
            msg["caption"] = caption
        return {"update_id": self.standin.next_update_id(), "message": msg}

    def press_update(self, sent: Sent, button: str | int) -> dict[str, Any]:
        buttons = [b for b in sent.buttons if "callback_data" in b]
        if isinstance(button, int):
            chosen = buttons[button]
        else:
            matches = [b for b in buttons if button.lower() in str(b["text"]).lower()]
            if not matches:
                raise LookupError(f"no button {button!r} in {[b['text'] for b in buttons]}")
            chosen = matches[0]
        found = self.standin.messages.get((sent.chat_id, sent.message_id))
        # The press comes from this user's chat (a forged press replays the data elsewhere).
        message = (
            {**found, "chat": self.chat}
            if found
            else {
                "message_id": sent.message_id,
                "date": int(time.time()),
                "chat": self.chat,
                "text": sent.plain,
            }
        )
        return {
            "update_id": self.standin.next_update_id(),
            "callback_query": {
                "id": str(self.standin.next_update_id()),
                "from": self.user,
                "chat_instance": str(self.user_id),
                "message": message,
                "data": chosen["callback_data"],
            },
        }

    async def feed(self, data: dict[str, Any]) -> list[Sent]:
        from telegram import Update

        mark = len(self.standin.sent)
        if "message" in data:
            self.standin.seen(data["message"])
        update: Update = Update.de_json(data, self.app.bot)
        await self.app.process_update(update)
        return [s for s in self.standin.sent[mark:] if s.chat_id in (self.user_id, 0)]

    async def send(self, text: str) -> list[Sent]:
        return await self.feed(self.message_update(text))

    async def upload(self, name: str, content: bytes, caption: str | None = None) -> list[Sent]:
        return await self.feed(self.document_update(name, content, caption))

    def last_with_buttons(self) -> Sent:
        for sent in reversed(self.standin.sent):
            if sent.chat_id == self.user_id and sent.buttons:
                return sent
        raise LookupError("the bot has sent no buttons to this chat")

    async def press(self, button: str | int, sent: Sent | None = None) -> list[Sent]:
        target = sent or self.last_with_buttons()
        return await self.feed(self.press_update(target, button))

    def said(self) -> list[Sent]:
        return [s for s in self.standin.sent if s.chat_id == self.user_id]


def standin_of(app: Application[Any, Any, Any, Any, Any, Any]) -> StandIn:
    request = app.bot._request[1]
    if not isinstance(request, StandIn):
        raise TypeError("this application does not run on the stand-in")
    return request


def text_of(replies: list[Sent]) -> str:
    """Everything the user read in `replies`, as one plain string."""
    return "\n".join(s.plain for s in replies)


__all__ = [
    "FAULTS",
    "STANDIN_TOKEN",
    "Chat",
    "Fault",
    "Sent",
    "StandIn",
    "Update",
    "plain",
    "standin_of",
    "text_of",
]
