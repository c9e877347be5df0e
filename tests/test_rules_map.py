"""docs/RULES.md §5, the map from each rule to its code and its tests, names only what exists:
every module, every function, class or table in it, every test file and test. A rename that
forgets the map fails here, not in a newcomer's hands."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULES = ROOT / "docs" / "RULES.md"
TICKED = re.compile(r"`([^`]+)`")


def map_rows() -> list[tuple[str, str, str]]:
    """(rule, code, tests) of every table row of §5."""
    text = RULES.read_text(encoding="utf-8")
    section = text[text.index("## 5. Where each rule lives") :]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3 and cells[0] not in ("rule", "---"):
            rows.append((cells[0], cells[1], cells[2]))
    return rows


@cache
def names_in(path: Path) -> frozenset[str]:
    """Top-level names of a module, and `Class.member` for its classes' members."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
            if isinstance(node, ast.ClassDef):
                for member in node.body:
                    if isinstance(member, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        found.add(f"{node.name}.{member.name}")
                    elif isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):
                        found.add(f"{node.name}.{member.target.id}")
        elif isinstance(node, ast.Assign):
            found.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            found.add(node.target.id)
    return frozenset(found)


def code_references(cell: str) -> list[tuple[str, str | None]]:
    """(file or folder, name or None) of a code cell: "`core/x.py`: `f`, `g` (...); `core/y`"."""
    found: list[tuple[str, str | None]] = []
    for part in cell.split(";"):
        where, _, names = part.partition(":")
        paths = TICKED.findall(where)
        if not paths:
            continue
        found.append((paths[0], None))
        for name in TICKED.findall(re.sub(r"\([^)]*\)", "", names)):
            found.append((paths[0], name.split("[")[0]))
    return found


def test_the_map_has_a_row_for_every_section() -> None:
    rows = map_rows()
    assert len(rows) > 30
    text = RULES.read_text(encoding="utf-8")
    for heading in ("### §1", "### §2", "### §3", "### §4"):
        assert heading in text[text.index("## 5.") :], heading


def test_every_module_and_name_of_the_map_exists() -> None:
    missing = []
    for rule, code, _tests in map_rows():
        for where, name in code_references(code):
            paths = list(ROOT.glob(where))
            if not paths:
                missing.append(f"{rule[:40]}: {where}")
            elif name is not None and name not in names_in(paths[0]):
                missing.append(f"{rule[:40]}: {where} has no {name}")
    assert missing == []


def test_every_test_of_the_map_exists() -> None:
    missing = []
    for rule, _code, tests in map_rows():
        current: Path | None = None
        for ref in TICKED.findall(tests):
            if not ref.startswith(("tests/", "::")):
                continue  # a word about the test, e.g. the source it compares with
            path, _, test = ref.partition("::")
            if path:
                current = ROOT / path
                if not current.exists():
                    missing.append(f"{rule[:40]}: {path}")
                    continue
            if test:
                assert current is not None, ref
                if current.exists() and test not in names_in(current):
                    missing.append(f"{rule[:40]}: {current.relative_to(ROOT)}::{test}")
    assert missing == []


def test_the_scan_reads_a_row() -> None:
    assert code_references("`core/a.py`: `f`, `g` (`x`); `core/data/*.toml`") == [
        ("core/a.py", None),
        ("core/a.py", "f"),
        ("core/a.py", "g"),
        ("core/data/*.toml", None),
    ]
