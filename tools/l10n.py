"""Catalog upkeep: `python -m bot.l10n update` re-extracts the msgids of core/, pctby/, bot/
and web/ into a temporary `messages.pot` and merges them into each language's
`core/locales/<lang>/LC_MESSAGES/messages.po`;
`python -m bot.l10n check` fails when a catalog is stale (`pybabel update --check`).

Extraction is configured in pyproject.toml (`[[tool.babel.mappings]]`); the keywords are
`_`, `N_`, `gettext`, `ngettext:1,2`, `pgettext:1c,2`, `fmt`, `nfmt:1,2` and `markup`
(Translator.fmt and .nfmt, the bot's .markup), with `# TRANSLATORS:` comments. Locations are
left out so that moving code does not stale a catalog.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from core.i18n import DOMAIN, LANGS, LOCALES_DIR

ROOT = Path(__file__).resolve().parent.parent  # the source checkout
SOURCES = ("core", "pctby", "bot", "web")
KEYWORDS = ("_", "N_", "gettext", "ngettext:1,2", "pgettext:1c,2", "fmt", "nfmt:1,2", "markup")


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
    cmd = [pybabel(), "update", "-i", str(pot), "-d", str(LOCALES_DIR), "-D", DOMAIN]
    cmd += ["--no-fuzzy-matching", "--ignore-obsolete"]
    cmd += ["--ignore-pot-creation-date"]
    if check:
        cmd.append("--check")
    return subprocess.run(cmd, cwd=ROOT, check=False, capture_output=True, text=True)


def init_opts(lang: str) -> list[str]:
    return ["-D", DOMAIN, "-l", lang]


def main(argv: list[str]) -> int:
    action = argv[0] if argv else "update"
    with tempfile.TemporaryDirectory() as tmp:
        return _run(action, Path(tmp) / f"{DOMAIN}.pot")


def _run(action: str, pot: Path) -> int:
    extract(pot)
    if action == "init":
        for lang in LANGS:
            po = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
            if not po.exists():
                subprocess.run(
                    [pybabel(), "init", "-i", str(pot), "-d", str(LOCALES_DIR), *init_opts(lang)],
                    check=True,
                )
        return 0
    result = update(pot, check=action == "check")
    sys.stdout.write(result.stdout + result.stderr)
    return result.returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
