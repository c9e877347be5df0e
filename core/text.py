"""Text as people (and look-alike tricks) type it: one normal form for what is stored and compared.

`clean(text)`: Unicode NFKC (full-width letters and digits, ligatures and compatibility forms
become the plain ones), then every format character removed — zero-width spaces and joiners, the
byte-order mark, soft hyphens and the bidirectional controls (LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI,
LRM/RLM/ALM) that make a reference or a name read differently from what it is — and the ends
stripped. Case references, titles and names go through it before they are stored or compared.
"""

from __future__ import annotations

import unicodedata


def clean(text: str) -> str:
    """`text` in NFKC without format characters (Unicode category Cf), stripped."""
    normal = unicodedata.normalize("NFKC", text)
    if normal.isascii():
        return normal.strip()
    return "".join(c for c in normal if unicodedata.category(c) != "Cf").strip()
