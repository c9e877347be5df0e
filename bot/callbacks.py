"""Typed, versioned callback data: `v1:<feature>:<action>[:<arg>...]` (at most 64 bytes).

A button from an older version of the bot (another prefix) is answered with "this button has
expired" instead of being misread.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

VERSION: Final = "v1"
MAX_BYTES: Final = 64


@dataclass(frozen=True, slots=True)
class Callback:
    feature: str
    action: str
    args: tuple[str, ...] = ()

    def arg(self, index: int, default: str = "") -> str:
        return self.args[index] if index < len(self.args) else default


def cb(feature: str, action: str, *args: object) -> str:
    data = ":".join((VERSION, feature, action, *(str(a) for a in args)))
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data too long: {data!r}")
    return data


def parse(data: str | None) -> Callback | None:
    """The callback, or None when the data is not ours or from another version."""
    if not data:
        return None
    parts = data.split(":")
    if len(parts) < 3 or parts[0] != VERSION:
        return None
    return Callback(parts[1], parts[2], tuple(parts[3:]))


def pattern(feature: str) -> str:
    """The `CallbackQueryHandler` pattern for one feature."""
    return rf"^{VERSION}:{feature}:"
