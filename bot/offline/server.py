"""The offline Bot API: a `telegram.request.BaseRequest` that answers the bot without a network.

`OfflineBotApi` answers the Bot API methods the bot uses from one table (`methods`: method name →
handler), keeps every message the bot sends with its inline keyboard (`sent`, as `Sent`), keeps
files both ways (`files`), serves updates to `getUpdates` from a queue (`push`), answers
`getChatMember` from its members registry (`members`, bot/offline/members.py), and fails on
demand as Telegram would (`fail`: 429, 403, 400, a time-out; `block`: a user who blocked the bot).

Texts sent with `parse_mode=HTML` are read as Telegram reads them (`bot.render.html.check`): an
unknown or unclosed tag, a stray `<` or `&` is refused with 400 "Bad Request: can't parse
entities" and kept in `refused`, so a test sees the silence a user would get.

Same idea as the offline request object of python-telegram-bot's own test-suite
(`tests/auxil/networking.py`), grown into a small fake server.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Literal

from telegram.error import TimedOut
from telegram.request import BaseRequest, RequestData

from bot.offline.members import Members, NotFound
from bot.offline.sent import Sent
from bot.render.html import InvalidHtml, check, plain
from core.settings import DEFAULT_API_URL

Fault = Literal["429", "403", "400", "timeout"]
FAULTS: tuple[Fault, ...] = ("429", "403", "400", "timeout")

BOT_ID = 1_000_001
BOT_USERNAME = "pctby_bot"
OFFLINE_TOKEN = "1000001:OFFLINE-bot-api-token"

BLOCKED = "Forbidden: bot was blocked by the user"


class ApiError(Exception):
    """A method's answer that is an error: the HTTP status and Telegram's description."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def body(self) -> bytes:
        answer: dict[str, Any] = {
            "ok": False,
            "error_code": self.code,
            "description": self.description,
        }
        if self.retry_after is not None:
            answer["parameters"] = {"retry_after": self.retry_after}
        return json.dumps(answer).encode()


@dataclass(frozen=True)
class Call:
    """One call of a Bot API method: its parameters and, for uploads, the request's files."""

    method: str
    params: dict[str, Any]
    data: RequestData | None = None

    @property
    def chat_id(self) -> int | None:
        chat = self.params.get("chat_id")
        return int(chat) if chat is not None else None

    def upload(self, default: str) -> tuple[str, bytes]:
        """The first file uploaded with the call: (file name, content)."""
        parts = (self.data.multipart_data if self.data else None) or {}
        for name, raw, *_ in parts.values():
            return str(name), raw if isinstance(raw, bytes) else raw.read()
        return default, b""


Method = Callable[[Call], Awaitable[Any]]


@dataclass
class _Fault:
    method: str
    kind: Fault
    times: int
    retry_after: int
    chat_id: int | None
    description: str | None = None

    def error(self) -> ApiError:
        if self.kind == "timeout":
            raise TimedOut("offline Bot API: injected time-out")
        if self.kind == "429":
            return ApiError(
                429, f"Too Many Requests: retry after {self.retry_after}", self.retry_after
            )
        if self.kind == "403":
            return ApiError(403, BLOCKED)
        return ApiError(400, f"Bad Request: {self.description or 'injected'}")


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


