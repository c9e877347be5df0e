"""The FAQ learns from the staff: questions it could not answer are kept, the staff teach them.

    learning = FaqLearning(store, load_faq())
    faq = await learning.start()                  # the FAQ with the taught paraphrases
    faq = await learning.refresh()                # before each question: another process
                                                  # (pctby faq teach) may have taught one
    await learning.keep(question, faq.match(question, lang))   # kept if not answered surely
    kept = await learning.unanswered()            # for the staff: latest first
    await learning.teach_kept(kept[0].id, "grant_fee")          # or teach(lang, text, topic)
    await learning.untaught(taught_id)

A question is kept when the FAQ gave no answer, offered only the closest topics, or answered
below `SURE_THRESHOLD` (`MatchResult.kept`): its text, the language it was read in and when —
never who asked. Asked again, it counts once more. It is forgotten `KEEP_FOR` after it was last
asked (the store's clock), or when it is taught.

A taught paraphrase is validated before it is stored (`check_teaching`): a known topic, two
words or more, not known already, answered with its topic once taught — and it must not take
any built-in paraphrase, title or out-of-scope example of another topic to its own (a phrase
as vague as "how much is it" would). Every process that shares the database sees a change at
its next question (`refresh`: one read of a counter). Stored ones are validated again when
read (`Taught` rows whose topic a newer release dropped are skipped and logged).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from dataclasses import dataclass
from typing import Final

from core.errors import N_, InputError
from core.faq.base import FaqBase
from core.faq.models import MatchResult, Outcome, Taught
from core.faq.taught import MAX_TAUGHT, one_line, read_taught, valid_taught
from core.faq.text import LANGS, Lang, normalise, tokens
from core.storage import Store

log = logging.getLogger(__name__)

KEEP_FOR: Final = dt.timedelta(days=90)
MAX_KEPT: Final = 500  # characters of a question kept for the staff
MIN_WORDS: Final = 2  # words (not stop-words) a taught paraphrase needs
LIST_LIMIT: Final = 20


@dataclass(frozen=True, slots=True)
class Kept:
    """A question kept for the staff (never who asked it)."""

    id: int
    lang: Lang
    text: str
    outcome: Outcome
    topic: str | None  # the closest topic, or "~kind" for an out-of-scope kind, or None
    score: float
    times: int
    first_at: dt.datetime
    last_at: dt.datetime


def check_teaching(faq: FaqBase, topic: str, lang: Lang, text: str) -> Taught:
    """`text` as a paraphrase of `topic` in `lang`, ready to store; `InputError` (one sentence)
    unless it may be taught (see the module's docstring). CPU work: run it off the event loop."""
    if topic not in faq.topics:
        raise InputError(
            N_("There is no FAQ topic “{topic}”; the topics are: {topics}."),
            topic=topic,
            topics=", ".join(faq.topics),
        )
    text = one_line(text)
    if len(text) > MAX_TAUGHT:
        raise InputError(
            N_("A taught question is at most {max} characters long; this one has {n}."),
            max=MAX_TAUGHT,
            n=len(text),
        )
    if len(set(tokens(text, lang))) < MIN_WORDS:
        raise InputError(
            N_(
                "“{text}” says too little to teach: it needs at least two words that are not "
                "stop-words."
            ),
            text=text,
        )
    key = normalise(text)
    for taught in faq.taught:
        if taught.lang == lang and normalise(taught.text) == key:
            raise InputError(
                N_("“{text}” is taught already (#{id}, {topic})."),
                text=text,
                id=taught.id,
                topic=taught.topic,
            )
    for other in faq.topics:
        if key in {normalise(p) for p in (faq.title(other, lang), *faq.paraphrases(other, lang))}:
            raise InputError(
                N_("“{text}” is a built-in paraphrase of {topic} already."), text=text, topic=other
            )
    now = faq.match(text, lang=lang)
    if now.topic == topic and now.outcome == "answered" and now.also is None:
        raise InputError(
            N_("The FAQ answers “{text}” with {topic} already: there is nothing to teach."),
            text=text,
            topic=topic,
        )
    new = Taught(topic=topic, lang=lang, text=text)
    candidate = faq.with_taught([*faq.taught, new])
    then = candidate.match(text, lang=lang)
    if then.topic != topic:
        raise InputError(
            N_("Even taught, “{text}” would not be answered with {topic}: it reads as {other}."),
            text=text,
            topic=topic,
            other=then.topic or then.outside or "—",
        )
    # Only a document that reads with one of the taught text's stems can change: a taught
    # paraphrase counts in no word's weight and the classifier does not learn it, so it moves
    # only its own topic's score, through the stems it shares with a question.
    new_stems = candidate.read(text, lang)[1]
    for label, doc_lang, doc in faq.documents():
        if label == topic or not (candidate.read(doc, doc_lang)[1] & new_stems):
            continue
        before = faq.match(doc, lang=doc_lang).topic
        if before == topic:
            continue
        if candidate.match(doc, lang=doc_lang).topic == topic:
            owner = label[1:] if label.startswith("~") else label
            raise InputError(
                N_("Not taught: “{text}” would also answer “{example}” ({owner}) with {topic}."),
                text=text,
                example=doc,
                owner=owner,
                topic=topic,
            )
    return new


class FaqLearning:
    """The kept questions and the taught paraphrases in the store, and the FAQ they make."""

    def __init__(self, store: Store, base: FaqBase, *, keep_for: dt.timedelta = KEEP_FOR) -> None:
        self.store = store
        self.base = base.with_taught(()) if base.taught else base
        self.keep_for = keep_for
        self._current = self.base
        self._revision = -1
        self._lock = asyncio.Lock()  # one rebuild at a time

    @property
    def current(self) -> FaqBase:
        """The FAQ with the taught paraphrases, as last read."""
        return self._current

    async def start(self) -> FaqBase:
        """Reads the taught paraphrases (at start-up)."""
        return await self.refresh()

    async def refresh(self) -> FaqBase:
        """The FAQ with the taught paraphrases, rebuilt if they changed since the last look."""
        async with self.store.reading() as tx:
            revision = await tx.faq.revision()
            if revision == self._revision:
                return self._current
            rows = await tx.faq.taught()
        async with self._lock:
            if revision != self._revision:
                taught = valid_taught([r[:4] for r in rows], self.base)
                self._current = (
                    await asyncio.to_thread(self.base.with_taught, taught) if taught else self.base
                )
                self._revision = revision
        return self._current

    async def keep(self, question: str, result: MatchResult) -> bool:
        """Keeps `question` for the staff if the FAQ did not answer it surely; whether it did."""
        text = one_line(question)[:MAX_KEPT]
        key = normalise(text)
        if not result.kept or not key:
            return False
        if result.outside is not None:
            topic: str | None = "~" + result.outside
        else:
            topic = result.candidates[0][0] if result.candidates else None
        async with self.store.transaction() as tx:
            await tx.faq.expire_kept(self.store.clock.now() - self.keep_for)
            await tx.faq.keep(result.lang, text, key, result.outcome, topic, result.score)
        return True

    async def unanswered(self, limit: int = LIST_LIMIT) -> tuple[list[Kept], int]:
        """The latest kept questions (most recently asked first) and how many are kept."""
        async with self.store.transaction() as tx:
            await tx.faq.expire_kept(self.store.clock.now() - self.keep_for)
            rows = await tx.faq.kept(limit)
            total = await tx.faq.kept_count()
        return [Kept(*row) for row in rows], total  # type: ignore[arg-type]

    async def teach(self, lang: Lang, text: str, topic: str) -> Taught:
        """Validates and stores a paraphrase of `topic`; `InputError` (one sentence) if not."""
        faq = await self.refresh()
        new = await asyncio.to_thread(check_teaching, faq, topic, lang, text)
        key = normalise(new.text)
        try:
            async with self.store.transaction() as tx:
                taught_id = await tx.faq.teach(new.lang, new.topic, new.text, key)
                await tx.faq.forget_kept(new.lang, key)
        except sqlite3.IntegrityError:  # taught meanwhile by another process
            raise InputError(N_("“{text}” is taught already."), text=new.text) from None
        await self.refresh()
        return Taught(topic=new.topic, lang=new.lang, text=new.text, id=taught_id)

    async def teach_kept(self, kept_id: int, topic: str) -> tuple[Kept, Taught]:
        """Teaches kept question `kept_id` (in its language) as a paraphrase of `topic`."""
        async with self.store.reading() as tx:
            row = await tx.faq.kept_one(kept_id)
        if row is None:
            raise InputError(
                N_("There is no kept question #{id}: see /faq unanswered."), id=kept_id
            )
        kept = Kept(*row)  # type: ignore[arg-type]
        taught = await self.teach(kept.lang, kept.text, topic)
        return kept, taught

    async def taught(self) -> list[Taught]:
        """The staff's paraphrases, oldest first."""
        async with self.store.reading() as tx:
            rows = await tx.faq.taught()
        return valid_taught([r[:4] for r in rows], self.base)

    async def untaught(self, taught_id: int) -> Taught:
        """Removes taught paraphrase `taught_id` (what it was); `InputError` if there is none.
        A stored row no reader can use is removed all the same."""
        async with self.store.transaction() as tx:
            row = await tx.faq.taught_one(taught_id)
            if row is None:
                raise InputError(
                    N_("There is no taught paraphrase #{id}: see /faq untaught."), id=taught_id
                )
            await tx.faq.untaught(taught_id)
        await self.refresh()
        lang: Lang = row[1] if row[1] in LANGS else "en"
        return Taught(topic=row[2], lang=lang, text=row[3], id=row[0])


__all__ = [
    "KEEP_FOR",
    "LANGS",
    "FaqLearning",
    "Kept",
    "check_teaching",
    "one_line",
    "read_taught",
]
