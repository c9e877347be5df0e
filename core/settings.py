"""Settings from the environment (prefix `PCTBY_`) or a `.env` file, validated once at start —
one reader for both front-ends: the bot (`pctby run`) and every other `pctby` command.

`StoreSettings` are what every command needs (the database, the exchange-rate cache);
`Settings` adds the bot's (token, Bot API, webhook, staff, log level). Both read the same
variables the same way (pydantic-settings, which reads `.env` itself), so a command that only
needs the database is not stopped by a bad bot setting, and the bot and the commands can never
disagree about where the database is.

An empty value means "not set" (so `.env.example` works as it is, copied to `.env`); every
setting is listed, with its meaning, in `.env.example`. A bad value — or a `.env` that is not
UTF-8 text — is one sentence (`SettingsError`, exit status 3), never a traceback.

Framework-free (no telegram): the token is a `SecretStr`, shown nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.errors import SettingsError

DEFAULT_API_URL = "https://api.telegram.org/bot"
DEFAULT_DB = Path("./data/pctby.sqlite3")
ENV_FILE = ".env"
RATES_FILE = "nbrb-rates.json"
__all__ = ["Settings", "SettingsError", "StoreSettings", "describe", "load"]

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a secret_token
_PATH = re.compile(r"[A-Za-z0-9._~/-]+")

S = TypeVar("S", bound="StoreSettings")


class StoreSettings(BaseSettings):
    """What every `pctby` command reads: the database and the exchange-rate cache."""

    model_config = SettingsConfigDict(
        env_prefix="PCTBY_",
        env_file=ENV_FILE,
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
    )

    db: Path = DEFAULT_DB
    # The NBRB exchange-rate cache (default: next to the database).
    rates_cache: Path | None = None

    @property
    def rates_path(self) -> Path:
        """The bot's cache: PCTBY_RATES_CACHE, else next to the database."""
        return self.rates_cache or self.db.parent / RATES_FILE

    def quote_rates_path(self, fallback: Path) -> Path:
        """The cache a one-off quote (`pctby fees`) reads: PCTBY_RATES_CACHE; else the bot's own
        (next to the database, kept fresh by its daily refresh) when there is one; else
        `fallback` (the user's cache folder) — a quote from an empty folder writes nothing."""
        if self.rates_cache is not None:
            return self.rates_cache
        bots = self.db.parent / RATES_FILE
        return bots if bots.is_file() else fallback


