"""Build hook: the gettext catalogs are compiled into the wheel.

Everything else is declared in pyproject.toml. `build_py` compiles each
`core/locales/<lang>/LC_MESSAGES/messages.po` into the `.mo` file the program reads (with
`importlib.resources`); a catalog with an error, or a fuzzy one, fails the build rather than
shipping a language that would fall back to English.
"""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

LOCALES = Path("core") / "locales"


def compile_catalogs(source: Path, target: Path) -> list[Path]:
    """`source`/<lang>/LC_MESSAGES/*.po → `target`/<lang>/LC_MESSAGES/*.mo; returns the .mo."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written: list[Path] = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        lang = po.parent.parent.name
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        problems = [(m.id, [str(e) for e in errs]) for m, errs in catalog.check()]
        if problems:
            raise SystemExit(f"{po}: {problems[0][0]!r}: {problems[0][1]}")
        if catalog.fuzzy:
            raise SystemExit(f"{po}: the catalog is marked fuzzy")
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as fh:
            write_mo(fh, catalog)
        written.append(mo)
    if not written:
        raise SystemExit(f"no catalogs under {source}")
    return written


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        # An editable install reads the source tree: compile next to the .po files there.
        target = LOCALES if self.editable_mode else Path(self.build_lib) / LOCALES
        compile_catalogs(LOCALES, target)

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        found = sorted(LOCALES.glob("*/LC_MESSAGES/*.po"))
        mos = [str(Path(self.build_lib) / p.with_suffix(".mo")) for p in found]
        return [*outputs, *mos]


setup(cmdclass={"build_py": BuildPyWithCatalogs})
