"""What the core tests share: a DNS server that never answers (`BlackHole`)."""

from __future__ import annotations

import socket
import threading
from typing import Any


class BlackHole:
    """`socket.getaddrinfo` for a DNS server that never answers (until released)."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.threads: list[threading.Thread] = []
        self.hosts: list[str] = []

    def __call__(self, host: Any, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.current_thread())
        self.hosts.append(host.decode() if isinstance(host, bytes) else str(host))
        self.release.wait(30)
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
