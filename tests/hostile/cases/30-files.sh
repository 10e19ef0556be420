# Files: what the CLI reads and writes. Every writing verb refuses to replace without --force,
# never writes onto its own input (history CSV, database), writes atomically and exits 2 on bad
# input; read-only verbs never write to a foreign file; CSVs are guarded and quoted.
# shellcheck shell=bash

# --- inputs -----------------------------------------------------------------------------------
hostile_files_py="$(cat <<'PY'
import datetime
d0 = datetime.date(2024, 1, 1)
with open("h.csv", "w") as f:
    f.write("sku,location,date,units\n")
    for sku in ("A", "B"):
        for i in range(120):
            f.write(f"{sku},WH1,{d0 + datetime.timedelta(days=i)},{(i * 7 + 3) % 5}\n")
with open("h.csv") as f:
    good = f.read()
with open("far.csv", "w") as f:
    f.write(good + "A,WH1,9999-12-31,1\n")
with open("baddates.csv", "w") as f:
    f.write("sku,location,date,units\nA,WH1,01/02/2024,3\nA,WH1,02/02/2024,4\n")
with open("short.csv", "w") as f:
    f.write("sku,location,date,units\nA,WH1,2024-01-01,3\nA,WH1,2024-01-02,4\n")
with open("formula.csv", "w") as f:
    f.write("sku,location,date,units\n")
    for i in range(28):
        f.write(f"\"  =HYPERLINK(1)\",\"@WH\",{d0 + datetime.timedelta(days=i)},2\n")
with open("previous.csv", "w") as f:
    f.write("previous forecast\n")
with open("notes.txt", "w") as f:
    f.write("not a database\n")
open("empty.db", "w").close()
import sqlite3
c = sqlite3.connect("other.sqlite")
c.execute("CREATE TABLE notes (body TEXT)")
c.execute("INSERT INTO notes VALUES ('mine')")
c.commit()
c.close()
PY
)"
hostile_setup python3 -c "$hostile_files_py"

# --- forecast / backtest: bad input is exit 2 and nothing written ------------------------------
hostile_case "forecast: every date unreadable" 2 \
  "$FORESTOCK" forecast --input baddates.csv --output baddates-forecast.csv
hostile_case "forecast: every date unreadable, --force (output kept)" 2 \
  "$FORESTOCK" forecast --input baddates.csv --output previous.csv --force
hostile_case "forecast: --output equal to --input" 2 \
  "$FORESTOCK" forecast --input h.csv --output h.csv --horizon 7
hostile_case "forecast: --output ./h.csv spelled differently" 2 \
  "$FORESTOCK" forecast --input h.csv --output ./h.csv --horizon 7
hostile_case "forecast: existing --output without --force" 2 \
  "$FORESTOCK" forecast --input h.csv --output previous.csv --horizon 7
hostile_case "forecast: missing input (one message)" 2 \
  "$FORESTOCK" forecast --input missing.csv
hostile_case "forecast: 9999-12-31 typo" 2 \
  "$FORESTOCK" forecast --input far.csv --output far-forecast.csv
hostile_case "backtest: no series long enough (no panic)" 2 \
  "$FORESTOCK" backtest --input short.csv
hostile_case "backtest: missing input" 2 \
  "$FORESTOCK" backtest --input missing.csv
hostile_case "policy-sim: 9999-12-31 typo" 2 \
  "$FORESTOCK" policy-sim --input far.csv
HOSTILE_ALLOW_WRITE=1 hostile_case "forecast: formula-like SKUs written" 0 \
  "$FORESTOCK" forecast --input formula.csv --output formula-forecast.csv --horizon 3
hostile_case "forecast CSV: no cell starts with = + - @ (after spaces)" 0 \
  python3 -c "import csv,sys; rows=list(csv.reader(open('formula-forecast.csv'))); sys.exit(any(c.lstrip(' ')[:1] in '=+-@' and c for r in rows for c in r[:2]))"

# --- read-only verbs never write a foreign file -----------------------------------------------
hostile_case "info: somebody else's SQLite file" 3 "$FORESTOCK" info --db other.sqlite
hostile_case "info: an empty file" 3 "$FORESTOCK" info --db empty.db
hostile_case "info: a text file" 3 "$FORESTOCK" info --db notes.txt
hostile_case "plan: somebody else's SQLite file" 3 "$FORESTOCK" plan --db other.sqlite

# --- the database is never an output --------------------------------------------------------
hostile_setup "$FORESTOCK" demo --db files.db --skus 40
hostile_setup "$FORESTOCK" plan --db files.db
hostile_setup "$FORESTOCK" review --db files.db approve --all
hostile_setup "$FORESTOCK" po --db files.db draft
hostile_setup "$FORESTOCK" po --db files.db approve PO-00001
hostile_case "export-history: -o the database --force" 2 \
  "$FORESTOCK" export-history --db files.db -o files.db --force
hostile_case "export-history: -o the database's -wal" 2 \
  "$FORESTOCK" export-history --db files.db -o files.db-wal --force
hostile_case "po export: --output the database" 2 \
  "$FORESTOCK" po --db files.db export --po PO-00001 --output files.db
hostile_case "po html: --output the database" 2 \
  "$FORESTOCK" po --db files.db html PO-00001 --output files.db
hostile_case "po export: existing file without --force" 2 \
  "$FORESTOCK" po --db files.db export --po PO-00001 --output previous.csv
HOSTILE_ALLOW_WRITE=1 hostile_case "po export: supplier CSV" 0 \
  "$FORESTOCK" po --db files.db export --po PO-00001 --output po.csv
hostile_case "po CSV starts with a UTF-8 BOM (Excel)" 0 \
  python3 -c "import sys; sys.exit(open('po.csv','rb').read(3) != b'\xef\xbb\xbf')"

# --- demo --force while another program has the database open --------------------------------
(cd "$HOSTILE_WORK" && exec python3 -c '
import sqlite3, time
c = sqlite3.connect("files.db")
c.execute("SELECT count(*) FROM variants").fetchall()
open("holder.ready", "w").close()
time.sleep(120)
') &
hostile_holder=$!
for _ in $(seq 1 100); do
  [ -e "$HOSTILE_WORK/holder.ready" ] && break
  sleep 0.1
done
hostile_case "demo --force: the database is open in another process" 3 \
  "$FORESTOCK" demo --db files.db --skus 5 --force
kill "$hostile_holder" 2>/dev/null || true
wait "$hostile_holder" 2>/dev/null || true
