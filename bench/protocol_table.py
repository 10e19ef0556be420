"""One table per data set: the protocol's reporting origins (engine and sanity rows, from
`<set>.report.json`) and statsforecast's models on the same origins (baseline.py JSONs
`<set>_off<K>.json`). Mean ± sd [min–max] over the origins. Standard library only."""
import json
import statistics
import sys
from pathlib import Path

protocol, sf = Path(sys.argv[1]), Path(sys.argv[2])
OFFSETS = {"m5": [0, 28, 56, 84, 112], "carparts": [0, 2, 4]}


def cell(v):
    if not v or any(x is None for x in v):
        return "–"
    sd = statistics.stdev(v) if len(v) > 1 else 0.0
    return f"{statistics.mean(v):.3f} ± {sd:.3f} [{min(v):.3f}–{max(v):.3f}]"


for name, offsets in OFFSETS.items():
    rep = json.loads((protocol / f"{name}.report.json").read_text())
    origins = [o for o in rep["origins"] if o["role"] == "report"]
    if not origins:
        continue
    print(f"\n{name}: {len(origins)} reporting origins "
          f"({' '.join(o['origin'] for o in origins)})\n")
    print("| method | MASE | RMSSE | SPL p10/50/90 | bias | cov [p10,p90] | PIT cov |")
    print("|---|---|---|---|---|---|---|")
    for m in origins[0]["methods"]:
        v = lambda k: [o["methods"][m][k] for o in origins]
        print(f"| {m} | {cell(v('mase'))} | {cell(v('rmsse'))} | {cell(v('spl3'))} | "
              f"{cell(v('bias'))} | {cell(v('cov'))} | {cell(v('rcov'))} |")
    runs = [sf / f"{name}_off{k}.json" for k in offsets]
    if not all(p.exists() for p in runs):
        print(f"(statsforecast: missing {[str(p) for p in runs if not p.exists()]})")
        continue
    res = [json.loads(p.read_text())["results"] for p in runs]
    env = json.loads(runs[0].read_text())["env"]
    for model in res[0]:
        v = lambda k: [r[model].get(k) for r in res]
        t = [r[model].get("times", {}).get("n_jobs=1", {}).get("median_s") for r in res]
        t = [x for x in t if x is not None]
        secs = f" ({statistics.median(t):.2f} s)" if t else ""
        print(f"| statsforecast {model}{secs} | {cell(v('MASE'))} | {cell(v('RMSSE'))} | – | "
              f"{cell(v('Bias'))} | – | – |")
    print(f"\nstatsforecast {env.get('statsforecast')}, Python {env.get('python')}, "
          f"{env.get('cpu_count')} cores {env.get('cpu_model')}; seconds: median fit+predict "
          f"over the origins, 1 core")
