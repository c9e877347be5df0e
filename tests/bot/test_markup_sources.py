"""Every dynamic value is escaped in one place (bot/render/html.py): outside that module,
`Markup(...)` — "this string is valid Telegram HTML, send it as it is" — is only ever put on a
string literal of our own (a template), never on a value. A value becomes markup through `esc`,
`render`, `join`, `bold`…, which escape it. The few other sources of markup are named here with
the reason they are safe; a new one fails this test until it is escaped or listed."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAKER = "bot/render/html.py"

# (file, the argument's source) → why it is markup already
TRUSTED: dict[tuple[str, str], str] = {
    ("bot/render/text.py", "closed"): "a piece of Markup split at a tag boundary, tags closed",
    ("bot/render/text.py", "c"): "the pieces of a Markup message split for Telegram's limit",
    ("bot/render/views.py", "faq.answer(topic, lang).text"): (
        "the FAQ's own data; its <b>/<i> are checked when it loads (tests/bot/test_hostile.py)"
    ),
    ("bot/jobs/broadcasts.py", "job.text"): (
        "the staff's text, escaped by Broadcasts.start before it was stored"
    ),
}


def markup_calls(root: Path = ROOT) -> list[tuple[str, int, str]]:
    """(file, line, argument source) of every `Markup(x)` under root/bot whose x is not a
    string literal."""
    found: list[tuple[str, int, str]] = []
    for path in sorted((root / "bot").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel == MAKER:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Markup"
            ):
                continue
            if not node.args and not node.keywords:
                continue  # Markup(): the empty string
            (arg,) = node.args
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                continue
            found.append((rel, node.lineno, ast.get_source_segment(source, arg) or "?"))
    return found


def test_markup_is_put_only_on_literals_and_named_sources() -> None:
    untrusted = [
        f"{rel}:{line}: Markup({arg})"
        for rel, line, arg in markup_calls()
        if (rel, arg) not in TRUSTED
    ]
    assert untrusted == [], "escape these values (esc/render/join) or name them in TRUSTED"


def test_every_named_source_is_still_there() -> None:
    """An entry of TRUSTED whose code has gone is removed, not kept as a blank cheque."""
    seen = {(rel, arg) for rel, _line, arg in markup_calls()}
    assert set(TRUSTED) <= seen, set(TRUSTED) - seen


def test_the_scan_sees_what_it_must(tmp_path: Path) -> None:
    """The scan itself: a value wrapped as markup is found, a literal and `Markup()` are not,
    and the maker module is left out."""
    (tmp_path / "bot" / "render").mkdir(parents=True)
    sample = 'Markup("<b>{x}</b>")\nMarkup()\nMarkup(user_text)\nMarkup(a + "<i>")\n'
    (tmp_path / "bot" / "feature.py").write_text(sample)
    (tmp_path / "bot" / "render" / "html.py").write_text("Markup(value)\n")
    assert markup_calls(tmp_path) == [
        ("bot/feature.py", 3, "user_text"),
        ("bot/feature.py", 4, 'a + "<i>"'),
    ]
