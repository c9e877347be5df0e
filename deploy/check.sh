#!/usr/bin/env bash
# deploy/README.md's install, restore and upgrade steps, run as an administrator runs them: the
# wheel built as the Dockerfile builds it (build requirements from build-constraints.txt), a
# fresh virtualenv with `pip install -c constraints.txt`, then the installed `pctby` on a
# database of its own — backup, a bot killed with SIGKILL, `pctby restore` (refused while a bot
# holds the database), a database of an older schema restored and migrated by the next start,
# one of a newer pctby refused. CI runs it after bin/test (.ci/run); so can you (a minute or
# two; the packages come from pip's cache after bin/setup).
#
# Every `pctby …` line of README's "Backups and restore" and "Upgrades" sections is run here
# (tests/test_deploy.py checks that they are).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
PY=${PYTHON:-python3}
work=$(mktemp -d)
bot=""
cleanup() {
  if [ -n "$bot" ]; then kill -KILL "$bot" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
step() { printf '== deploy/check.sh: %s\n' "$*"; }
fail() { printf 'deploy/check.sh: FAILED: %s\n' "$*" >&2; exit 1; }
expect() {  # expect STATUS COMMAND…: runs it, output to $work/out, fails on another status
  local want=$1 got=0
  shift
  "$@" >"$work/out" 2>&1 || got=$?
  [ "$got" = "$want" ] || { cat "$work/out" >&2; fail "exit status $got, not $want: $*"; }
}
contains() { grep -qF -- "$1" "$work/out" || { cat "$work/out" >&2; fail "no “$1” in the output"; }; }
sql() { "$work/venv/bin/python" -c "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$@"; }

step "build the wheel (build-constraints.txt, no build isolation)"
mkdir "$work/src"
cp -r pyproject.toml setup.py MANIFEST.in README.md core bot pctby web draw locales tools "$work/src/"
find "$work/src" \( -name __pycache__ -o -name '*.mo' \) -prune -exec rm -rf {} +
"$PY" -m venv "$work/build"
"$work/build/bin/pip" install --quiet --disable-pip-version-check -r build-constraints.txt
"$work/build/bin/pip" wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation \
  -w "$work/dist" "$work/src"

step "install it as deploy/README.md says (a virtualenv, constraints.txt)"
"$PY" -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --disable-pip-version-check -c constraints.txt \
  "$(ls "$work"/dist/pctby-*.whl)[webhooks,timeline]"
"$work/venv/bin/pip" check >/dev/null
PATH="$work/venv/bin:$PATH"
command -v pctby | grep -qF "$work/venv/bin/pctby" || fail "pctby is not the installed one"

# The service's environment: its own state folder, no .env, no PCTBY_* from outside.
for name in $(env | grep -o '^PCTBY_[A-Z_]*' || true); do unset "$name"; done
mkdir "$work/state" "$work/run"
cd "$work/run"
export PCTBY_DB="$work/state/pctby.sqlite3"
latest=$(python -c 'from core.storage import LATEST; print(LATEST)')
header="telegram_user_id,ref,kind,priority_date,filing_date,entry_date,grant_decision_date,title"
{ echo "$header"; echo "111,A-1,patent,2023-01-10,2023-06-01,,,Widget"
  echo "111,A-2,utility-model,,2022-02-01,2024-08-01,2025-01-15,Gadget"; echo "222,B-1,patent,,2024-03-04,,,"; } > first.csv
{ echo "$header"; for i in $(seq 1 40); do echo "333,C-$i,patent,,2024-03-04,,,Later $i"; done; } > later.csv

step "Backups and restore: a backup, more work, a bot killed with SIGKILL"
expect 0 pctby import first.csv
# --- README: Backups and restore ---------------------------------------------------------
expect 0 pctby backup --db "$PCTBY_DB" "$work/state/backups/pctby-before.sqlite3"
expect 0 pctby import later.csv
sleep 120 | pctby run --console >/dev/null 2>"$work/bot.log" &  # a bot: holds the database
bot=$!
for _ in $(seq 1 300); do
  pctby health >"$work/out" 2>&1 || true
  grep -qF "no pctby run holds" "$work/out" || break
  sleep 0.1
done
expect 7 pctby restore "$work/state/backups/pctby-before.sqlite3"
contains "stop the bot first"
kill -KILL "$bot"
wait "$bot" 2>/dev/null || true
bot=""
expect 1 pctby health
contains "no pctby run holds the database"
expect 0 pctby restore "$work/state/backups/pctby-before.sqlite3" --db "$PCTBY_DB"
contains "2 user(s), 3 case(s)"
contains "a backup taken"
[ "$(sql "$PCTBY_DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after the restore"
[ "$(sql "$PCTBY_DB" 'SELECT count(*) FROM cases')" = 3 ] || fail "the cases after the backup survived"
expect 0 pctby case list --user 111 --lang en
contains "A-2"

step "Upgrades: a database of an older schema (5) restored, migrated by the next start"
python - "$work/state/old.sqlite3" <<'EOF'
import asyncio, sys
import aiosqlite
from core.storage import migrate

async def main(path: str) -> None:
    async with aiosqlite.connect(path, isolation_level=None) as conn:
        await migrate(conn, target=5)
        await conn.execute("INSERT INTO users (id, chat_id, created_at, updated_at) VALUES (111, 111, 0, 0)")
        await conn.execute(
            "INSERT INTO cases (owner_id, ref, kind, filing_date, priority_date, created_at, updated_at)"
            " VALUES (111, 'OLD-1', 'patent', '2024-03-04', '2023-03-15', 0, 0)"
        )

asyncio.run(main(sys.argv[1]))
EOF
# --- README: Upgrades ----------------------------------------------------------------------
expect 0 pctby restore "$work/state/old.sqlite3"
contains "schema version 5"
contains "The next \`pctby run\` brings it from schema version 5 to $latest."
expect 0 pctby run --console </dev/null
[ "$(sql "$PCTBY_DB" 'SELECT max(version) FROM schema_version')" = "$latest" ] || fail "not migrated"
[ "$(sql "$PCTBY_DB" "SELECT count(*) FROM outbox WHERE state = 'planned'")" -gt 0 ] \
  || fail "the old case's alerts were not planned at the start after the upgrade"
expect 0 pctby replan --workers 1
expect 0 pctby case list --user 111 --lang en
contains "OLD-1"

step "a database from a newer pctby is refused (exit status 4), never touched"
python -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("INSERT INTO schema_version VALUES (999, \"future\", \"2030-01-01\")"); c.commit()' "$PCTBY_DB"
expect 4 pctby run --console </dev/null
contains "schema version 999"

step "passed"
