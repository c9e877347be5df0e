"""The documents say what the program does: the manual's `pctby` synopsis is the one of
`pctby --help` and its chat commands are the ones the bot answers; every figure carries the
date it was measured; the README stays a newcomer's page that leads to the rest; and no
document points at anything outside the repository."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from pctby.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
MANUAL = ROOT / "docs" / "MANUAL.md"
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def section(path: Path, title: str) -> str:
    """The section of `path` under the heading `title`, up to the next heading of its level."""
    text = path.read_text()
    head = text.index(title + "\n")
    level = title.split(" ", 1)[0] + " "
    end = text.find("\n" + level, head + len(title))
    return text[head : end if end != -1 else len(text)]


def manual_synopsis() -> dict[str, str]:
    """{command: its synopsis text} from the first sh block of "The `pctby` command"."""
    text = section(MANUAL, "## The `pctby` command")
    block = text[text.index("```sh") + 5 : text.index("```", text.index("```sh") + 5)]
    found: dict[str, str] = {}
    current = None
    for line in block.splitlines():
        code = line.split("#", 1)[0] if not line.lstrip().startswith("#") else ""
        if line.startswith("pctby "):
            current = line.split()[1]
            found[current] = code
        elif current is not None:
            found[current] += " " + code
    return found


def _options(parser: argparse.ArgumentParser) -> set[str]:
    """The parser's --options and those of its own sub-commands (`schedule check`)."""
    found = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                found |= _options(child)
        found |= {o for o in action.option_strings if o.startswith("--") and o != "--help"}
    return found


def parser_options() -> dict[str, set[str]]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {name: _options(p) for name, p in sub.choices.items()}


def test_the_synopsis_lists_every_command_of_the_help_in_its_order_and_no_other() -> None:
    assert [c for c in manual_synopsis() if c != "--version"] == list(parser_options())


def test_the_synopsis_shows_every_option_of_each_command_and_no_other() -> None:
    synopsis = manual_synopsis()
    for name, options in parser_options().items():
        assert set(OPTION.findall(synopsis[name])) == options, name


def test_the_documents_point_at_nothing_outside_the_repository() -> None:
    link = re.compile(r"\]\(([^)]+)\)|`(\.\./[^`]*)`")
    for doc in [ROOT / "README.md", *ROOT.glob("*/README.md"), *ROOT.glob("docs/*.md")]:
        text = doc.read_text()
        assert "../shared" not in text, doc
        for match in link.finditer(text):
            target = match.group(1) or match.group(2)
            if target.startswith(("http://", "https://", "#", "mailto:")):
                continue
            resolved = (doc.parent / target.split("#")[0]).resolve()
            assert resolved.is_relative_to(ROOT) and resolved.exists(), (doc, target)


def test_the_examples_of_the_help_work(capsys: pytest.CaptureFixture[str]) -> None:
    from pctby.cli import EPILOG, main

    examples = [
        shlex.split(line.strip())[1:]
        for line in EPILOG.splitlines()
        if line.startswith("  pctby ") and " run" not in line
    ]
    assert len(examples) >= 3
    for argv in examples:
        assert main(argv) == 0, argv
    assert capsys.readouterr().err == ""


def test_the_manual_lists_every_command_the_bot_answers_and_no_other(tmp_path: Path) -> None:
    from bot.app import Options, build_application
    from bot.handlers import CommandRouter
    from bot.offline import OfflineBotApi
    from core.settings import Settings

    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        db=tmp_path / "pctby.sqlite3",
        staff_chat_id=-100_1,
        staff_ids=frozenset({1}),
    )
    app = build_application(settings, Options(open_store=False), request=OfflineBotApi())
    routed = {
        command
        for handlers in app.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandRouter)
        for command in handler.routes
    }
    listed = set(re.findall(r"`/([a-z]+)", section(MANUAL, "## The chat")))
    assert listed == routed


def test_every_figure_carries_the_date_it_was_recorded() -> None:
    rows = [
        line
        for line in section(ROOT / "docs" / "BENCHMARKS.md", "# pctby: measured figures")
        .split("\n## ")[0]
        .splitlines()
        if line.startswith("| `")
    ]
    assert len(rows) >= 10
    for row in rows:
        assert re.search(r"\| 20\d\d-\d\d-\d\d \|$", row), row
    for title in ("## At Telegram's ceiling", "## FAQ quality, before and after"):
        assert re.search(
            r"Recorded 20\d\d-\d\d-\d\d\.", section(ROOT / "docs" / "BENCHMARKS.md", title)
        )


def test_the_readme_is_a_newcomers_page_that_leads_to_the_rest() -> None:
    """What the product is, the two commands, the layout, where to read more — the manual, the
    rules and the figures live in docs/, where they can grow without burying the first page."""
    text = (ROOT / "README.md").read_text()
    for heading in ("## Two commands", "## Layout", "## Where to read more"):
        assert heading in text
    for doc in ("docs/MANUAL.md", "docs/RULES.md", "docs/BENCHMARKS.md", "bot/README.md"):
        assert f"]({doc})" in text, doc
    assert "|---" not in text  # no tables of commands, statuses or figures


# The repository stands on its own: the rules cited by docs/RULES.md section and seed
# paragraph, no work-item numbers, no paths outside it (the seeds are in docs/sources/).
SELF_CONTAINED = (
    *("core", "bot", "pctby", "web", "draw", "tests", "bench", "deploy", "bin", "tools"),
    *("locales", "examples", "docs", "README.md", "setup.py", "pyproject.toml", "MANIFEST.in"),
    ".env.example",
)
SOURCES = ROOT / "docs" / "sources"  # the Guide and the news themselves, verbatim
TEXT = {".py", ".md", ".toml", ".txt", ".sh", ".po", ".service", ".timer", ".sysusers", ""}
OUTSIDE = re.compile(r"DOMAIN\.md|\.\./shared|shared/seeds|\b[Ii]ssues? #?[0-9]+")


def test_the_code_and_the_documents_point_at_nothing_outside_the_repository() -> None:
    here = Path(__file__).resolve()
    files = [
        path
        for place in SELF_CONTAINED
        for path in ([ROOT / place] if (ROOT / place).is_file() else (ROOT / place).rglob("*"))
        if path.is_file()
        and path.suffix in TEXT
        and path.resolve() != here
        and SOURCES not in path.parents
        and "__pycache__" not in path.parts
    ]
    assert len(files) > 100
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in files
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def test_the_sources_the_tests_read_are_in_the_repository() -> None:
    """tests/entryform/test_form.py and tests/faq/test_data.py compare with these."""
    guide = (SOURCES / "pct-applicants-guide-BY.txt").read_text(encoding="utf-8")
    assert "BY.21 MAINTENANCE FEE FOR A UTILITY MODEL" in guide
    news = (SOURCES / "ncip-news-2021-04-02.txt").read_text(encoding="utf-8")
    assert "+375 (17) 272 97 14" in news
