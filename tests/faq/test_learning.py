"""The FAQ's learning loop (core.faq.learning): kept questions (never who), 90 days on the
injected clock, teaching validated before it is stored, effective at once, never pulling
unrelated questions to its topic, stored values that never break a reader."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.clock import FrozenClock
from core.errors import InputError
from core.faq import LANGS, load_faq
from core.faq.learning import FaqLearning, check_teaching, read_taught
from core.faq.models import Taught
from core.storage import Store

HERE = Path(__file__).resolve().parent
faq = load_faq()
START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
async def learning(tmp_path: Path) -> FaqLearning:
    store = await Store.open(tmp_path / "db.sqlite3", clock=FrozenClock(START))
    service = FaqLearning(store, faq)
    await service.start()
    yield service  # type: ignore[misc]
    await store.close()


def clock_of(learning: FaqLearning) -> FrozenClock:
    clock = learning.store.clock
    assert isinstance(clock, FrozenClock)
    return clock


async def ask(learning: FaqLearning, text: str, lang: str = "en") -> str | None:
    """What the bot does with a question: match with the current FAQ, keep it if unsure."""
    current = await learning.refresh()
    match = current.match(text, lang=lang)  # type: ignore[arg-type]
    await learning.keep(text, match)
    return match.topic


async def test_unanswered_questions_are_kept_without_who_asked(learning: FaqLearning) -> None:
    assert await ask(learning, "how do I register a trademark for my shop") is None
    assert await ask(learning, "  how do I register a trademark   for my shop ") is None
    assert await ask(learning, "How much is the fee for grant?") == "grant_fee"  # not kept
    assert await ask(learning, "какая погода в Гомеле", "ru") is None
    kept, total = await learning.unanswered()
    assert total == 2
    latest, first = kept
    assert latest.text == "какая погода в Гомеле" and latest.lang == "ru"
    assert first.text == "how do I register a trademark for my shop" and first.times == 2
    assert first.outcome == "none" and first.topic == "~trademarks"
    assert first.first_at == START and latest.last_at == START
    # nothing in the table says who asked
    with sqlite3.connect(learning.store.path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(faq_kept)")}
    assert columns == {
        "id", "lang", "text", "key", "outcome", "topic", "score", "times", "first_at", "last_at"
    }  # fmt: skip


async def test_low_confidence_answers_are_kept_too(learning: FaqLearning) -> None:
    match = faq.match("office fees", lang="en")
    assert match.topic is not None and match.outcome == "low"
    await ask(learning, "office fees")
    kept, _ = await learning.unanswered()
    assert [(k.text, k.outcome, k.topic) for k in kept] == [("office fees", "low", match.topic)]


async def test_kept_questions_expire_90_days_after_they_were_last_asked(
    learning: FaqLearning,
) -> None:
    clock = clock_of(learning)
    await ask(learning, "what is the weather in Brest")
    await ask(learning, "who is the best football player")
    clock.set(START + dt.timedelta(days=60))
    await ask(learning, "who is the best football player")  # asked again: kept longer
    clock.set(START + dt.timedelta(days=90, seconds=1))
    kept, total = await learning.unanswered()
    assert [k.text for k in kept] == ["who is the best football player"] and total == 1
    clock.set(START + dt.timedelta(days=150, seconds=1))
    assert await learning.unanswered() == ([], 0)


async def test_teaching_a_kept_question_answers_it_at_once(learning: FaqLearning) -> None:
    question = "is there a fast track so that the office picks up our file ahead of the queue"
    assert await ask(learning, question) != "early_start"
    kept, _ = await learning.unanswered()
    done, taught = await learning.teach_kept(kept[0].id, "early_start")
    assert done.text == question and taught.topic == "early_start" and taught.id > 0
    assert await ask(learning, question) == "early_start"
    assert await ask(
        learning, "is there a fast track so the office picks up our file ahead of the queue"
    )
    assert await learning.unanswered() == ([], 0)  # taught: no longer waiting
    # … and removed again
    removed = await learning.untaught(taught.id)
    assert removed == Taught("early_start", "en", question, taught.id)
    assert await ask(learning, question) != "early_start"


async def test_another_process_teaching_is_seen_at_the_next_question(
    learning: FaqLearning, tmp_path: Path
) -> None:
    question = "is there a fast track so that the office picks up our file ahead of the queue"
    other = await Store.open(tmp_path / "db.sqlite3", clock=FrozenClock(START))
    try:
        await FaqLearning(other, faq).teach("en", question, "early_start")  # e.g. pctby faq teach
    finally:
        await other.close()
    assert await ask(learning, question) == "early_start"
    assert read_taught(tmp_path / "db.sqlite3", faq)[0].text == question  # what pctby ask reads


@pytest.mark.parametrize(
    ("topic", "lang", "text", "says"),
    [
        ("no_such_topic", "en", "what about the grant fee", "There is no FAQ topic"),
        ("grant_fee", "en", "fee", "says too little"),
        ("grant_fee", "en", "x" * 301, "at most 300 characters"),
        ("grant_fee", "en", "How much is the grant fee", "already"),
        ("contacts", "ru", "телефон патентного ведомства", "built-in paraphrase"),
        # a phrase that would take another topic's questions (here its title): refused
        ("examination_request", "en", "please time limit for entry", "would also answer"),
        # or a question people asked that the seeds do not answer
        (
            "belarus_russia_cooperation",
            "en",
            "should file eurasian patent application instead please",
            "would also answer",
        ),
        # a phrase the FAQ reads as another topic's whatever it is taught
        ("contacts", "en", "what does the patent cost", "would not be answered with contacts"),
        ("agent", "ru", "срок перехода на национальную фазу", "would not be answered"),
    ],
)
def test_teaching_is_refused_with_one_sentence(topic: str, lang: str, text: str, says: str) -> None:
    with pytest.raises(InputError) as err:
        check_teaching(faq, topic, lang, text)  # type: ignore[arg-type]
    message = str(err.value)
    assert says in message and "\n" not in message


@pytest.mark.timeout(600)  # asks every one of the FAQ's 15,000 documents again: ≈ 1 min
async def test_a_taught_phrase_never_pulls_unrelated_questions_to_its_topic(
    learning: FaqLearning,
) -> None:
    """The labelled sets answer the same after teaching, but for the taught question."""
    rows = []
    for path in (HERE / "faq-dev.tsv", HERE.parents[1] / "core/faq/examples/tune-2.tsv"):
        with path.open(encoding="utf-8", newline="") as fh:
            rows += [(r["lang"], r["question"]) for r in csv.DictReader(fh, delimiter="\t")]
    before = {(lang, q): faq.match(q, lang=lang).topic for lang, q in rows}  # type: ignore[arg-type]
    await learning.teach("en", "our inventor wants to protect the thing quickly in Minsk", "agent")
    await learning.teach("ru", "хотим чтобы нашей заявкой занялись пораньше", "early_start")
    await learning.teach("be", "хто падпіша паперы ад нашай фірмы", "agent")
    after = learning.current
    changed = [
        (lang, q, was, now)
        for (lang, q), was in before.items()
        if (now := after.match(q, lang=lang).topic) != was and now in {"agent", "early_start"}  # type: ignore[arg-type]
    ]
    assert changed == []
    for doc, was in faq.own_answers.items():  # every built-in paraphrase and example too
        assert after.match(doc[2], lang=doc[1]).topic == was, doc


async def test_taught_rows_a_reader_cannot_use_are_skipped(learning: FaqLearning) -> None:
    await learning.teach(
        "en", "is there a fast track so that the office looks at it sooner", "early_start"
    )
    with sqlite3.connect(learning.store.path) as conn:  # a later release dropped a topic
        conn.execute(
            "INSERT INTO faq_taught (lang, topic, text, key, taught_at) VALUES"
            " ('en', 'gone_topic', 'what about the old topic', 'what about the old topic', 0),"
            " ('xx', 'grant_fee', 'a language nobody speaks', 'a language nobody speaks', 0)"
        )
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'faq.taught'")
    current = await learning.refresh()
    assert [t.topic for t in current.taught] == ["early_start"]
    assert [t.topic for t in await learning.taught()] == ["early_start"]
    assert [t.topic for t in read_taught(learning.store.path, faq)] == ["early_start"]
    assert (await learning.untaught(2)).topic == "gone_topic"  # still removable


def test_read_taught_without_a_database_or_its_table(tmp_path: Path) -> None:
    assert read_taught(tmp_path / "none.sqlite3", faq) == []
    sqlite3.connect(tmp_path / "old.sqlite3").close()
    assert read_taught(tmp_path / "old.sqlite3", faq) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    topic=st.sampled_from(faq.topics),
    lang=st.sampled_from(LANGS),
    text=st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=80
    ),
)
def test_whatever_passes_validation_every_reader_can_use(topic: str, lang: str, text: str) -> None:
    try:
        taught = check_teaching(faq, topic, lang, text)  # type: ignore[arg-type]
    except InputError:
        return
    taught = Taught(taught.topic, taught.lang, taught.text, id=1)
    current = faq.with_taught([taught])
    assert current.match(taught.text, lang=taught.lang).topic == topic
    assert current.match("How much is the fee for grant?", lang="en").topic == "grant_fee"
    assert 0 < len(taught.text) <= 300 and "\n" not in taught.text
