"""Typed, versioned callback data: every button is a declared type.

    @dataclass(frozen=True)                      # no slots=True: the registry keeps the class
    class ShowCase(CaseButton, action="show"):   # CaseButton: CallbackData, feature="case"
        case_id: Id

    ShowCase(7).encode() == "v1:case:show:7"     # at most 64 bytes, or ValueError (our bug)
    CaseButton.decode("v1:case:show:7") == ShowCase(7)
    CaseButton.decode("v1:case:show:-7") is None   # never raises
    CallbackQueryHandler(on_button, pattern=CaseButton.matches)

The wire form is `v1:<feature>:<action>[:<field>...]` (`action=""`: the fields follow the
feature). Field types: `int` (canonical ASCII digits, `Between` bounds; plain `int` is 0…2⁶³-1),
`bool` (0/1), `datetime.date` (YYYYMMDD), a `Literal` of strings, a `StrEnum`, `Choice` (fixed
values under their wire names) and `Token` (a short free string of [A-Za-z0-9_.-]). `decode`
answers None on anything else: another version, an unknown prefix, a wrong field count, a bad
value — the feature's handler never sees it, and the fallback says the button has expired.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Annotated,
    Any,
    ClassVar,
    Final,
    Literal,
    Self,
    get_args,
    get_origin,
    get_type_hints,
)

from core.models import Kind

if TYPE_CHECKING:
    from telegram import Update

VERSION: Final = "v1"
MAX_BYTES: Final = 64  # Telegram's limit for callback_data
SEP: Final = ":"
MAX_INT: Final = 2**63 - 1  # SQLite's INTEGER


# -- field constraints (`Annotated` metadata) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Between:
    """An int field's bounds, inclusive."""

    low: int
    high: int


@dataclass(frozen=True, slots=True)
class Token:
    """A short free string: 1 to `max_len` characters of [A-Za-z0-9_.-], and `valid` if given."""

    max_len: int
    valid: Callable[[str], bool] | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """One of a fixed set of values, each under its wire name."""

    wire: Mapping[str, Any]

    @classmethod
    def of(cls, values: Iterable[str]) -> Choice:
        """Strings that are their own wire names (a tuple known only at run time)."""
        return cls({v: v for v in values})


Id = Annotated[int, Between(1, MAX_INT)]  # a database id
KindField = Annotated[Kind, Choice({"patent": Kind.PATENT, "um": Kind.UTILITY_MODEL})]


# -- one field on the wire ----------------------------------------------------------------------


class _Bad(ValueError):
    """A value that is not one of the field's (raised inside decode, never out of it)."""


_INT = re.compile(r"0|-?[1-9][0-9]{0,18}", re.ASCII)
_DATE = re.compile(r"[0-9]{8}", re.ASCII)
_TOKEN = re.compile(r"[A-Za-z0-9_.\-]+", re.ASCII)


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    dump: Callable[[Any], str]  # ValueError: not a value of this field
    load: Callable[[str], Any]  # _Bad: not a wire form of this field


def _int_field(name: str, bounds: Between) -> _Field:
    def check(value: Any) -> int:
        if type(value) is not int or not bounds.low <= value <= bounds.high:
            raise _Bad(f"{name}: {value!r} is not an int in {bounds.low}…{bounds.high}")
        return value

    def load(text: str) -> int:
        if not _INT.fullmatch(text):
            raise _Bad(name)
        return check(int(text))

    return _Field(name, lambda v: str(check(v)), load)


def _choice_field(name: str, wire: Mapping[str, Any]) -> _Field:
    back = {value: key for key, value in wire.items()}
    for key in wire:
        if not _TOKEN.fullmatch(key):
            raise TypeError(f"{name}: wire name {key!r} is not [A-Za-z0-9_.-]+")

    def dump(value: Any) -> str:
        try:
            return back[value]
        except (KeyError, TypeError):
            raise _Bad(f"{name}: {value!r} is not one of {sorted(wire)}") from None

    def load(text: str) -> Any:
        try:
            return wire[text]
        except KeyError:
            raise _Bad(name) from None

    return _Field(name, dump, load)


def _token_field(name: str, token: Token) -> _Field:
    def check(value: Any) -> str:
        if (
            not isinstance(value, str)
            or len(value) > token.max_len
            or not _TOKEN.fullmatch(value)
            or (token.valid is not None and not token.valid(value))
        ):
            raise _Bad(f"{name}: {value!r} is not a token of at most {token.max_len}")
        return value

    return _Field(name, check, check)


