"""`pctby ask`: answer a question from the FAQ (ru, be, en), or offer the closest topics.

With a database (`PCTBY_DB`, as the bot's), the staff's taught paraphrases count too (read
only: `pctby ask` never writes to it, and does not keep the question).

    pctby ask --json TEXT → {"topic", "score", "outcome", "answer" (plain text), "html"
    (Telegram HTML), "title", "lang", "read_as", "basis", "calculator", "also" (a second topic
    the question fits as well: {"topic", "title", "score", "answer", "html"}), "outside" (the
    kind of out-of-scope question it is), "reading" (intents and periods read), "candidates",
    "warning"}
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from typing import TYPE_CHECKING, Any

from pctby import exits
from pctby.commands._common import add_output, print_json

if TYPE_CHECKING:
    from core.faq import FaqBase
    from core.faq.text import Lang

_TAG = re.compile(r"</?[bi]>")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "ask", help="answer a question from the FAQ, citing its paragraph"
    )
    p.add_argument("text", nargs="*", metavar="TEXT", help="the question, in ru, be or en")
    add_output(p)
    p.set_defaults(func=run)


def plain(text: str) -> str:
    """An answer's Telegram HTML as plain text."""
    return html.unescape(_TAG.sub("", text))


def _faq() -> FaqBase:
    """The FAQ, with the taught paraphrases of the database if there is one."""
    from core.faq import load_faq
    from core.faq.taught import read_taught
    from pctby.commands._common import db_path

    faq = load_faq()
    taught = read_taught(db_path(), faq)
    return faq.with_taught(taught) if taught else faq


def run(args: argparse.Namespace) -> int:
    from core.i18n import env_lang

    lang: Lang = args.lang or env_lang()
    faq = _faq()
    question = " ".join(args.text).strip()
    if not question:
        print(f"pctby: {faq.ui(lang).empty_question}", file=sys.stderr)
        return exits.BAD_INPUT
    match = faq.match(question, lang=lang)
    answer = faq.answer(match.topic, lang) if match.topic is not None else None
    also = faq.answer(match.also, lang) if match.also is not None else None
    warning = None
    from core.explain import states_amounts

    if any(a is not None and states_amounts(a.body) for a in (answer, also)):  # how old they are
        from core.clock import SYSTEM_CLOCK
        from core.explain import amounts_warning
        from core.i18n import translator

        found = amounts_warning(translator(lang), [SYSTEM_CLOCK.today()])
        warning = found[0] if found else None
    candidates = [
        {"topic": topic, "score": score, "title": faq.title(topic, lang)}
        for topic, score in match.candidates
    ]
    if args.json:
        print_json(
            {
                "topic": match.topic,
                "score": match.score,
                "outcome": match.outcome,
                "answer": plain(answer.text) if answer else None,
                "html": answer.text if answer else None,
                "title": answer.title if answer else None,
                "lang": lang,
                "read_as": match.lang,
                "basis": answer.basis if answer else None,
                "calculator": list(answer.calculator) if answer else [],
                "also": None
                if also is None
                else {
                    "topic": also.topic,
                    "title": also.title,
                    "score": next((s for t, s in match.candidates if t == also.topic), None),
                    "answer": plain(also.text),
                    "html": also.text,
                },
                "outside": match.outside,
                "reading": list(match.reading),
                "candidates": candidates,
                "warning": warning,
            }
        )
        return exits.OK
    ui = faq.ui(lang)
    if answer is not None:
        print(f"{answer.title}\n\n{plain(answer.text)}")
        if also is not None:
            print(f"\n{also.title}\n\n{plain(also.text)}")
        if warning:
            print(f"\n{warning}")
        if match.outcome == "low" and len(candidates) > 1:
            print(f"\n{ui.closest}")
            print("\n".join(_numbered(candidates[1:])))
        return exits.OK
    lines = [ui.no_match]
    if candidates:
        lines.append(ui.closest)
        lines += _numbered(candidates)
    print("\n".join(lines))
    return exits.OK


def _numbered(candidates: list[dict[str, Any]]) -> list[str]:
    return [f"  {i}. {c['title']} ({c['topic']})" for i, c in enumerate(candidates, 1)]
