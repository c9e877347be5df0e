"""What can be checked of the deployment files without a Docker engine or systemd."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest

from pctby import exits

ROOT = Path(__file__).resolve().parents[1]


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", text)  # continuation lines
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split()[0].upper(), line.split(maxsplit=1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _regex(pattern: str) -> re.Pattern[str]:
    """A .dockerignore pattern (Go `filepath.Match` plus `**`), anchored at the context root."""
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out)


def ignored(path: str) -> bool:
    """Docker's rule for one path: the last matching pattern decides (`!` re-includes); a
    pattern that matches a folder leaves out everything in it."""
    verdict = False
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    for pattern in dockerignore():
        negate = pattern.startswith("!")
        regex = _regex(pattern.removeprefix("!").strip("/"))
        if any(regex.fullmatch(p) for p in prefixes):
            verdict = not negate
    return verdict


def copied_sources() -> list[str]:
    sources = []
    for op, args in dockerfile_instructions():
        if op != "COPY" or "--from=" in args:
            continue
        words = [w for w in args.split() if not w.startswith("--")]
        sources += words[:-1]
    return sources


def test_every_file_the_dockerfile_copies_exists_and_is_in_the_build_context() -> None:
    sources = copied_sources()
    assert {"pyproject.toml", "constraints.txt", "setup.py", "core", "bot", "pctby"} <= set(sources)
    assert {"locales", "tools"} <= set(sources)  # the catalogs and what compiles them
    # every package the wheel is built from (pyproject.toml's packages.find)
    with (ROOT / "pyproject.toml").open("rb") as fh:
        include = tomllib.load(fh)["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {name.rstrip("*") for name in include} <= set(sources)
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not ignored(source), source
    # What the package needs at run time is in the context: data files and catalog sources.
    for needed in ("core/data/fees", "locales/ru/LC_MESSAGES/messages.po", "README.md"):
        assert not ignored(needed), needed


def test_dockerignore_keeps_secrets_data_and_local_environments_out() -> None:
    for path in (".git", ".venv", "data", ".env", "data/pctby.sqlite3", "core/__pycache__"):
        assert ignored(path), path
    assert not ignored(".env.example")


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    steps = dockerfile_instructions()
    deps = next(
        i for i, (op, args) in enumerate(steps) if op == "RUN" and "constraints.txt" in args
    )
    first_code = next(
        i for i, (op, args) in enumerate(steps) if op == "COPY" and args.startswith("core")
    )
    assert deps < first_code


def test_the_final_image_gets_only_the_virtualenv_and_checks_its_health() -> None:
    steps = dockerfile_instructions()
    last_from = max(i for i, (op, _) in enumerate(steps) if op == "FROM")
    final = steps[last_from:]
    copies = [args for op, args in final if op == "COPY"]
    assert copies == ["--from=build /opt/pctby /opt/pctby"]
    health = next(args for op, args in final if op == "HEALTHCHECK")
    assert '"pctby", "health", "--db", "/data/pctby.sqlite3"' in health
    assert ("CMD", '["pctby", "run", "--db", "/data/pctby.sqlite3"]') in final
    # by number: Kubernetes' runAsNonRoot cannot verify a user name
    assert ("USER", "10001:10001") in final


def test_the_base_image_is_an_exact_version_never_a_floating_tag() -> None:
    bases = [args.split()[0] for op, args in dockerfile_instructions() if op == "FROM"]
    assert len(bases) == 2 and len(set(bases)) == 1, bases
    image, _, digest = bases[0].partition("@")
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", image), image
    assert not digest or re.fullmatch(r"sha256:[0-9a-f]{64}", digest), digest


def test_the_build_requirements_are_constrained() -> None:
    """setuptools and babel (pyproject's [build-system]) at pinned versions, without build
    isolation, which would fetch the newest ones."""
    pins = dict(
        line.split("==")
        for line in (ROOT / "build-constraints.txt").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert set(pins) == {"babel", "setuptools"}
    text = (ROOT / "deploy" / "Dockerfile").read_text()
    assert "-r build-constraints.txt" in text and "--no-build-isolation" in text
    assert "build-constraints.txt" in copied_sources()


def test_the_installed_versions_are_the_locked_ones() -> None:
    """bin/setup installs with constraints.txt: CI tests exactly what a deploy installs."""
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, _, pinned = line.partition("==")
            pins[name] = pinned
    assert {"holidays", "python-telegram-bot", "starlette", "uvicorn", "babel"} <= {
        n.lower() for n in pins
    }
    assert "tornado" not in {n.lower() for n in pins}  # the webhook server is uvicorn's
    wrong = {
        name: (pinned, version(name)) for name, pinned in pins.items() if version(name) != pinned
    }
    assert wrong == {}


# --- systemd ------------------------------------------------------------------------------------


def unit(name: str) -> dict[str, dict[str, list[str]]]:
    """A unit file as {section: {key: [values, in order]}} (keys may repeat)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current: dict[str, list[str]] = {}
    for raw in (ROOT / "deploy" / name).read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), {})
            continue
        key, _, value = line.partition("=")
        current.setdefault(key, []).append(value)
    return sections


