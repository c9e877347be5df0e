"""The case desk's state and who is calling: the reminders service it works through, the one
clock, and how a request is signed in.

Two ways to sign in, chosen when the app is built:
- with the bot's token: every API call carries Telegram's launch data
  (`Authorization: tma <initData>`), validated on that call (`web.auth`); the caller is the
  Telegram user it names;
- without one (`pctby web` with no PCTBY_BOT_TOKEN, on a loopback address): every call is the
  console's local user, as `pctby run` without a token is — nobody to sign in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request

from core.clock import Clock
from core.i18n import Lang, Translator, normalize_lang, translator
from core.reminders import Reminders
from web.auth import Launch, LaunchRefused, fields_of, from_header, validate

ReminderSource = Reminders | Callable[[], Reminders | None]
DOWNLOAD_TTL = dt.timedelta(minutes=2)


class NotReady(Exception):
    """The reminders service is not open yet (the bot is still starting)."""


class NotFound(Exception):
    """Not one of the caller's cases (or gone): the same answer either way."""


@dataclass(frozen=True, slots=True)
class Caller:
    """The signed-in user of one request and their language."""

    owner: int
    lang: Lang
    t: Translator
    launch: Launch | None  # None: the local user (no sign-in)
    telegram_lang: str | None = None  # the language Telegram says the user has


def known_lang(value: object) -> Lang | None:
    """ru, be or en where `value` names one of them (`ru-RU`, `be_BY.UTF-8`); else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    code = normalize_lang(value)
    return code if value.strip().lower()[:2] == code else None


def accept_language(header: str | None) -> Lang | None:
    """The first of ru/be/en in an Accept-Language header, in its order of preference."""
    if not header:
        return None
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        ranked.append((-q, i, tag))
    for _q, _i, tag in sorted(ranked):
        code = known_lang(tag)
        if code is not None:
            return code
    return None


class Desk:
    """What every endpoint needs: the reminders (from the bot's process or `pctby web`'s own),
    the clock, and the sign-in."""

    def __init__(
        self,
        reminders: ReminderSource,
        clock: Clock,
        *,
        bot_token: str | None,
        local_user: int | None = None,
    ) -> None:
        if bot_token is None and local_user is None:
            raise ValueError("either a bot token (sign-in) or a local user (no sign-in)")
        self._reminders = reminders
        self.clock = clock
        self.bot_token = bot_token
        self.local_user = local_user if bot_token is None else None
        self._download_key = secrets.token_bytes(32)

    @property
    def local(self) -> bool:
        return self.bot_token is None

    @property
    def reminders(self) -> Reminders:
        found = self._reminders if isinstance(self._reminders, Reminders) else self._reminders()
        if found is None:
            raise NotReady
        return found

    # -- sign-in ------------------------------------------------------------------------------

    def launch_of(self, request: Request) -> Launch | None:
        """The caller's validated launch data; None for the local user. `LaunchRefused`
        where it is missing, forged or stale."""
        if self.bot_token is None:
            return None
        data = from_header(request.headers.get("authorization"))
        return validate(data, self.bot_token, self.clock.now())

    async def caller(self, request: Request) -> Caller:
        launch = self.launch_of(request)
        owner = launch.user_id if launch is not None else self.local_user
        assert owner is not None
        async with self.reminders.store.transaction() as tx:
            user = await tx.users.get(owner)
        told = launch.language_code if launch is not None else None
        chosen = user.language if user is not None else None
        fallback = accept_language(request.headers.get("accept-language"))
        lang = normalize_lang(chosen or told or fallback)
        return Caller(owner, lang, translator(lang), launch, told)

    def refusal_language(self, request: Request) -> Translator:
        """The language of a "sign-in refused" answer: what the (unverified) launch data or
        the browser says — it only picks the words of the refusal."""
        told: object = None
        data = from_header(request.headers.get("authorization"))
        if data:
            try:
                told = json.loads(fields_of(data).get("user", "{}")).get("language_code")
            except (LaunchRefused, ValueError, AttributeError):
                told = None
        lang = known_lang(told) or accept_language(request.headers.get("accept-language"))
        return translator(lang)

    # -- download links (a file opened by Telegram or the browser carries no header) ----------

    def download_token(self, owner: int, what: str) -> str:
        expires = int((self.clock.now() + DOWNLOAD_TTL).timestamp())
        body = f"{owner}.{what}.{expires}"
        mac = hmac.new(self._download_key, body.encode(), hashlib.sha256).hexdigest()
        return f"{body}.{mac}"

    def download_owner(self, token: str, what: str) -> int:
        """The owner a download link was made for; `NotFound` for a forged or expired one."""
        parts = token.split(".")
        if len(parts) != 4 or parts[1] != what:
            raise NotFound
        owner, _what, expires, mac = parts
        body = f"{owner}.{what}.{expires}"
        good = hmac.new(self._download_key, body.encode(), hashlib.sha256).hexdigest()
        if not hmac.compare_digest(good, mac) or not expires.isdecimal():
            raise NotFound
        if int(expires) < self.clock.now().timestamp():
            raise NotFound
        return int(owner)
