"""`pctby ask`: answer a question from the FAQ (ru, be, en), or offer the closest topics."""

from __future__ import annotations

import argparse
import re
import sys
from typing import Any

from pctby.commands._common import EXIT_BAD_INPUT, EXIT_OK, add_output, print_json

_TAG = re.compile(r"</?[bi]>")


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "ask", help="answer a question from the FAQ, citing its paragraph"
    )
    p.add_argument("text", nargs="*", metavar="TEXT", help="the question, in ru, be or en")
    add_output(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from core.faq import load_faq
    from core.i18n import env_lang

    lang = args.lang or env_lang()
    faq = load_faq()
    question = " ".join(args.text).strip()
    if not question:
        print(f"pctby: {faq.ui(lang).empty_question}", file=sys.stderr)
        return EXIT_BAD_INPUT
    match = faq.match(question, lang=lang)
    answer = faq.answer(match.topic, lang) if match.topic is not None else None
    warning = None
    from core.explain import states_amounts

    if answer is not None and states_amounts(answer.body):  # amounts: say how old they are
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
                "answer": answer.text if answer else None,
                "lang": lang,
                "basis": answer.basis if answer else None,
                "calculator": list(answer.calculator) if answer else [],
                "candidates": candidates,
                "warning": warning,
            }
        )
    elif answer is not None:
        print(f"{answer.title}\n\n{_TAG.sub('', answer.text)}")
        if warning:
            print(f"\n{warning}")
    else:
        ui = faq.ui(lang)
        lines = [ui.no_match]
        if candidates:
            lines.append(ui.closest)
            lines += [f"  {i}. {c['title']} ({c['topic']})" for i, c in enumerate(candidates, 1)]
        print("\n".join(lines))
    return EXIT_OK
