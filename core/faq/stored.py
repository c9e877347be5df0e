"""The stems of the FAQ's documents, kept between runs: one JSON file, written atomically.

Reading some 10,000 documents (paraphrases, out-of-scope examples, labelled examples) word by
word — normalising, stemming, the lexicon — is most of what building the FAQ costs, and a
`pctby ask` builds it in every process. The file is keyed by what the stems are computed from
(core/faq/text.py, the lexicon, the stemmers' release): when one of them changes, nothing in it
is used. A document it lacks is read as before and the file written again, with only the
documents this run read (a paraphrase removed from the FAQ leaves it). Where the file cannot be
written (a read-only home, a full disk) the stems are kept in memory only.

`PCTBY_FAQ_CACHE` names the file (empty: nothing is kept); else the user's cache folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata, resources
from pathlib import Path
from typing import Final

from core.faq.text import Lang, tokens
from core.jsonfile import write_atomically

FORMAT: Final = 1


def words_cache_path() -> Path | None:
    """Where the stems are kept: PCTBY_FAQ_CACHE (empty: nowhere), else the user's cache
    folder."""
    named = os.environ.get("PCTBY_FAQ_CACHE")
    if named is not None:
        return Path(named) if named.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pctby" / "faq-words.json"


def source_key() -> str:
    """What the stems are computed from: this format, core/faq/text.py, the lexicon and the
    stemmers' release."""
    digest = hashlib.sha256(f"{FORMAT}".encode())
    package = resources.files("core.faq")
    digest.update(package.joinpath("text.py").read_bytes())
    digest.update(package.joinpath("lexicon.toml").read_bytes())
    try:
        digest.update(metadata.version("snowballstemmer").encode())
    except metadata.PackageNotFoundError:
        digest.update(b"-")
    return digest.hexdigest()


class StoredWords:
    """`tokens` for the documents of one FAQ build, read from and written to `path`."""

    def __init__(self, path: Path | None) -> None:
        self._path = path
        self._key = source_key()
        self._known: dict[str, list[str]] = {}
        # what this run read (the FAQs made from the built-in one with the staff's paraphrases
        # read theirs too, in worker threads: one dict item set at a time needs no lock)
        self._used: dict[str, list[str]] = {}
        if path is None:
            return
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and raw.get("key") == self._key:
            words = raw.get("words")
            if isinstance(words, dict):
                self._known = {
                    k: v
                    for k, v in words.items()
                    if isinstance(v, list) and all(isinstance(s, str) for s in v)
                }

    def tokens(self, text_: str, lang: Lang) -> list[str]:
        """`core.faq.text.tokens`, from the file when it holds them."""
        key = f"{lang}\t{text_}"
        found = self._known.get(key)
        if found is None:
            found = tokens(text_, lang)
        self._used[key] = found
        return list(found)

    @property
    def missed(self) -> int:
        """How many documents this run read that the file did not hold."""
        return sum(1 for k in self._used if k not in self._known)

    def save(self) -> None:
        """Write the documents this run read, unless the file holds exactly those already
        (`load_faq` calls it once, before any other FAQ is made from the built-in one)."""
        if self._path is None or (not self.missed and len(self._used) == len(self._known)):
            return
        if not write_atomically(
            self._path,
            {"key": self._key, "words": self._used},
            prefix=".faq-words-",
            ensure_ascii=False,
            separators=(",", ":"),
        ):
            self._path = None  # kept in memory from now on
