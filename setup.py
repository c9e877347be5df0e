"""Build hook: the gettext catalogs are compiled into the wheel.

Everything else is declared in pyproject.toml. `build_py` compiles each
`locales/<lang>/LC_MESSAGES/messages.po` of the source tree into the package as
`core/locales/<lang>/LC_MESSAGES/messages.mo`, which the program reads with
`importlib.resources` (package data mapped from `locales/`). The compiling is
`tools.l10n.compile_catalogs`, the same that `bin/setup` runs for a source checkout: a catalog
with an error, or a fuzzy one, fails the build rather than shipping a language that would fall
back to English.
"""

from __future__ import annotations

import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # the build runs this file without its folder on the path

from tools.l10n import CatalogError, compile_catalogs  # noqa: E402

SOURCE = Path("locales")  # the catalogs of the source tree …
PACKAGED = Path("core") / "locales"  # … and where the wheel carries them


class BuildPyWithCatalogs(build_py):
    def run(self) -> None:
        super().run()
        # An editable install reads the source tree: compile next to the .po files there.
        target = SOURCE if self.editable_mode else Path(self.build_lib) / PACKAGED
        try:
            compile_catalogs(SOURCE, target)
        except CatalogError as exc:
            raise SystemExit(str(exc)) from None

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        if self.editable_mode:
            return outputs
        found = sorted(SOURCE.glob("*/LC_MESSAGES/*.po"))
        mos = [Path(self.build_lib) / PACKAGED / p.relative_to(SOURCE) for p in found]
        return [*outputs, *(str(m.with_suffix(".mo")) for m in mos)]


setup(cmdclass={"build_py": BuildPyWithCatalogs})
