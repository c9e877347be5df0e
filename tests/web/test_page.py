"""The page as shipped: every asset in the package, nothing from elsewhere, no HTML built
from strings, and light enough for a phone (under 150 KB in all)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "web" / "static"
PAGE_LIMIT = 150 * 1024


def test_the_page_weighs_under_150_kb() -> None:
    total = sum(p.stat().st_size for p in STATIC.iterdir() if p.is_file())
    assert total < PAGE_LIMIT, f"{total} bytes"


def test_everything_the_page_loads_is_its_own() -> None:
    page = (STATIC / "index.html").read_text()
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert loaded and all(url.startswith("static/") for url in loaded), loaded
    for url in loaded:
        assert (STATIC / url.removeprefix("static/")).is_file(), url
    for asset in STATIC.iterdir():
        text = asset.read_text(encoding="utf-8")
        # no address outside this server (Telegram Web: a postMessage target; SVG: a name)
        found = set(re.findall(r"https?://[^\s'\")]+", text)) - {
            "https://web.telegram.org",
            "http://www.w3.org/2000/svg",
        }
        assert not found, (asset.name, found)
        assert "@import" not in text and "url(" not in text, asset.name


def test_no_html_is_built_from_strings() -> None:
    forbidden = (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
        "setAttribute('style'",
        'setAttribute("style"',
        "srcdoc",
    )
    for script in STATIC.glob("*.js"):
        text = script.read_text()
        for word in forbidden:
            assert word not in text, (script.name, word)


def test_the_static_files_are_package_data() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert '"web" = ["static/*"]' in pyproject and '"web*"' in pyproject