class Settings(StoreSettings):
    """Everything `pctby run` reads."""

    bot_token: SecretStr | None = None
    bot_api_url: str = DEFAULT_API_URL
    staff_chat_id: int | None = None
    staff_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    timezone: str = "Europe/Minsk"
    webhook_url: str | None = None
    webhook_path: str | None = None  # default: a random path kept in the database
    # Behind a reverse proxy on the same host (deploy/README.md); the image listens on 0.0.0.0.
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = Field(default=8443, ge=1, le=65535)
    webhook_secret: SecretStr | None = None
    # The case desk (web/) as Telegram opens it: the menu button and /desk (public https URL).
    webapp_url: str | None = None
    log_level: LogLevel = "INFO"
    # Console mode: where documents the bot sends (exports) are saved.
    console_dir: Path = Path("./data/console")

    @field_validator("staff_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        """`PCTBY_STAFF_IDS=1,2 3` → {1, 2, 3}."""
        if isinstance(value, str):
            try:
                return frozenset(int(v) for v in value.replace(",", " ").split())
            except ValueError:
                raise ValueError("expected Telegram user ids separated by commas") from None
        if isinstance(value, int):
            return frozenset({value})
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator(
        "bot_token", "webhook_url", "webhook_secret", "webhook_path", "webapp_url", mode="before"
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("bot_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        """The Bot API's URL up to the token: files are fetched from the same server, under
        `…/file/bot<token>/` (`file_url`)."""
        parts = urlsplit(value)
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise ValueError("expected the Bot API's URL, e.g. http://localhost:8081/bot")
        if not parts.path.endswith("/bot") or parts.query or parts.fragment:
            raise ValueError("expected a URL that ends in /bot, e.g. http://localhost:8081/bot")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("https", "http") or not parts.hostname:
                raise ValueError("expected the public URL, e.g. https://bot.example.org/hook")
        return value

    @field_validator("webapp_url")
    @classmethod
    def _webapp_url(cls, value: str | None) -> str | None:
        """Telegram opens a Mini App only from a public https address."""
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme != "https" or not parts.hostname or parts.fragment:
                raise ValueError(
                    "expected the desk's public https URL, e.g. https://bot.example.org/app/"
                )
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _SECRET.fullmatch(value.get_secret_value()):
            raise ValueError("expected 1-256 characters A-Z, a-z, 0-9, _ and -")
        return value

    @field_validator("webhook_path")
    @classmethod
    def _path(cls, value: str | None) -> str | None:
        if value is None:
            return None
        path = value.strip().strip("/")
        if not path or not _PATH.fullmatch(path):
            raise ValueError("expected a URL path such as tg/hook-3f9a")
        return path

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url is not None and self.webhook_secret is None:
            raise ValueError(
                "PCTBY_WEBHOOK_SECRET is required with PCTBY_WEBHOOK_URL (Telegram sends it with"
                " every update, so that nobody else can post to the bot)"
            )
        return self

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def token(self) -> str | None:
        return None if self.bot_token is None else self.bot_token.get_secret_value()

    @property
    def file_url(self) -> str:
        """Where files are downloaded: the same server as the Bot API
        (`https://api.telegram.org/file/bot`, `http://localhost:8081/file/bot`)."""
        return self.bot_api_url.removesuffix("bot") + "file/bot"

    def summary(self, log_level: str | None = None) -> str:
        """The settings in one line for the start-up log (no token, no secret); `log_level`:
        the level the log really has (`-v` raises it to DEBUG)."""
        parts = [
            f"database {self.db}",
            f"time zone {self.timezone}",
            f"Bot API {self.bot_api_url}",
            f"staff chat {'set' if self.staff_chat_id is not None else 'not set'}",
            f"{len(self.staff_ids)} staff id(s)",
            f"log level {log_level or self.log_level}",
        ]
        if self.webhook_url:
            parts.append(f"webhook {self.webhook_url} on {self.webhook_listen}:{self.webhook_port}")
        return ", ".join(parts)


def load(cls: type[S], **overrides: Any) -> S:
    """The settings of type `cls` (`Settings`, `StoreSettings`), or `SettingsError`."""
    try:
        return cls(**overrides)
    except ValidationError as err:
        raise SettingsError(describe(err)) from None
    except UnicodeDecodeError as err:
        line = bytes(err.object[: err.start]).count(b"\n") + 1
        raise SettingsError(
            f"the settings file {ENV_FILE} is not UTF-8 text (line {line} cannot be read):"
            " save it as UTF-8."
        ) from None
    except OSError as err:
        raise SettingsError(f"the settings file {ENV_FILE} cannot be read: {err}.") from None


def describe(err: ValidationError) -> str:
    """A settings error as one sentence: which variable, what is wrong (never a secret)."""
    problems = []
    for e in err.errors():
        msg = str(e["msg"]).removeprefix("Value error, ")
        loc = e.get("loc") or ()
        if not loc:
            problems.append(msg)
            continue
        name = f"PCTBY_{str(loc[0]).upper()}"
        shown = e.get("input")
        if loc[0] in ("bot_token", "webhook_secret") or not isinstance(shown, str | int):
            problems.append(f"{name}: {msg}")
        else:
            problems.append(f"{name}={shown!s}: {msg}")
    head = "invalid setting" if len(problems) == 1 else "invalid settings"
    return f"{head}: " + "; ".join(problems) + "."
