"""The wheel, installed as a user installs it, speaks Russian and Belarusian.

Builds the wheel from this checkout (`pip wheel`, with the build hook of setup.py that compiles
the catalogs), installs it with `--no-deps` into a fresh virtual environment and runs its
`pctby` from an empty folder. The new environment borrows the project's installed dependencies
(a path line in a `.pth` file to a folder of links to them: the project's own editable install
is *not* activated by it), so the only copy of `core`, `bot` and `pctby` it can import is the
one from the wheel — which the test checks too. It borrows them without the optional
`timeline` extra (matplotlib and what only it needs: numpy, pillow, fontTools, …), as
`pip install pctby` installs it: everything but the picture works, and the picture is answered
with one sentence. About 10 s, most of it the build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from tests.helpers import registry_env

ROOT = Path(__file__).resolve().parents[1]
# The `timeline` extra and what only it brings (`pip show` Required-by: matplotlib alone).
EXTRA = ("matplotlib", "numpy", "pillow", "fonttools", "kiwisolver", "contourpy", "cycler")
# A wheel built and installed in a fresh virtualenv: pip may fetch the build's requirements from
# the registry first, slower than the suite's default time-out (pyproject.toml).
pytestmark = pytest.mark.timeout(600)
FEES = ["fees", "--kind", "patent", "--independent", "2", "--dependent", "3", "--on", "2026-12-01"]


def _run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (cmd, done.stdout, done.stderr)
    return done.stdout


SOURCES = (
    *("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"),
    *("core", "bot", "pctby", "web", "draw", "locales", "tools"),
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built from a copy of what the Dockerfile copies (no compiled catalogs, no caches): the
    # build writes `build/` into its source folder, never into the checkout.
    src = tmp_path_factory.mktemp("src")
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=skip)
        else:
            shutil.copy2(ROOT / name, src / name)
    out = tmp_path_factory.mktemp("wheel")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(src)],
        cwd=out,
        env=registry_env(),  # the build's own requirements (setuptools, babel) from the registry
    )
    (found,) = out.glob("pctby-*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fresh environment's `bin` folder, with the wheel in it."""
    env_dir = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    purelib = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            env_dir,
        ).strip()
    )
    (purelib / "zz_project_deps.pth").write_text(f"{borrowed_without_the_extra(env_dir)}\n")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
         "--no-deps", "--no-index", str(wheel)],
        cwd=env_dir,
    )  # fmt: skip
    return env_dir / "bin"


def borrowed_without_the_extra(env_dir: Path) -> Path:
    """A folder of links to the project's installed packages, but those of the extra."""
    project = Path(sysconfig.get_paths()["purelib"])
    left_out = {
        Path(str(file)).parts[0]
        for name in EXTRA
        for file in metadata.distribution(name).files or ()
    }
    folder = env_dir / "borrowed"
    folder.mkdir()
    for entry in project.iterdir():
        if entry.name not in left_out and not entry.name.endswith(".pth"):
            (folder / entry.name).symlink_to(entry)
    return folder


@pytest.fixture()
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PCTBY_", "PYTHON"))}
    env.update(HOME=str(home), LANG="C.UTF-8", LC_ALL="C.UTF-8")
    return env


def test_the_wheel_carries_the_compiled_catalogs_and_not_the_sources(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for lang in ("ru", "be", "en"):
        assert f"core/locales/{lang}/LC_MESSAGES/messages.mo" in names
    assert not [n for n in names if n.endswith(".po")]
    # every package: the picture's drawing and the case desk's page too; no developer tool
    assert {"draw/timeline.py", "web/api.py", "web/static/index.html"} <= set(names)
    assert not [n for n in names if n.startswith(("tools/", "tests/", "locales/"))]


def test_the_installed_program_is_the_wheel(installed: Path, empty: Path) -> None:
    code = "import core, bot, pctby; print(core.__file__, bot.__file__, pctby.__file__)"
    where = _run([str(installed / "python"), "-c", code], empty, _clean_env(empty))
    venv_root = str(installed.parent)
    assert all(path.startswith(venv_root) for path in where.split()), where
    version = _run([str(installed / "pctby"), "--version"], empty, _clean_env(empty))
    assert version.startswith("pctby ")


@pytest.mark.parametrize("lang", ["ru", "be"])
def test_fees_in_russian_and_belarusian_from_an_empty_folder(
    installed: Path, empty: Path, lang: str
) -> None:
    env = _clean_env(empty)
    english = _run([str(installed / "pctby"), *FEES, "--lang", "en"], empty, env)
    local = _run([str(installed / "pctby"), *FEES, "--lang", lang], empty, env)
    # The same answer as this checkout gives (its catalogs), and not the English one.
    expected = _run([sys.executable, "-m", "pctby.cli", *FEES, "--lang", lang], ROOT, env)
    assert local == expected
    assert local != english
    date = {"ru": "1 декабря 2026 г.", "be": "1 снежня 2026 г."}[lang]
    assert date in " ".join(local.split())
    first_line = local.splitlines()[0]
    assert not any("a" <= ch.lower() <= "z" for ch in first_line), first_line
    assert list(empty.iterdir()) == []  # a quote writes nothing to the folder


def test_the_console_greets_in_belarusian(installed: Path, empty: Path) -> None:
    done = subprocess.run(
        [str(installed / "pctby"), "run", "--console", "--lang", "be"],
        cwd=empty,
        env=_clean_env(empty),
        input="/start\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Вітаю, Console!" in done.stdout


def test_the_wheel_fills_the_entry_form_from_its_own_template(
    wheel: Path, installed: Path, empty: Path, tmp_path: Path
) -> None:
    from core.entryform import document_text

    names = zipfile.ZipFile(wheel).namelist()
    assert {"core/entryform/by_ii.toml", "core/entryform/by_iii.toml"} <= set(names)
    data = tmp_path / "entry-form.toml"
    data.write_bytes((ROOT / "examples" / "entry-form.toml").read_bytes())
    said = _run(
        [
            str(installed / "pctby"),
            "entry-form",
            str(data),
            "--out",
            "request.docx",
            "--lang",
            "ru",
        ],
        empty,
        _clean_env(empty),
    )
    assert "BY.II" in said
    assert [p.name for p in empty.iterdir()] == ["request.docx"]
    text = document_text((empty / "request.docx").read_bytes())
    assert "Номер международной заявки: PCT/EP2024/061234" in text


def test_the_install_without_the_timeline_extra_answers_the_picture_in_words(
    installed: Path, empty: Path
) -> None:
    """No matplotlib, numpy or pillow (about half of an installation): the chat works, and
    /timeline says in the user's language why there is no picture and where the dates are."""
    python = str(installed / "python")
    for name in ("matplotlib", "numpy", "PIL", "fontTools"):
        found = subprocess.run([python, "-c", f"import {name}"], capture_output=True, cwd=empty)
        assert found.returncode != 0, name
    done = subprocess.run(
        [str(installed / "pctby"), "run", "--console", "--lang", "be"],
        cwd=empty,
        env=_clean_env(empty),
        input="/addcase A-1 15.03.2024 10.03.2025 patent\n/timeline A-1\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    said = " ".join(done.stdout.split())
    assert "Малюнкі «Шкала тэрмінаў» на гэтым серверы недаступныя" in said
    assert "/case A-1 паказвае тыя самыя тэрміны." in said
