"""The shape of the code, checked: what may import what.

- `core/` is the domain: it never imports `telegram` or `bot`, so a second front-end (the CLI,
  a web page) uses it unchanged; nor does it draw: `draw/` renders with matplotlib what core
  computes, and imports no front-end.
- `bot/` has no import circle: the graph of its imports — at module level, inside a function,
  and under `if TYPE_CHECKING:` (a circle the type checker sees is one the reader follows too,
  and the next run-time import along it would close it) — has no cycle.
- Nor have `core/`, `pctby/` and `web/`: a module imports its siblings by their own names
  (`import core.faq.intent as intent`), never through the package that re-exports it.
- A feature (a module of `bot/handlers/`, the `bot/desk/` and `bot/cases/` packages) can be
  read alone: of the bot it imports only `bot.context`, `bot.parse`, `bot.render` and
  `bot.fallbacks` (and, in a package, its own modules) — never another feature, the router or
  a job.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ("bot.context", "bot.parse", "bot.render", "bot.fallbacks")
PACKAGES = ("desk", "cases")  # features in a package of their own: bot/desk/, bot/cases/


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The modules `path` imports, anywhere in it, `if TYPE_CHECKING:` blocks included
    (absolute names; `from a import b` counts as `a.b` as well as `a`, since `b` may be a
    module)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                found.add(base)
                found.update(f"{base}.{alias.name}" for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


def graph(package: str) -> dict[str, set[str]]:
    modules = {module_name(p): p for p in (ROOT / package).rglob("*.py")}
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges[name] = {m for m in imports(path) if m in modules and m != name}
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component: list[str] = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            connect(v)
    return found


def test_the_scan_sees_a_circle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_scan_reads_imports_of_every_form() -> None:
    edges = graph("bot")
    assert "bot.context" in edges["bot.handlers.fees"]  # `from bot.context import BotContext`
    assert "bot.handlers.fees" in edges["bot.handlers"]  # `from bot.handlers import fees`
    raw = imports(ROOT / "bot" / "desk" / "__init__.py")
    assert "bot.desk.staff" in raw  # `from bot.desk import staff`
    assert "core.deadlines" in imports(ROOT / "bot" / "context.py")  # outside bot/ too
    assert "bot.context" in imports(ROOT / "bot" / "jobs" / "alerts.py")  # under TYPE_CHECKING


def test_bot_has_no_import_circle() -> None:
    assert cycles(graph("bot")) == []


@pytest.mark.parametrize("package", ["core", "pctby", "web"])
def test_no_import_circle_in(package: str) -> None:
    assert cycles(graph(package)) == []


def test_core_never_imports_the_front_ends() -> None:
    offending = {
        module_name(path): sorted(
            m
            for m in imports(path)
            if m.split(".")[0]
            in {"telegram", "bot", "pctby", "web", "starlette", "draw", "matplotlib"}
        )
        for path in (ROOT / "core").rglob("*.py")
    }
    assert {k: v for k, v in offending.items() if v} == {}


def features() -> list[Path]:
    handlers = [p for p in (ROOT / "bot" / "handlers").glob("*.py") if p.name != "__init__.py"]
    packages = [p for name in PACKAGES for p in (ROOT / "bot" / name).glob("*.py")]
    return sorted([*handlers, *packages])


@pytest.mark.parametrize("path", features(), ids=lambda p: module_name(p))
def test_a_feature_imports_only_the_shared_modules(path: Path) -> None:
    name = module_name(path)
    own = next((f"bot.{p}" for p in PACKAGES if name.startswith(f"bot.{p}")), name)
    allowed = (*SHARED, own)
    foreign = sorted(
        m
        for m in imports(path)
        if m.split(".")[0] == "bot"
        and m not in {"bot", "bot.handlers"}
        and not any(m == a or m.startswith(a + ".") for a in allowed)
    )
    # `from bot.handlers import x` would show as "bot.handlers.x": a feature reaching another
    assert foreign == [], f"{name} imports {foreign}"


def test_pictures_are_drawn_outside_the_domain() -> None:
    """draw/ (matplotlib) draws what core computes: it imports core, never a front-end — so the
    bot, the desk and the CLI can all use it — and only it imports matplotlib."""
    for path in (ROOT / "draw").rglob("*.py"):
        found = {m.split(".")[0] for m in imports(path)}
        assert not found & {"bot", "web", "pctby", "telegram"}, path
    drawing = [
        module_name(path)
        for package in ("core", "bot", "web", "pctby")
        for path in (ROOT / package).rglob("*.py")
        if any(m.split(".")[0] == "matplotlib" for m in imports(path))
    ]
    assert drawing == []


def test_the_case_desk_uses_core_only() -> None:
    """web/ is a front-end beside the bot: it reaches the rules and the store through `core`
    alone — never the bot or telegram (no second copy of a rule in a second front-end)."""
    for path in (ROOT / "web").rglob("*.py"):
        found = imports(path)
        assert not {m for m in found if m.split(".")[0] in ("bot", "telegram", "pctby")}, path
