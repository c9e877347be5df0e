"""What tests of every layer share: the environment that keeps a child process off the internet
(`NO_INTERNET`, set by conftest.py's `no_internet`) and the environment for pip (`registry_env`).

conftest.py imports this module before any fixture runs, so `_BEFORE` holds the environment as
the test run found it."""

from __future__ import annotations

import os

# Every child process (the console, the installed wheel, `pctby run` against a local Bot API)
# inherits these: its HTTP(S) goes to a port where nothing listens and fails at once, the local
# stand-ins stay direct. Without them a child would look up api.nbrb.by for the exchange rates,
# and on a machine whose DNS server never answers that lookup hangs for the resolver's time-out.
NO_INTERNET = {
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "HTTP_PROXY": "http://127.0.0.1:9",
    "ALL_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost,::1",
}


_BEFORE = {name: os.environ.get(name) for name in (*NO_INTERNET, *map(str.lower, NO_INTERNET))}


def registry_env() -> dict[str, str]:
    """The environment for pip (building and installing the wheel under test): the package
    registry is the one outside service a test may use, as `.ci/run`'s own installs do."""
    env = dict(os.environ)
    for name, value in _BEFORE.items():
        env.pop(name, None)
        if value is not None:
            env[name] = value
    return env
