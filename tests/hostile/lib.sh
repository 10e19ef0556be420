# Helpers for the hostile-runs cases (sourced by tests/hostile/run.sh; not run on its own).
#
# A case file in tests/hostile/cases/*.sh is sourced in name order. It sets things up with the
# release CLI ("$FORESTOCK") inside "$HOSTILE_WORK" (a fresh folder) and calls, per bad input:
#
#   hostile_case NAME EXPECTED_EXIT CMD [ARGS...]
#       Runs CMD (stdin from $HOSTILE_STDIN if set, else /dev/null) in $HOSTILE_WORK, records its
#       exit code, stdout and stderr (under $HOSTILE_WORK/.logs), and which files under
#       $HOSTILE_WORK it created or changed. The case is "refused cleanly" when the exit code is
#       EXPECTED_EXIT, nothing panicked, and (for a non-zero EXPECTED_EXIT) nothing was written.
#       Set HOSTILE_ALLOW_WRITE=1 for the one case where writing is the expected outcome.
#   hostile_secret VALUE
#       Registers a secret (token, password) used by the cases: at the end every file under
#       $HOSTILE_WORK is searched for it, and the bytes found are reported per place
#       (database, logs, exports, events). The target is 0 everywhere.
#   hostile_sim [forestock sim ARGS...]
#       Starts `forestock sim --format json` in the background, waits for its URLs, and stores
#       its JSON answer in $HOSTILE_SIM_JSON (use `hostile_sim_url shopify` etc.). Stopped at exit.
#   hostile_setup CMD [ARGS...]
#       A set-up command that must succeed (e.g. `forestock demo`): fails the whole run (exit 1)
#       with the command's stderr if it fails; what it writes is not counted against any case.
#
# Files a case writes on purpose for later cases (databases, inputs) are made with hostile_setup
# so they are not counted as written by a case. Places: *.db, *.db-wal, *.db-shm, *.sqlite are
# "database"; .logs/* are "logs"; events/* are "events" (progress events captured as JSON lines);
# everything else is "exports".

HOSTILE_ROWS=()
HOSTILE_SECRETS=()
HOSTILE_SIM_PIDS=()
HOSTILE_TRIED=0
HOSTILE_CLEAN=0
HOSTILE_N=0

hostile_snapshot() {
  (cd "$HOSTILE_WORK" && find . -path ./.logs -prune -o -path ./events -prune -o -type f -print0 \
    | sort -z | xargs -0 -r sha256sum) 2>/dev/null
}

hostile_setup() {
  local err
  err="$(mktemp)"
  if ! (cd "$HOSTILE_WORK" && "$@") >/dev/null 2>"$err" <"${HOSTILE_STDIN:-/dev/null}"; then
    echo "hostile: set-up command failed: $*" >&2
    cat "$err" >&2
    rm -f "$err"
    exit 1
  fi
  rm -f "$err"
}

hostile_case() {
  local name="$1" expected="$2"
  shift 2
  HOSTILE_N=$((HOSTILE_N + 1))
  local tag
  tag="$(printf '%03d' "$HOSTILE_N")"
  local out="$HOSTILE_WORK/.logs/$tag.stdout" err="$HOSTILE_WORK/.logs/$tag.stderr"
  local before after
  before="$(hostile_snapshot)"
  local code=0
  (cd "$HOSTILE_WORK" && "$@") >"$out" 2>"$err" <"${HOSTILE_STDIN:-/dev/null}" || code=$?
  after="$(hostile_snapshot)"
  local written
  # diff exits 1 when something changed: that is an answer, not a failure (set -e, pipefail).
  written="$({ diff <(echo "$before") <(echo "$after") || true; } | sed -n 's/^> [0-9a-f]*  \.\///p' | tr '\n' ' ')"
  [ -n "$written" ] || written="-"
  local clean=yes
  [ "$code" = "$expected" ] || clean=no
  if grep -q "panicked at" "$err"; then clean=no; fi
  if [ "$expected" != 0 ] && [ "$written" != "-" ] && [ "${HOSTILE_ALLOW_WRITE:-0}" != 1 ]; then
    clean=no
  fi
  HOSTILE_TRIED=$((HOSTILE_TRIED + 1))
  [ "$clean" = yes ] && HOSTILE_CLEAN=$((HOSTILE_CLEAN + 1))
  local msg
  msg="$(head -c 300 "$err" | tr '\n' ' ' | sed 's/|/\\|/g')"
  HOSTILE_ROWS+=("| $name | $code | $expected | $clean | ${written% } | ${msg% } |")
}

hostile_secret() {
  HOSTILE_SECRETS+=("$1")
}

hostile_sim() {
  local json="$HOSTILE_WORK/.logs/sim.$HOSTILE_N.json"
  (cd "$HOSTILE_WORK" && exec "$FORESTOCK" sim --format json "$@") >"$json" 2>"$json.err" &
  HOSTILE_SIM_PIDS+=($!)
  for _ in $(seq 1 300); do
    if [ -s "$json" ] && python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$json" 2>/dev/null; then
      HOSTILE_SIM_JSON="$(cat "$json")"
      return 0
    fi
    sleep 0.1
  done
  echo "hostile: the simulator did not start: $(cat "$json.err")" >&2
  exit 1
}

hostile_sim_url() {
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]]["url"])' "$HOSTILE_SIM_JSON" "$1"
}

hostile_stop_sims() {
  local p
  for p in "${HOSTILE_SIM_PIDS[@]+"${HOSTILE_SIM_PIDS[@]}"}"; do
    kill -INT "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  HOSTILE_SIM_PIDS=()
}

# Bytes of every registered secret found in each place.
hostile_secret_scan() {
  python3 - "$HOSTILE_WORK" "${HOSTILE_SECRETS[@]+"${HOSTILE_SECRETS[@]}"}" <<'PY'
import os, sys
root, secrets = sys.argv[1], [s.encode() for s in sys.argv[2:] if s]
found = {"database": 0, "logs": 0, "exports": 0, "events": 0}
where = []
for dirpath, _, files in os.walk(root):
    for f in files:
        p = os.path.join(dirpath, f)
        rel = os.path.relpath(p, root)
        if rel.startswith(".logs" + os.sep) and rel.endswith(".json") and "sim." in rel:
            continue  # the simulator's own answer lists its demo credentials on purpose
        if rel.startswith(".logs" + os.sep) and "sim." in rel:
            continue
        place = ("logs" if rel.startswith(".logs" + os.sep) else
                 "events" if rel.startswith("events" + os.sep) else
                 "database" if any(rel.endswith(x) for x in (".db", ".db-wal", ".db-shm", ".sqlite")) else
                 "exports")
        data = open(p, "rb").read()
        for s in secrets:
            n = data.count(s)
            # SQLite may store text as UTF-16 too.
            n += data.count(s.decode().encode("utf-16-le"))
            if n:
                found[place] += n * len(s)
                where.append(f"{rel}: {n}x a secret of {len(s)} bytes")
print(" ".join(f"{k}={v}" for k, v in found.items()))
for w in where:
    print("  found in " + w)
PY
}
