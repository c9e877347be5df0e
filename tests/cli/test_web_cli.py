"""`pctby web`: the case desk served by uvicorn on the database PCTBY_DB names — without a
token as the console's local user, on a loopback address only."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PCTBY_")}
    return {**base, "PYTHONPATH": str(ROOT), "PCTBY_DB": str(tmp_path / "d.sqlite3"), **extra}


def web(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pctby.cli", "web", *args],
        cwd=tmp_path,
        env=env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_without_a_token_only_a_loopback_address(tmp_path: Path) -> None:
    done = web(tmp_path, "--host", "0.0.0.0")
    assert done.returncode == 2
    assert done.stderr.startswith("pctby: without PCTBY_BOT_TOKEN the desk has no sign-in")
    assert web(tmp_path, "--port", "70000").returncode == 2


def test_a_file_that_is_no_database_stops_it(tmp_path: Path) -> None:
    (tmp_path / "d.sqlite3").write_bytes(b"not a database at all, just text " * 100)
    done = web(tmp_path)
    assert done.returncode == 4 and "Traceback" not in done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_it_serves_the_local_users_desk(tmp_path: Path) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "pctby.cli", "web", "--port", str(port)],
        cwd=tmp_path,
        env=env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, trust_env=False, timeout=5) as client:
            for _ in range(200):
                try:
                    session = client.get("/api/session")
                    break
                except httpx.TransportError:
                    time.sleep(0.05)
            else:
                raise AssertionError("pctby web did not answer")
            assert session.json()["local"] is True and session.json()["user"]["id"] == 10_000
            added = client.post("/api/cases", json={"ref": "W-1", "filing": "2025-01-09"})
            assert added.status_code == 201
            assert [r["ref"] for r in client.get("/api/cases").json()["rows"]] == ["W-1"]
            assert client.get("/").status_code == 200
    finally:
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=20)
    assert server.returncode == 0, err
    assert out.startswith(f"pctby: the case desk on http://127.0.0.1:{port}/")
