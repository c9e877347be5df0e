"""The case desk in a real browser: Debian's chromium, driven through its chromedriver by
Selenium, against the desk served by uvicorn on a loopback port — for the browser tests and
for the screenshots in docs/ (`python -m tests.web.browser docs/`).

Chromium runs headless with the flags that keep it off the network (no background
connections, no component updates, no proxy), in a fresh profile."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from core.clock import Clock, FrozenClock
from core.deadlines import Event, EventKind
from core.models import Kind
from core.reminders import Reminders
from core.storage import CaseInput, Store
from tests.web.helpers import ALICE, TOKEN
from web import standalone
from web.auth import launch_data

NOW = dt.datetime(2026, 1, 12, 6, 0, tzinfo=dt.UTC)  # 09:00 in Minsk
PHONE = (360, 780)
# Telegram's dark theme, as the app passes it in tgWebAppThemeParams
THEME = {
    "bg_color": "#17212b",
    "text_color": "#f5f5f5",
    "hint_color": "#708499",
    "link_color": "#6ab3f3",
    "button_color": "#5288c1",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#232e3c",
    "destructive_text_color": "#ec3942",
}
# Telegram's light theme (the pictures in web/README.md)
LIGHT = {
    "bg_color": "#ffffff",
    "text_color": "#000000",
    "hint_color": "#707579",
    "link_color": "#3390ec",
    "button_color": "#3390ec",
    "button_text_color": "#ffffff",
    "secondary_bg_color": "#f4f4f5",
    "destructive_text_color": "#e53935",
}
D = dt.date
E = EventKind
CASES: tuple[tuple[str, Kind, D, D | None, str, tuple[tuple[EventKind, D], ...]], ...] = (
    ("PCT/IB2023/051234", Kind.PATENT, D(2024, 5, 30), D(2023, 6, 1), "Способ очистки воды", ()),
    (
        "BY-2022-17",
        Kind.PATENT,
        D(2022, 11, 21),
        None,
        "Теплообменник с рёбрами",
        (
            (E.ENTRY_MADE, D(2025, 6, 1)),
            (E.TRANSLATION_FILED, D(2025, 6, 1)),
            (E.EXAMINATION_REQUESTED, D(2025, 6, 1)),
        ),
    ),
    ("PCT/EP2023/070001", Kind.PATENT, D(2024, 6, 28), D(2023, 7, 1), "Насос", ()),
    ("UM-7", Kind.UTILITY_MODEL, D(2025, 5, 30), D(2024, 6, 1), "Кран шаровой", ()),
    ("PCT/RU2024/000555", Kind.PATENT, D(2025, 3, 14), D(2024, 3, 15), "", ()),
)


def chromium() -> tuple[str, str] | None:
    """(chromium, chromedriver) where both are installed."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


async def seed(db: Path, clock: FrozenClock) -> None:
    store = await Store.open(db, clock=clock)
    try:
        reminders = Reminders(store)
        await reminders.set_language(ALICE, "ru")
        for ref, kind, filing, priority, title, events in CASES:
            case = await reminders.add_case(ALICE, CaseInput(ref, kind, filing, priority, title))
            for event_kind, day in events:
                await reminders.record(ALICE, case.id, Event(kind=event_kind, date=day))
    finally:
        await store.close()


@contextmanager
def serving(db: Path, clock: Clock, token: str = TOKEN) -> Iterator[str]:
    """The desk on a free loopback port, in a thread of its own; yields its URL."""
    import uvicorn

    app = standalone(db, clock, bot_token=token)
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the desk did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(10)


def launch_url(base: str, init_data: str, theme: dict[str, str] | None = None) -> str:
    """The URL Telegram opens a Mini App with: the launch data in the fragment."""
    fragment = {
        "tgWebAppData": init_data,
        "tgWebAppVersion": "8.0",
        "tgWebAppPlatform": "android",
        "tgWebAppThemeParams": json.dumps(theme or THEME, separators=(",", ":")),
    }
    return base + "#" + "&".join(f"{k}={quote(v, safe='')}" for k, v in fragment.items())


def alice(clock: FrozenClock, token: str = TOKEN) -> str:
    return launch_data(ALICE, token, clock.now(), language_code="ru", first_name="Алеся")


@contextmanager
def browser(profile: Path, size: tuple[int, int] = PHONE) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = chromium()
    assert found is not None
    binary, driver = found
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--disable-extensions",
        "--no-proxy-server",
        "--hide-scrollbars",
        "--lang=ru",
        f"--user-data-dir={profile}",
        f"--window-size={size[0]},{size[1]}",
    ):
        options.add_argument(flag)
    service = Service(executable_path=driver, log_output=str(profile.parent / "chromedriver.log"))
    session = webdriver.Chrome(options=options, service=service)
    try:
        # the viewport itself at phone width (a headless window's size is its outer size)
        session.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": size[0], "height": size[1], "deviceScaleFactor": 2, "mobile": True},
        )
        yield session
    finally:
        session.quit()


def main(folder: str) -> None:
    """Screenshots of the table and of a case page in Russian, for web/README.md."""
    import tempfile

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    clock = FrozenClock(NOW)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "desk.sqlite3"
        asyncio.run(seed(db, clock))
        with serving(db, clock) as url, browser(Path(tmp) / "profile", (360, 760)) as page:
            wait = WebDriverWait(page, 20)
            page.get(launch_url(url, alice(clock), theme=LIGHT))
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "tbody tr")))
            page.save_screenshot(str(out / "desk-table.ru.png"))
            page.find_element(By.LINK_TEXT, "BY-2022-17").click()
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "li.deadline")))
            page.save_screenshot(str(out / "desk-case.ru.png"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs")
