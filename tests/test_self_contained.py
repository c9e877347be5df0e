"""The repository stands on its own: the code, the deployment files and the documents cite the
rules by `docs/RULES.md` section and source paragraph, never a file outside the repository or
the number of a work item, and the sources the tests compare with are kept in `docs/sources/`."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Outside pointers: the rules' first draft, a folder beside the checkout, a work item.
OUTSIDE = re.compile(r"DOMAIN\.md|\.\./shared|shared/seeds|\b[Ii]ssues? #?\d+")
PLACES = ("core", "pctby", "web", "deploy", "docs", "bench", "bin", "tools", "locales")
FILES = ("setup.py", "pyproject.toml", "MANIFEST.in", ".env.example")
TEXT = {".py", ".md", ".toml", ".txt", ".po", ".service", ".timer", ".sysusers", ".sh", ""}


def sources() -> list[Path]:
    found = [ROOT / name for name in FILES]
    for place in PLACES:
        found += [
            p
            for p in (ROOT / place).rglob("*")
            if p.is_file() and p.suffix in TEXT and "__pycache__" not in p.parts
        ]
    return sorted(p for p in found if p.parent != ROOT / "docs" / "sources")


def test_the_scan_sees_a_pointer() -> None:
    for text in ("DOMAIN.md §3", "(issue 5)", "../../shared/seeds/x.txt", "Issue 10 item 7"):
        assert OUTSIDE.search(text), text
    assert not OUTSIDE.search("docs/RULES.md §3 (BY.12)")


def test_no_pointer_outside_the_repository() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{text[: m.start()].count(chr(10)) + 1}: {m.group(0)}"
        for path in sources()
        for text in [path.read_text(encoding="utf-8", errors="replace")]
        for m in OUTSIDE.finditer(text)
    ]
    assert len(sources()) > 100
    assert found == []


def test_the_sources_the_tests_read_are_in_the_repository() -> None:
    folder = ROOT / "docs" / "sources"
    guide = (folder / "pct-applicants-guide-BY.txt").read_text(encoding="utf-8")
    assert "BY.21 MAINTENANCE FEE FOR A UTILITY MODEL" in guide
    news = (folder / "ncip-news-2021-04-02.txt").read_text(encoding="utf-8")
    assert "+375 (17) 272 97 14" in news
