"""`pctby faq`: the FAQ's learning loop from the command line, on the bot's database
(`PCTBY_DB`), through the same core service as the staff chat's /faq (`core.faq.learning`).

    pctby faq unanswered [--limit N] [--json]     the questions the FAQ did not answer surely
      → {"total", "questions": [{"id", "lang", "text", "outcome", "closest", "score",
                                  "times", "first_asked", "last_asked"}]}
    pctby faq teach --lang L "QUESTION" TOPIC     teach QUESTION (in language L) as TOPIC
    pctby faq taught [--json]                     the taught paraphrases
    pctby faq untaught ID                         remove one

A refused teaching (an unknown topic, a phrase that would also answer other topics' questions,
…) exits with status 2 and one sentence. The running bot uses what is taught at its next
question; `pctby ask` reads it from the same database.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from core import aio
from core.errors import N_, InputError
from pctby import exits
from pctby.commands._common import (
    add_output,
    db_path,
    guarded,
    print_json,
    table,
    translator_for,
)


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "faq", help="the FAQ's unanswered questions; teach it paraphrases (PCTBY_DB)"
    )
    actions = p.add_subparsers(dest="action", required=True, parser_class=type(p))
    unanswered = actions.add_parser(
        "unanswered", help="questions the FAQ did not answer surely, latest first"
    )
    unanswered.add_argument("--limit", type=int, default=50, help="at most N (default 50)")
    add_output(unanswered)
    unanswered.set_defaults(func=guarded(run_unanswered))

    teach = actions.add_parser("teach", help="teach QUESTION as a paraphrase of TOPIC")
    teach.add_argument(
        "--lang",
        dest="question_lang",
        required=True,
        choices=("ru", "be", "en"),
        help="the language of QUESTION (messages follow the environment's locale)",
    )
    teach.add_argument("question", metavar="QUESTION")
    teach.add_argument("topic", metavar="TOPIC", help="a topic id (see pctby ask --json)")
    teach.set_defaults(func=guarded(run_teach), json=False, lang=None)

    taught = actions.add_parser("taught", help="the taught paraphrases")
    add_output(taught)
    taught.set_defaults(func=guarded(run_taught))

    untaught = actions.add_parser("untaught", help="remove taught paraphrase ID")
    untaught.add_argument("id", type=int, metavar="ID")
    untaught.set_defaults(func=guarded(run_untaught), json=False, lang=None)


async def _learning() -> Any:
    from core.faq import load_faq
    from core.faq.learning import FaqLearning
    from core.storage import Store

    if not db_path().is_file():
        raise InputError(N_("There is no database at {path} (set PCTBY_DB)."), path=db_path())
    store = await Store.open(db_path())
    learning = FaqLearning(store, load_faq())
    await learning.start()
    return learning


T = TypeVar("T")


def _with_learning(action: Callable[[Any], Awaitable[T]]) -> T:
    """`action` on the FAQ's learning over the database, opened for it and closed after."""

    async def go() -> T:
        learning = await _learning()
        try:
            return await action(learning)
        finally:
            await learning.store.close()

    return aio.run(go())


def run_unanswered(args: argparse.Namespace) -> int:
    found: tuple[list[Any], int] = _with_learning(lambda faq: faq.unanswered(max(1, args.limit)))
    kept, total = found
    rows = [
        {
            "id": k.id,
            "lang": k.lang,
            "text": k.text,
            "outcome": k.outcome,
            "closest": k.topic,
            "score": k.score,
            "times": k.times,
            "first_asked": k.first_at.isoformat(timespec="seconds"),
            "last_asked": k.last_at.isoformat(timespec="seconds"),
        }
        for k in kept
    ]
    if args.json:
        print_json({"total": total, "questions": rows})
        return exits.OK
    t = translator_for(args)
    if not rows:
        print(t.gettext("No kept questions: the FAQ answered everything."))
        return exits.OK
    print(
        table(
            [
                [
                    f"#{r['id']}",
                    r["lang"],
                    r["last_asked"][:16].replace("T", " "),
                    str(r["times"]),
                    r["outcome"],
                    r["closest"] or "",
                    r["text"] if len(r["text"]) <= 80 else r["text"][:79] + "…",
                ]
                for r in rows
            ],
            ["id", "lang", "last asked (UTC)", "times", "outcome", "closest", "question"],
        )
    )
    print(t.nfmt("{n} kept question", "{n} kept questions", total))
    return exits.OK


def run_teach(args: argparse.Namespace) -> int:
    topic = args.topic.strip().lower()
    taught = _with_learning(lambda faq: faq.teach(args.question_lang, args.question, topic))
    t = translator_for(args)
    print(
        t.fmt(
            "Taught: “{text}” ({lang}) now answers {topic}. To undo: pctby faq untaught {id}",
            text=taught.text,
            lang=taught.lang,
            topic=taught.topic,
            id=taught.id,
        )
    )
    return exits.OK


def run_taught(args: argparse.Namespace) -> int:
    taught: list[Any] = _with_learning(lambda faq: faq.taught())
    if args.json:
        print_json([{"id": x.id, "lang": x.lang, "topic": x.topic, "text": x.text} for x in taught])
        return exits.OK
    t = translator_for(args)
    if not taught:
        print(t.gettext("Nothing taught yet."))
        return exits.OK
    rows = [[f"#{x.id}", x.lang, x.topic, x.text] for x in taught]
    print(table(rows, ["id", "lang", "topic", "question"]))
    return exits.OK


def run_untaught(args: argparse.Namespace) -> int:
    removed = _with_learning(lambda faq: faq.untaught(args.id))
    t = translator_for(args)
    print(
        t.fmt(
            "Removed #{id}: “{text}” ({lang}) no longer answers {topic}.",
            id=removed.id,
            text=removed.text,
            lang=removed.lang,
            topic=removed.topic,
        )
    )
    return exits.OK
