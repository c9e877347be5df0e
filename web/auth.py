"""Telegram's launch data (`initData`), validated as Telegram documents it for Mini Apps.

The page sends the launch data it was opened with on every API call (header
`Authorization: tma <initData>`). It is a URL-encoded query string of fields, one of them
`hash`:

    data_check_string = "\\n".join(f"{key}={value}" for every field but hash, sorted by key)
    secret_key        = HMAC_SHA256(key="WebAppData", msg=bot_token)
    valid             ⇔ hex(HMAC_SHA256(key=secret_key, msg=data_check_string)) == hash

and `auth_date` (unix seconds) says when Telegram signed it: older than `MAX_AGE` (24 hours)
is refused as stale, and so is a date from the future beyond a minute of clock skew. Every
other field (`signature`, `query_id`, `chat_instance`…) is part of the string as received.
A field given twice is refused: which of the two would count is exactly the ambiguity a
forger looks for. What passes is the Telegram user `id` (and their `language_code`), never
trusted before the hash is checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from urllib.parse import parse_qsl

MAX_AGE = dt.timedelta(hours=24)
MAX_SKEW = dt.timedelta(minutes=1)  # auth_date ahead of our clock by at most this
MAX_INIT_DATA = 8192  # characters: real launch data is well under 1 KB
MAX_USER_ID = 2**52 - 1  # Telegram: a user id has at most 52 significant bits
SCHEME = "tma"  # Authorization: tma <initData>


class Refusal(StrEnum):
    """Why launch data was refused (the 401's `reason`)."""

    MISSING = "missing"  # no launch data: opened outside Telegram without #tgWebAppData
    FORGED = "forged"  # malformed, or the hash does not match: not signed with our token
    STALE = "stale"  # signed more than MAX_AGE ago (or in the future)


class LaunchRefused(Exception):
    def __init__(self, reason: Refusal) -> None:
        super().__init__(reason.value)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Launch:
    """Validated launch data: who opened the page, when Telegram signed it."""

    user_id: int
    language_code: str | None
    first_name: str
    auth_date: dt.datetime


@lru_cache(maxsize=4)
def secret_key(bot_token: str) -> bytes:
    """HMAC_SHA256(key="WebAppData", msg=bot_token): the key Telegram signs launch data with."""
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def data_check_string(fields: dict[str, str]) -> str:
    return "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")


def sign(fields: dict[str, str], bot_token: str) -> str:
    """The hash Telegram puts beside `fields` (for tests and the local launch link)."""
    check = data_check_string(fields).encode()
    return hmac.new(secret_key(bot_token), check, hashlib.sha256).hexdigest()


def fields_of(init_data: str) -> dict[str, str]:
    """The fields of launch data; `FORGED` where it is not a query string of unique keys."""
    if not init_data or len(init_data) > MAX_INIT_DATA:
        raise LaunchRefused(Refusal.FORGED if init_data else Refusal.MISSING)
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise LaunchRefused(Refusal.FORGED) from None
    fields = dict(pairs)
    if len(fields) != len(pairs):
        raise LaunchRefused(Refusal.FORGED)  # a field given twice
    return fields


def validate(init_data: str | None, bot_token: str, now: dt.datetime) -> Launch:
    """The launch data checked against `bot_token` on `now`; `LaunchRefused` otherwise."""
    if not init_data:
        raise LaunchRefused(Refusal.MISSING)
    fields = fields_of(init_data)
    given = fields.get("hash", "")
    if not hmac.compare_digest(sign(fields, bot_token), given.lower()) or len(given) != 64:
        raise LaunchRefused(Refusal.FORGED)
    # signed by Telegram with our token: now the contents may be read
    try:
        signed = dt.datetime.fromtimestamp(int(fields["auth_date"]), dt.UTC)
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise LaunchRefused(Refusal.FORGED) from None
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not 0 < user_id <= MAX_USER_ID:
        raise LaunchRefused(Refusal.FORGED)
    if signed < now - MAX_AGE or signed > now + MAX_SKEW:
        raise LaunchRefused(Refusal.STALE)
    language = user.get("language_code")
    name = user.get("first_name")
    return Launch(
        user_id=user_id,
        language_code=language if isinstance(language, str) else None,
        first_name=name if isinstance(name, str) else "",
        auth_date=signed,
    )


def from_header(value: str | None) -> str | None:
    """The launch data of an `Authorization: tma <initData>` header (None: no such header)."""
    if not value:
        return None
    scheme, _, data = value.strip().partition(" ")
    if scheme.lower() != SCHEME:
        return None
    return data.strip() or None


def launch_data(user_id: int, bot_token: str, now: dt.datetime, **extra: str) -> str:
    """Launch data for `user_id` signed with `bot_token` as Telegram signs it (tests, the
    screenshots, and opening the desk in a browser with a token of one's own)."""
    from urllib.parse import urlencode

    user = {"id": user_id, "first_name": extra.pop("first_name", "Test")}
    if "language_code" in extra:
        user["language_code"] = extra.pop("language_code")
    fields = {
        "auth_date": str(int(now.timestamp())),
        "query_id": extra.pop("query_id", "AAE-test"),
        "user": json.dumps(user, separators=(",", ":"), ensure_ascii=False),
        **extra,
    }
    fields["hash"] = sign(fields, bot_token)
    return urlencode(fields)