def test_the_service_does_not_loop_on_errors_a_restart_cannot_mend() -> None:
    u = unit("pctby.service")
    assert u["Unit"]["StartLimitBurst"] == ["5"] and u["Unit"]["StartLimitIntervalSec"]
    prevented = {int(v) for v in u["Service"]["RestartPreventExitStatus"][0].split()}
    assert prevented == set(exits.PERMANENT)
    assert prevented == {exits.BAD_INPUT, exits.BAD_SETTINGS, exits.DATABASE, exits.INSTALLATION}
    for passing in (exits.FAILED, exits.UNREACHABLE, exits.BUSY):  # a restart may mend these
        assert passing not in prevented
    assert u["Service"]["Restart"] == ["on-failure"]


def test_the_units_run_as_a_dedicated_user_in_a_private_state_directory_hardened() -> None:
    sysusers = (ROOT / "deploy" / "pctby.sysusers").read_text()
    assert re.search(r"^u pctby ", sysusers, re.M)
    for name in ("pctby.service", "pctby-backup.service"):
        s = unit(name)["Service"]
        assert s["User"] == ["pctby"] and s["UMask"] == ["0077"], name
        assert "pctby" in s["StateDirectory"][0].split(), name
        assert s["CapabilityBoundingSet"] == [""], name
        assert s["SystemCallFilter"] == ["@system-service", "~@privileged @resources"], name
        assert s["RestrictAddressFamilies"], name
        assert s["NoNewPrivileges"] == ["yes"] and s["ProtectSystem"] == ["strict"], name
        for key in ("PrivateUsers", "PrivateIPC", "PrivateMounts"):
            assert s[key] == ["yes"], (name, key)
        assert s["ProcSubset"] == ["pid"] and s["ProtectProc"] == ["invisible"], name
        env = dict(v.split("=", 1) for v in s["Environment"])
        assert env["PCTBY_DB"].startswith("/var/lib/pctby/"), name
        # EnvironmentFile= wins over Environment= (even empty): the database on the command line
        assert "--db /var/lib/pctby/pctby.sqlite3" in s["ExecStart"][0], name


def test_the_backup_timer_runs_pctby_backup() -> None:
    timer = unit("pctby-backup.timer")
    assert timer["Timer"]["Unit"] == ["pctby-backup.service"]
    assert timer["Timer"]["OnCalendar"] and timer["Install"]["WantedBy"] == ["timers.target"]
    backup = unit("pctby-backup.service")["Service"]
    assert backup["Type"] == ["oneshot"] and "pctby backup " in backup["ExecStart"][0]


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """`systemd-analyze verify` (where installed): no unknown key, no bad value."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    names = ("pctby.service", "pctby-backup.service", "pctby-backup.timer")
    for name in names:  # the program is not installed here: any executable stands in for it
        text = (ROOT / "deploy" / name).read_text()
        (tmp_path / name).write_text(text.replace("/opt/pctby/venv/bin/pctby", "/bin/true"))
    done = subprocess.run(
        [analyze, "verify", "--man=no", *(str(tmp_path / n) for n in names)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stdout + done.stderr == "", done.stdout + done.stderr


# --- deploy/check.sh: README's restore and upgrade steps, run by CI ---------------------------


def readme_pctby_commands(*sections: str) -> list[tuple[str, frozenset[str]]]:
    """(sub-command, its --options) of every `pctby …` line in the code blocks of the named
    sections of deploy/README.md."""
    text = (ROOT / "deploy" / "README.md").read_text()
    found = []
    for title in sections:
        body = text[text.index(f"## {title}\n") :]
        body = body[: body.find("\n## ", 4) if "\n## " in body[4:] else len(body)]
        for block in re.findall(r"```sh\n(.*?)```", body, re.S):
            for line in block.splitlines():
                code = line.split("#")[0]  # `docker run … pctby pctby restore`: the last one
                matches = [
                    m
                    for m in re.finditer(r"(?:^|(?<=[\s/]))pctby (?=(\w[\w-]*))", code)
                    if m.group(1) != "pctby"
                ]
                if matches:
                    rest = code[matches[-1].end() + len(matches[-1].group(1)) :]
                    options = frozenset(re.findall(r"--[a-z-]+", rest))
                    found.append((matches[-1].group(1), options))
    return found


def test_ci_runs_the_deploy_check_after_the_tests() -> None:
    lines = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line[:1] != "#"]
    assert lines.index("bin/test") < lines.index("deploy/check.sh")
    script = ROOT / "deploy" / "check.sh"
    assert script.stat().st_mode & 0o111
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_check_runs_every_command_of_the_restore_and_upgrade_sections() -> None:
    commands = readme_pctby_commands("Backups and restore", "Upgrades")
    assert {c for c, _ in commands} >= {"backup", "restore", "case"}
    script = (ROOT / "deploy" / "check.sh").read_text()
    run = [
        (m.group(1), frozenset(re.findall(r"--[a-z-]+", m.group(2))))
        for m in re.finditer(r"expect \d+ pctby (\w[\w-]*)(.*)", script)
    ]
    for command, options in commands:
        assert any(c == command and options <= o for c, o in run), (command, sorted(options))


def test_the_container_keeps_what_it_computes_in_its_volume() -> None:
    """The image's user has no home: the holiday calendar and the FAQ documents' stems kept
    between runs (core/calendar.py, core/faq/stored.py) go to /data, the one writable volume."""
    env = " ".join(args for name, args in dockerfile_instructions() if name == "ENV")
    for setting in ("PCTBY_CALENDAR_CACHE", "PCTBY_FAQ_CACHE"):
        assert re.search(rf"(^| ){setting}=/data/\S+\.json( |$)", env), setting
