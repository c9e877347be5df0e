"""A case reference as users type it: one word the chat, the command line and the case desk
accept alike (`/addcase REF …`, the desk's "Add a case" form).

    check_ref(" PCT/IB2024/050123 ")  → "PCT/IB2024/050123"
    check_ref("my ref")                → InputError (one sentence, translated by a front-end)
"""

from __future__ import annotations

import re

from core.errors import N_, InputError
from core.text import clean

MAX_REF = 40
_REF = re.compile(r"^[^\s<>&\"']{1,40}$")


def _shown(text: str, limit: int = 50) -> str:
    """What the user typed, on one line and cut, for the error sentence."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def check_ref(ref: str) -> str:
    """`ref` in its stored form (`core.text.clean`), or an `InputError` saying what a
    reference may be."""
    ref = clean(ref)
    if not _REF.match(ref):
        raise InputError(
            N_(
                "A case reference is 1 to {max} characters without spaces or <>&\"', "
                "for example PCT/IB2024/050123 or my-ref-7; got “{ref}”."
            ),
            max=MAX_REF,
            ref=_shown(ref),
        )
    return ref
