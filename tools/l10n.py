"""The message catalogs, for developers (not shipped): `bin/l10n update|check|compile`.

    bin/l10n update    re-extracts the msgids of core/, pctby/, bot/, web/, draw/ into a temporary
                       `messages.pot` and merges them into each `locales/<lang>/LC_MESSAGES/
                       messages.po` (new entries empty, obsolete ones dropped)
    bin/l10n check     fails when a catalog is stale (`pybabel update --check`), then compiles
                       them as `compile` does (a catalog with an error or marked fuzzy fails)
    bin/l10n compile   `locales/<lang>/LC_MESSAGES/messages.po` → `messages.mo` beside it, what
                       a source checkout reads (`bin/setup` runs it)

`compile_catalogs` is the one place the catalogs are compiled: `compile` (so `bin/setup`) calls
it for the checkout, and the wheel's build (`setup.py`) calls it to put them into the package as
`core/locales/<lang>/LC_MESSAGES/messages.mo` (package data mapped from `locales/`). It needs
only Babel, which the build has; nothing here imports the program.

Extraction is configured in pyproject.toml (`[[tool.babel.mappings]]`); the keywords are `_`,
`N_`, `gettext`, `ngettext:1,2`, `pgettext:1c,2`, `fmt`, `nfmt:1,2` and `markup`
(Translator.fmt and .nfmt, the bot's .markup), with `# TRANSLATORS:` comments. Locations are
left out so that moving code does not stale a catalog.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the source checkout
LOCALES = ROOT / "locales"
DOMAIN = "messages"
SOURCES = ("core", "pctby", "bot", "web", "draw")
KEYWORDS = ("_", "N_", "gettext", "ngettext:1,2", "pgettext:1c,2", "fmt", "nfmt:1,2", "markup")


class CatalogError(Exception):
    """A catalog that must not be shipped: a placeholder error, a fuzzy header, or none at all."""


def compile_catalogs(source: Path = LOCALES, target: Path | None = None) -> list[Path]:
    """`source`/<lang>/LC_MESSAGES/*.po → `target`/<lang>/LC_MESSAGES/*.mo (`target`: beside
    them); returns the .mo files. `CatalogError` for a catalog with an error or marked fuzzy,
    rather than shipping a language that would fall back to English."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    target = source if target is None else target
    written: list[Path] = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        problems = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check()]
        if problems:
            raise CatalogError(f"{po}: {problems[0][0]!r}: {problems[0][1]}")
        if catalog.fuzzy:
            raise CatalogError(f"{po}: the catalog is marked fuzzy")
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
        written.append(mo)
    if not written:
        raise CatalogError(f"no catalogs under {source}")
    return written


def pybabel() -> str:
    exe = Path(sys.executable).with_name("pybabel")
    return str(exe) if exe.exists() else "pybabel"


def extract(pot: Path) -> None:
    cmd = [pybabel(), "extract", "-F", str(ROOT / "pyproject.toml"), "--no-location"]
    cmd += ["--add-comments=TRANSLATORS:", "--sort-by-file", "--omit-header"]
    cmd += ["--no-default-keywords"]
    for keyword in KEYWORDS:
        cmd += ["-k", keyword]
    cmd += ["-o", str(pot), *SOURCES]
    subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)


def update(pot: Path, *, check: bool = False) -> subprocess.CompletedProcess[str]:
    cmd = [pybabel(), "update", "-i", str(pot), "-d", str(LOCALES), "-D", DOMAIN]
    cmd += ["--no-fuzzy-matching", "--ignore-obsolete"]
    cmd += ["--ignore-pot-creation-date"]
    if check:
        cmd.append("--check")
    return subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True, text=True)


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "update"
    if action not in ("update", "check", "compile"):
        sys.stderr.write("usage: bin/l10n update|check|compile\n")
        return 2
    try:
        if action != "compile":
            with tempfile.TemporaryDirectory() as tmp:
                pot = Path(tmp) / f"{DOMAIN}.pot"
                extract(pot)
                result = update(pot, check=action == "check")
            sys.stdout.write(result.stdout + result.stderr)
            if result.returncode or action == "update":
                return result.returncode
        compile_catalogs()
    except CatalogError as exc:
        sys.stderr.write(f"bin/l10n: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
