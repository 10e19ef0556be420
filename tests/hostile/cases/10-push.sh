# NetSuite push (section 10): a PO queued with `push --queue-only` and then cancelled is never
# sent; the other approved PO in the same push still goes out; naming the cancelled PO is
# refused. Two merchant databases pushing their own PO-00001 to one account get two
# NetSuite POs.

hostile_setup "$FORESTOCK" demo --db push-sim.db --skus 30
hostile_sim --db push-sim.db --platform netsuite
push_url="$(hostile_sim_url netsuite)"
push_cred() {
  python3 -c 'import json,sys; print(json.loads(sys.argv[1])["netsuite"][sys.argv[2]])' \
    "$HOSTILE_SIM_JSON" "$1"
}
push_cs="$(push_cred consumer_secret)"
push_tid="$(push_cred token_id)"
push_ts="$(push_cred token_secret)"
hostile_secret "$push_cs"
hostile_secret "$push_tid"
hostile_secret "$push_ts"
# The secrets go in on stdin from a file outside the work folder (so only what Forestock
# writes is searched for them).
push_stdin="$(mktemp)"
printf '%s\n%s\n%s\n' "$push_cs" "$push_tid" "$push_ts" >"$push_stdin"

# A merchant database (the same seed as the simulator's: same suppliers and SKUs) with two
# approved POs, connected to the simulator's NetSuite by TBA.
push_shop() {
  hostile_setup "$FORESTOCK" demo --db "$1" --skus 30
  hostile_setup "$FORESTOCK" plan --db "$1" --quiet
  hostile_setup "$FORESTOCK" review --db "$1" approve --all
  hostile_setup "$FORESTOCK" po --db "$1" draft
  hostile_setup "$FORESTOCK" po --db "$1" approve PO-00001
  HOSTILE_STDIN="$push_stdin" hostile_setup "$FORESTOCK" connect netsuite --db "$1" \
    --url "$push_url" --account "$(push_cred account_id)" \
    --consumer-key "$(push_cred consumer_key)"
}
push_shop push-a.db
hostile_setup "$FORESTOCK" po --db push-a.db approve PO-00002
hostile_setup "$FORESTOCK" push --db push-a.db --queue-only
hostile_setup "$FORESTOCK" po --db push-a.db cancel PO-00001 --reason "supplier closed"

hostile_case "push after a queued PO was cancelled (it is skipped, the other is sent)" 0 \
  "$FORESTOCK" push --db push-a.db --format json
push_report="$HOSTILE_WORK/.logs/$(printf '%03d' "$HOSTILE_N").stdout"
hostile_case "the push report: PO-00001 skipped with no NetSuite id, PO-00002 pushed" 0 \
  python3 -c '
import json, sys
r = {o["number"]: o for o in json.load(open(sys.argv[1]))}
assert r["PO-00001"]["status"] == "skipped" and r["PO-00001"]["netsuite_id"] is None, r
assert r["PO-00002"]["status"] == "pushed" and r["PO-00002"]["netsuite_id"], r
' "$push_report"
hostile_case "push --po of the cancelled PO is refused" 2 \
  "$FORESTOCK" push --db push-a.db --po PO-00001
hostile_case "the cancelled PO stays cancelled" 0 bash -c \
  '"$1" po --db push-a.db show PO-00001 --format json \
     | python3 -c "import json,sys; assert json.load(sys.stdin)[\"status\"] == \"cancelled\""' \
  _ "$FORESTOCK"

# A second database's PO-00001 to the same account: its own NetSuite PO, not push-a's.
push_shop push-b.db
hostile_case "a second database pushes its own PO-00001" 0 \
  "$FORESTOCK" push --db push-b.db --format json
push_report_b="$HOSTILE_WORK/.logs/$(printf '%03d' "$HOSTILE_N").stdout"
hostile_case "the two databases got different external and NetSuite ids" 0 \
  python3 -c '
import json, sys
b = {o["number"]: o for o in json.load(open(sys.argv[2]))}["PO-00001"]
a = {o["number"]: o for o in json.load(open(sys.argv[1]))}["PO-00002"]
assert b["status"] == "pushed", b
assert b["po"].endswith("-PO-00001") and b["po"] != "FCST-PO-00001", b
assert b["netsuite_id"] != a["netsuite_id"], (a, b)
' "$push_report" "$push_report_b"
rm -f "$push_stdin"