class OfflineBotApi(BaseRequest):
    """A fake Bot API server living inside the request object."""

    def __init__(
        self,
        *,
        on_sent: Callable[[Sent], None] | None = None,
        check_html: bool = True,
        api_url: str = DEFAULT_API_URL,
    ) -> None:
        """`on_sent`: told of every message the bot sends (the console prints it).
        `check_html`: read HTML as Telegram does (off only where the server's own time must not
        count, as in the benchmark: Telegram, not the bot, pays for that check).
        `api_url`: the server's own URL (a self-hosted Bot API's): files are served only under
        its `…/file/bot<token>/`, as a real server serves them — a download from another host
        is 404."""
        self.check_html = check_html
        self.file_url = api_url.removesuffix("bot") + "file/bot"
        self.sent: list[Sent] = []
        self.refused: list[tuple[str, dict[str, Any], str]] = []  # (method, params, error)
        self.commands: dict[str, list[dict[str, Any]]] = {}  # language → setMyCommands
        self.menu_button: dict[str, Any] | None = None  # the default one (setChatMenuButton)
        self.chat_menu_buttons: dict[int, dict[str, Any]] = {}  # a private chat's own
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id → (name, content)
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, id) → message
        # (chat, id) → its HTML and keyboard, as Telegram compares them for "not modified"
        self._contents: dict[tuple[int, int], tuple[str | None, str]] = {}
        self.members = Members(bot_user())
        self.blocked: set[int] = set()  # users who blocked the bot
        self.queries: dict[str, int] = {}  # callback query id → the user who pressed
        self.listeners: list[Callable[[Sent], None]] = [on_sent] if on_sent else []
        self.methods: dict[str, Method] = {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "setMyCommands": self.set_my_commands,
            "setChatMenuButton": self.set_chat_menu_button,
            "getFile": self.get_file,
            "getChatMember": self.get_chat_member,
            "sendMessage": self.send_message,
            "editMessageText": self.edit_message_text,
            "editMessageReplyMarkup": self.edit_message_reply_markup,
            "sendDocument": self.send_document,
            "sendPhoto": self.send_photo,
            "copyMessage": self.copy_message,
            "answerCallbackQuery": self.answer_callback_query,
            "deleteMessage": self.delete_message,
        }
        self._faults: list[_Fault] = []
        self._updates: deque[dict[str, Any]] = deque()
        self._arrived: asyncio.Event | None = None
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._file_ids = itertools.count(1)

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
            if not url.startswith(self.file_url) or file_id not in self.files:
                return 404, ApiError(404, "Not Found").body()
            return 200, self.files[file_id][1]
        name = url.rsplit("/", 1)[-1]
        call = Call(name, dict(request_data.parameters) if request_data else {}, request_data)
        handler = self.methods.get(name, self.accept)
        try:
            self._check_fault(call)
            result = await handler(call)
        except ApiError as error:
            self.refused.append((name, call.params, error.description))
            return error.code, error.body()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    @staticmethod
    async def accept(call: Call) -> Any:
        """A method the bot may call whose effect nobody reads (sendChatAction…): True."""
        return True

    # -- faults -----------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        kind: Fault,
        *,
        times: int = 1,
        retry_after: int = 1,
        chat_id: int | None = None,
        description: str | None = None,
    ) -> None:
        """The next `times` calls of `method` (or "*"), to `chat_id` if given, fail like
        Telegram would; a 400 says `description` ("query is too old…") if given."""
        self._faults.append(_Fault(method, kind, times, retry_after, chat_id, description))

    def block(self, user_id: int) -> None:
        """The user blocked the bot: whatever it sends to them is 403 until `unblock`."""
        self.blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self.blocked.discard(user_id)

    def _check_fault(self, call: Call) -> None:
        if call.chat_id is not None and call.chat_id in self.blocked:
            raise ApiError(403, BLOCKED)
        chat_id = call.chat_id
        if chat_id is None and "callback_query_id" in call.params:  # a press: its user's chat
            chat_id = self.queries.get(str(call.params["callback_query_id"]))
        for fault in self._faults:
            if fault.method not in (call.method, "*") or fault.times <= 0:
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.times -= 1
            if fault.times == 0:
                self._faults.remove(fault)
            raise fault.error()

    # -- updates ----------------------------------------------------------------------------

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def next_message_id(self) -> int:
        return next(self._message_ids)

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for `getUpdates` (polling: the console, the benchmark)."""
        self._updates.append(update)
        if self._arrived is not None:
            self._arrived.set()

    @property
    def pending(self) -> int:
        return len(self._updates)

    def seen(self, message: dict[str, Any]) -> None:
        """A message fed to the bot, remembered as Telegram does (for replies and copies); its
        sender becomes a known user."""
        self.messages[(int(message["chat"]["id"]), int(message["message_id"]))] = message
        if "from" in message:
            self.members.meet(message["from"])

    def store_file(self, name: str, content: bytes) -> str:
        file_id = f"F{next(self._file_ids)}"
        self.files[file_id] = (name, content)
        return file_id

    async def get_updates(self, call: Call) -> Any:
        if self._arrived is None:
            self._arrived = asyncio.Event()
        if not self._updates:
            self._arrived.clear()
            timeout = float(call.params.get("timeout", 0) or 0)
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout=max(timeout, 0.05))
            except TimeoutError:
                return []
        batch = list(self._updates)
        self._updates.clear()
        return batch

    # -- the Bot API ------------------------------------------------------------------------

    async def get_me(self, call: Call) -> Any:
        return bot_user()

    async def set_my_commands(self, call: Call) -> Any:
        self.commands[str(call.params.get("language_code", ""))] = list(
            call.params.get("commands", [])
        )
        return True

    async def set_chat_menu_button(self, call: Call) -> Any:
        button = call.params.get("menu_button") or {}
        if isinstance(button, str):
            button = json.loads(button)
        url = str((button.get("web_app") or {}).get("url", ""))
        if button.get("type") == "web_app" and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")
        chat_id = call.params.get("chat_id")
        if chat_id is None:
            self.menu_button = button
        elif int(chat_id) < 0:  # a private chat's only: a group's id is negative
            raise ApiError(400, "Bad Request: chat not found")
        elif button.get("type") == "default":
            self.chat_menu_buttons.pop(int(chat_id), None)
        else:
            self.chat_menu_buttons[int(chat_id)] = button
        return True

    async def get_file(self, call: Call) -> Any:
        file_id = str(call.params["file_id"])
        _name, content = self.files.get(file_id, ("missing", b""))
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(content),
            "file_path": file_id,
        }

    async def get_chat_member(self, call: Call) -> Any:
        try:
            return self.members.member(int(call.params["chat_id"]), int(call.params["user_id"]))
        except NotFound as missing:
            raise ApiError(400, missing.description) from None

    async def send_message(self, call: Call) -> Any:
        text = self._html(call, "text")
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        chat_id, markup = _chat(call), call.params.get("reply_markup")
        msg = self._message(chat_id, text, markup)
        self._record(Sent(call.method, chat_id, msg["message_id"], text, _keyboard(markup)))
        return msg

    async def edit_message_text(self, call: Call) -> Any:
        text = self._html(call, "text")
        chat_id, message_id = _chat(call), int(call.params["message_id"])
        markup = call.params.get("reply_markup")
        content = (text, _same_keyboard(markup))
        if self._contents.get((chat_id, message_id)) == content:  # a double tap, as Telegram
            raise ApiError(400, NOT_MODIFIED)
        msg = self._message(chat_id, text, markup, message_id=message_id)
        self._contents[(chat_id, message_id)] = content
        self._record(Sent(call.method, chat_id, message_id, text, _keyboard(markup)))
        return msg

    async def edit_message_reply_markup(self, call: Call) -> Any:
        chat_id, message_id = _chat(call), int(call.params["message_id"])
        text = self.messages.get((chat_id, message_id), {}).get("text", "")
        markup = call.params.get("reply_markup")
        msg = self._message(chat_id, text, markup, message_id=message_id)
        self._record(Sent(call.method, chat_id, message_id, text, _keyboard(markup)))
        return msg

    async def send_document(self, call: Call) -> Any:
        caption = self._html(call, "caption")
        chat_id = _chat(call)
        name, content = call.upload("document")
        file_id = self.store_file(name, content)
        msg = self._message(chat_id, None, call.params.get("reply_markup"))
        msg["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name}
        if caption:
            msg["caption"] = plain(caption)
        self._record(Sent(call.method, chat_id, msg["message_id"], caption, [], (name, content)))
        return msg

    async def send_photo(self, call: Call) -> Any:
        """A photo uploaded by the bot: kept like a document (`Sent.document`, the console
        saves it), answered with one size read from the PNG header."""
        caption = self._html(call, "caption")
        chat_id = _chat(call)
        name, content = call.upload("photo")
        file_id = self.store_file(name, content)
        width, height = (
            (int.from_bytes(content[16:20]), int.from_bytes(content[20:24]))
            if content.startswith(b"\x89PNG")
            else (0, 0)
        )
        markup = call.params.get("reply_markup")
        msg = self._message(chat_id, None, markup)
        size = {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": width}
        msg["photo"] = [{**size, "height": height, "file_size": len(content)}]
        if caption:
            msg["caption"] = plain(caption)
        kb = _keyboard(markup)
        self._record(Sent(call.method, chat_id, msg["message_id"], caption, kb, (name, content)))
        return msg

    async def copy_message(self, call: Call) -> Any:
        """A copy of a message the server has seen (sent by the bot or fed to it)."""
        self._html(call, "caption")
        chat_id = _chat(call)
        original = self.messages.get(
            (int(call.params["from_chat_id"]), int(call.params["message_id"]))
        )
        if original is None:
            raise ApiError(400, "Bad Request: message to copy not found")
        markup = call.params.get("reply_markup")
        msg = self._message(chat_id, original.get("text"), markup)
        for key in ("document", "photo", "sticker", "voice", "video", "audio", "caption"):
            if key in original:
                msg[key] = original[key]
        document = None
        if "document" in original:
            document = self.files.get(original["document"]["file_id"])
        text = str(original.get("text") or original.get("caption") or "")
        kb = _keyboard(markup)
        self._record(Sent(call.method, chat_id, msg["message_id"], text, kb, document))
        return {"message_id": msg["message_id"]}

    async def answer_callback_query(self, call: Call) -> Any:
        text = call.params.get("text")
        if text:
            self._record(Sent(call.method, 0, 0, str(text)))
        return True

    async def delete_message(self, call: Call) -> Any:
        self.messages.pop((_chat(call), int(call.params["message_id"])), None)
        return True

    # -- helpers ----------------------------------------------------------------------------

    def _html(self, call: Call, key: str) -> str:
        """The text (or caption) as sent; 400 where Telegram cannot parse its HTML."""
        text = str(call.params.get(key) or "")
        if self.check_html and text and call.params.get("parse_mode") == "HTML":
            try:
                check(text)
            except InvalidHtml as exc:
                raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
        return text

    def _message(
        self, chat_id: int, text: str | None, markup: Any, *, message_id: int | None = None
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": message_id or self.next_message_id(),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": bot_user(),
        }
        if text is not None:
            msg["text"] = plain(text)
        if markup:
            msg["reply_markup"] = markup
        self.messages[(chat_id, msg["message_id"])] = msg
        self._contents[(chat_id, msg["message_id"])] = (text, _same_keyboard(markup))
        return msg

    def _record(self, sent: Sent) -> None:
        self.sent.append(sent)
        for listener in self.listeners:
            listener(sent)


NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)


def _same_keyboard(markup: Any) -> str:
    """A keyboard as Telegram compares it (the same buttons, however the JSON is written)."""
    if isinstance(markup, str):
        markup = json.loads(markup) if markup else None
    return json.dumps(markup or None, sort_keys=True)


def _chat(call: Call) -> int:
    chat_id = call.chat_id
    if chat_id is None:
        raise ApiError(400, "Bad Request: chat_id is empty")
    return chat_id


def _keyboard(markup: Any) -> list[list[dict[str, Any]]]:
    if isinstance(markup, str):
        markup = json.loads(markup)
    if isinstance(markup, dict):
        return list(markup.get("inline_keyboard", []))
    return []
