"""The case desk in Debian's chromium at phone width (360 px), opened as Telegram opens it
(launch data in the URL fragment): the table, a filter, recording a payment, the keyboard,
and a forged launch refused.

Skipped only where chromium or chromedriver is not installed on a developer's machine; CI
(`.ci/run` sets PCTBY_BROWSER_TESTS=required, after installing them) fails instead."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.clock import FrozenClock
from core.i18n import translator
from tests.web import browser as b

REQUIRED = os.environ.get("PCTBY_BROWSER_TESTS") == "required"


@pytest.fixture(scope="module")
def chromium_installed() -> None:
    if b.chromium() is not None:
        return
    reason = (
        "chromium and chromedriver are not installed "
        "(Debian: apt-get install chromium chromium-driver)"
    )
    if REQUIRED:
        pytest.fail(f"browser tests are required here, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def clock() -> FrozenClock:
    return FrozenClock(b.NOW)


@pytest.fixture(scope="module")
def desk_url(
    chromium_installed: None, tmp_path_factory: pytest.TempPathFactory, clock: FrozenClock
) -> Iterator[str]:
    db = tmp_path_factory.mktemp("desk") / "desk.sqlite3"
    asyncio.run(b.seed(db, clock))
    with b.serving(db, clock) as url:
        yield url


@pytest.fixture(scope="module")
def page(desk_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with b.browser(tmp_path_factory.mktemp("chromium") / "profile") as session:
        yield session


def wait(page: Any) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(page, 20)


def css(page: Any, selector: str) -> list[Any]:
    from selenium.webdriver.common.by import By

    return list(page.find_elements(By.CSS_SELECTOR, selector))


def open_table(page: Any, url: str) -> list[Any]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    page.get("about:blank")  # a fresh page, not a jump within the last one
    page.get(url)
    wait(page).until(ec.presence_of_element_located((By.CSS_SELECTOR, "tbody tr")))
    return css(page, "tbody tr")


def rows(page: Any) -> list[str]:
    """The references in the table, read in one go (the table is redrawn as it answers)."""
    script = "return [...document.querySelectorAll('tbody tr th a')].map(a => a.textContent)"
    return list(page.execute_script(script))


def first_deadline(page: Any) -> str | None:
    script = "const li = document.querySelector('li.deadline'); return li && li.dataset.code"
    found = page.execute_script(script)
    return str(found) if found else None


RU = translator("ru")


def test_the_table_at_phone_width(page: Any, desk_url: str, clock: FrozenClock) -> None:
    found = open_table(page, b.launch_url(desk_url, b.alice(clock)))
    assert len(found) == len(b.CASES)
    width = page.execute_script("return document.documentElement.clientWidth")
    scroll = page.execute_script("return document.documentElement.scrollWidth")
    assert width == 360 and scroll <= 360  # nothing wider than the phone
    # in Russian (the language chosen in the chat), with Telegram's theme colours
    assert page.find_element("css selector", "h2").text == RU.gettext("Cases")
    statuses = {
        r.find_element("css selector", "th a").text: r.get_attribute("class") for r in found
    }
    assert statuses["PCT/IB2023/051234"] == "st-overdue"
    assert statuses["BY-2022-17"] == "st-grace"
    assert statuses["PCT/EP2023/070001"] == "st-soon"
    badge = page.find_element("css selector", "tr.st-grace .badge").text
    assert badge == RU.gettext("in grace")
    background = page.execute_script("return getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 33, 43)"  # THEME["bg_color"]
    # the launch data is kept for the session, not left in the address bar
    assert "tgWebAppData" not in page.current_url


def test_a_filter_and_the_search(page: Any, desk_url: str, clock: FrozenClock) -> None:
    from selenium.webdriver.support.ui import Select

    open_table(page, b.launch_url(desk_url, b.alice(clock)))
    Select(page.find_element("id", "status")).select_by_value("grace")
    wait(page).until(lambda p: rows(p) == ["BY-2022-17"])
    Select(page.find_element("id", "status")).select_by_value("")
    wait(page).until(lambda p: len(rows(p)) == len(b.CASES))
    page.find_element("id", "q").send_keys("насос")
    wait(page).until(lambda p: rows(p) == ["PCT/EP2023/070001"])


def test_record_a_payment(page: Any, desk_url: str, clock: FrozenClock) -> None:
    open_table(page, b.launch_url(desk_url, b.alice(clock)))
    page.find_element("link text", "BY-2022-17").click()
    wait(page).until(first_deadline)
    first = css(page, "li.deadline")[0]
    assert first.get_attribute("data-code") == "annual_4"
    button = first.find_element("css selector", "button.act")
    assert button.text == RU.gettext("Mark paid")
    button.click()
    wait(page).until(lambda p: first_deadline(p) == "annual_5")
    notice = page.find_element("id", "notice").text
    assert notice.startswith(RU.fmt("Recorded: {what}, on {date}.", what="", date="")[:9])
    paid = css(page, "ul.events li[data-kind='annuity_paid']")
    assert len(paid) == 1
    # the table now says the case is no longer in grace
    page.find_element("css selector", "a.back").click()
    wait(page).until(lambda p: "BY-2022-17" in rows(p))
    script = (
        "return [...document.querySelectorAll('tbody tr')].map(r => [r.textContent, r.className])"
    )
    classes = {text: name for text, name in page.execute_script(script)}
    assert [name for text, name in classes.items() if "BY-2022-17" in text] != ["st-grace"]


def test_the_keyboard_reaches_a_case(page: Any, desk_url: str, clock: FrozenClock) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    open_table(page, b.launch_url(desk_url, b.alice(clock)))
    target = "PCT/EP2023/070001"
    for _ in range(60):
        ActionChains(page).send_keys(Keys.TAB).perform()
        if page.execute_script("return document.activeElement.textContent") == target:
            break
    else:
        pytest.fail("Tab never reached the case's link")
    ActionChains(page).send_keys(Keys.ENTER).perform()
    heading = "const h = document.querySelector('article.case h2'); return h && h.textContent"
    wait(page).until(lambda p: p.execute_script(heading) == target)
    focused = page.execute_script("return document.activeElement.tagName")
    assert focused == "H2"  # a new view puts the focus on its heading


def test_a_forged_launch_is_refused(page: Any, desk_url: str, clock: FrozenClock) -> None:
    from selenium.webdriver.support import expected_conditions as ec

    forged = b.alice(clock, token="999999:not-this-bot")
    page.execute_script("sessionStorage.clear()")
    page.get("about:blank")
    page.get(b.launch_url(desk_url, forged))
    wait(page).until(ec.presence_of_element_located(("css selector", "section.refused")))
    refused = page.find_element("css selector", "section.refused")
    assert refused.get_attribute("data-reason") == "forged"
    assert refused.find_element("css selector", "h2").text == RU.gettext("Sign-in refused")
    assert css(page, "tbody tr") == []
    # and opened with no launch data at all (a link shared outside Telegram)
    page.execute_script("sessionStorage.clear()")
    page.get(desk_url + "#/")
    page.refresh()
    reason = "const s = document.querySelector('section.refused'); return s && s.dataset.reason"
    wait(page).until(lambda p: p.execute_script(reason) == "missing")


def test_screenshots_can_be_made(tmp_path: Path, chromium_installed: None) -> None:
    """`python -m tests.web.browser docs/` (the pictures in web/README.md) still works."""
    b.main(str(tmp_path))
    for name in ("desk-table.ru.png", "desk-case.ru.png"):
        assert (tmp_path / name).read_bytes().startswith(b"\x89PNG")
