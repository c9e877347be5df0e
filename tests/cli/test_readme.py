"""The README is the user's manual: its `pctby` synopsis is the one of `pctby --help`, and it
points at nothing outside the repository."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest

from pctby.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")


def readme_synopsis() -> dict[str, str]:
    """{command: its synopsis text} from the first sh block of "The `pctby` command"."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## The `pctby` command") :]
    block = section[section.index("```sh") + 5 : section.index("```", section.index("```sh") + 5)]
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
    assert [c for c in readme_synopsis() if c != "--version"] == list(parser_options())


def test_the_synopsis_shows_every_option_of_each_command_and_no_other() -> None:
    synopsis = readme_synopsis()
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
