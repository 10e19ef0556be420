# Concurrency: two syncs of one database, a killed sync's leftovers, a plan while another
# process writes. The store is the demo merchant served as Shopify by `forestock sim`.
# Cases run in $HOSTILE_WORK (hostile_case changes there); so do the helpers below.

hostile_setup "$FORESTOCK" demo --db c-source.db --skus 200
hostile_sim --db c-source.db --platform shopify
c_url="$(hostile_sim_url shopify)"
c_token="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["shopify"]["token"])' "$HOSTILE_SIM_JSON")"
hostile_secret "$c_token"
printf '%s' "$c_token" >"$HOSTILE_WORK/c-token"
HOSTILE_STDIN="$HOSTILE_WORK/c-token" hostile_setup "$FORESTOCK" connect shopify --db c-shop.db --url "$c_url"
rm -f "$HOSTILE_WORK/c-token"

# No sync left its mark: no sync_state row or sync run still 'running' (exit 1 lists them).
c_no_running_state() {
  python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT 'sync_state', resource FROM sync_state WHERE status = 'running' "
                 "UNION ALL SELECT 'runs', id FROM runs WHERE kind = 'sync' AND status = 'running'").fetchall()
if rows:
    print("still running:", rows, file=sys.stderr)
    sys.exit(1)
PY
}

# Another process holds the sync lock (an OS flock on the sidecar file, as a running sync
# holds it): refused at once with exit 3 naming the other sync, nothing written.
(cd "$HOSTILE_WORK" && exec python3 -c '
import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(30)
' c-shop.db.sync-lock .logs/c-holder-ready) &
c_holder=$!
for _ in $(seq 1 100); do
  [ -e "$HOSTILE_WORK/.logs/c-holder-ready" ] && break
  sleep 0.05
done
hostile_case "sync while another process holds the sync lock" 3 \
  "$FORESTOCK" sync --db c-shop.db --quiet
kill "$c_holder" 2>/dev/null || true
wait "$c_holder" 2>/dev/null || true

# Two real syncs of one database at once: the second is refused (exit 3) while the first
# (a first sync: 24 months of orders) runs; the first finishes. The files the first writes
# meanwhile show as written.
c_two_syncs() {
  "$FORESTOCK" sync --db c-shop.db --quiet >/dev/null 2>c-first.err &
  local first=$!
  for _ in $(seq 1 100); do
    [ -s c-shop.db.sync-lock ] && break
    sleep 0.05
  done
  local code=0
  "$FORESTOCK" sync --db c-shop.db --quiet || code=$?
  local first_code=0
  wait "$first" || first_code=$?
  if [ "$first_code" != 0 ]; then
    echo "the first sync failed ($first_code): $(cat c-first.err)" >&2
    return 1
  fi
  rm -f c-first.err
  return "$code"
}
HOSTILE_ALLOW_WRITE=1 hostile_case "second sync while a first sync runs" 3 c_two_syncs
hostile_case "no sync shown running after both" 0 c_no_running_state c-shop.db

# A sync killed with SIGKILL mid-pass: the next sync is not blocked, resumes, and afterwards
# nothing is left 'running'.
c_kill_then_sync() {
  # Forget the marks so this sync is a long first sync again, then kill it a second in.
  sqlite3 c-shop.db "UPDATE sync_state SET cursor = NULL, updated_since = NULL" || return 1
  "$FORESTOCK" sync --db c-shop.db --quiet >/dev/null 2>&1 &
  local victim=$!
  sleep 1
  kill -KILL "$victim" 2>/dev/null || true
  wait "$victim" 2>/dev/null || true
  "$FORESTOCK" sync --db c-shop.db --quiet
}
HOSTILE_ALLOW_WRITE=1 hostile_case "sync after a sync killed with SIGKILL" 0 c_kill_then_sync
hostile_case "no sync shown running after the kill and resync" 0 c_no_running_state c-shop.db

# `forestock plan` while another process holds a write transaction for two seconds (as a sync
# committing a page does, only longer): the plan waits for the lock instead of failing with
# "database is locked".
c_plan_while_writing() {
  python3 - c-shop.db <<'PY' &
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN IMMEDIATE")
c.execute("UPDATE stores SET name = name")
open(sys.argv[1] + ".writer-ready", "w").close()
time.sleep(2)
c.execute("COMMIT")
PY
  local writer=$!
  for _ in $(seq 1 100); do
    [ -e c-shop.db.writer-ready ] && break
    sleep 0.05
  done
  rm -f c-shop.db.writer-ready
  local code=0
  "$FORESTOCK" plan --db c-shop.db --quiet >/dev/null || code=$?
  wait "$writer" || true
  return "$code"
}
HOSTILE_ALLOW_WRITE=1 hostile_case "plan while another process holds the write lock" 0 c_plan_while_writing