def _date_dump(value: Any) -> str:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise _Bad(f"{value!r} is not a date")
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _date_load(text: str) -> dt.date:
    if not _DATE.fullmatch(text):
        raise _Bad("date")
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise _Bad("date") from None


def _field(name: str, hint: Any) -> _Field:
    """The wire form of one declared field (TypeError: a type the codec does not carry)."""
    meta: tuple[Any, ...] = ()
    if get_origin(hint) is Annotated:
        hint, *rest = get_args(hint)
        meta = tuple(rest)
    for m in meta:
        if isinstance(m, Choice):
            return _choice_field(name, m.wire)
        if isinstance(m, Between) and hint is int:
            return _int_field(name, m)
        if isinstance(m, Token) and hint is str:
            return _token_field(name, m)
    if hint is bool:
        return _choice_field(name, {"0": False, "1": True})
    if hint is int:
        return _int_field(name, Between(0, MAX_INT))
    if hint is dt.date:
        return _Field(name, _date_dump, _date_load)
    if get_origin(hint) is Literal and all(isinstance(a, str) for a in get_args(hint)):
        return _choice_field(name, {a: a for a in get_args(hint)})
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _choice_field(name, {str(m.value): m for m in hint})
    raise TypeError(f"callback field {name}: {hint!r} needs a Between, Token or Choice")


# -- the declared types -------------------------------------------------------------------------

_REGISTRY: dict[tuple[str, str], type[CallbackData]] = {}


class CallbackData:
    """The base of every button's data. A subclass with `feature=` (and no action) is the base
    of one feature's buttons; a frozen dataclass subclass with `action=` is one button."""

    feature: ClassVar[str] = ""
    action: ClassVar[str | None] = None  # None: not a button, the base of a feature
    _fields: ClassVar[tuple[_Field, ...]] = ()

    def __init_subclass__(cls, *, feature: str | None = None, action: str | None = None) -> None:
        super().__init_subclass__()
        if feature is not None:
            cls.feature = feature
        cls.action = action
        if action is None:
            return
        if not cls.feature or not _TOKEN.fullmatch(cls.feature) or SEP in action:
            raise TypeError(f"{cls.__name__}: a button needs a feature and an action")
        key = (cls.feature, action)
        if key in _REGISTRY:
            raise TypeError(f"{cls.__name__}: {key} is already {_REGISTRY[key].__name__}")
        hints = get_type_hints(cls, include_extras=True)
        cls._fields = tuple(
            _field(name, hint) for name, hint in hints.items() if get_origin(hint) is not ClassVar
        )
        _REGISTRY[key] = cls

    @property
    def prefix(self) -> str:
        parts = (VERSION, self.feature, self.action) if self.action else (VERSION, self.feature)
        return SEP.join(parts)

    def encode(self) -> str:
        """The callback data (ValueError: a value out of its field, or over 64 bytes)."""
        values = (f.dump(getattr(self, f.name)) for f in self._fields)
        data = SEP.join((self.prefix, *values))
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def decode(cls, data: object) -> Self | None:
        """The button `data` stands for, if it is one of `cls` (or of its feature); else None."""
        if not isinstance(data, str) or len(data) > MAX_BYTES:
            return None
        parts = data.split(SEP)
        if len(parts) < 3 or parts[0] != VERSION:
            return None
        kind, values = _REGISTRY.get((parts[1], parts[2])), parts[3:]
        if kind is None:
            kind, values = _REGISTRY.get((parts[1], "")), parts[2:]
        if kind is None or not issubclass(kind, cls) or len(values) != len(kind._fields):
            return None
        try:
            loaded = {f.name: f.load(text) for f, text in zip(kind._fields, values, strict=True)}
        except _Bad:
            return None
        return kind(**loaded)

    @classmethod
    def matches(cls, data: object) -> bool:
        """`CallbackQueryHandler(pattern=Feature.matches)`: data this type decodes."""
        return cls.decode(data) is not None

    @classmethod
    def read(cls, update: Update) -> Self | None:
        """The pressed button of `update`, decoded (None: no button, or not one of `cls`)."""
        query = update.callback_query
        return cls.decode(query.data) if query is not None else None


def declared() -> tuple[type[CallbackData], ...]:
    """Every declared button type (for tests and documentation)."""
    return tuple(_REGISTRY.values())
