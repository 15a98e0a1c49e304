#!/usr/bin/env bash
# Training speed under load: DJL (this project) and PyTorch eager, the same DiT, with 0, 1 and 2
# competing busy processes, with and without OMP_WAIT_POLICY=PASSIVE (issue 14, item 6).
#
#   PYTHON=path/to/venv/bin/python bench/under-load.sh [rounds=1] [preset=smoke] [batch=32]
#
# A competitor is a shell loop that keeps one core busy. For each wait policy ("unset": libgomp's
# default, whose idle threads spin before they sleep; "PASSIVE": they sleep at once) and each number
# of competitors, the Java benchmark (org.parisjava.bench.ExpertSpeedBenchmark) and its PyTorch twin
# (bench/expert_speed_torch.py, in the python given by PYTHON, default python3) each train for
# 3 repeats of 3 steps, both with as many intra-op threads as cores; each reports its median.
# The script prints the median over rounds, the ratio to the same program with no competitor, and
# the ratio PASSIVE / unset. The default run takes a few minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-1}
PRESET=${2:-smoke}
BATCH=${3:-32}
PYTHON=${PYTHON:-python3}
THREADS=$(nproc)
OUT=${OUT:-build/bench}
mkdir -p "$OUT"
LOG="$OUT/under-load-$(date +%Y%m%d-%H%M%S).jsonl"

mvn -B -q -o test-compile -pl paris-lib
mvn -B -q -o dependency:build-classpath -pl paris-lib -Dmdep.includeScope=test -Dmdep.outputFile="$(cd "$OUT" && pwd)/cp.txt" >/dev/null
CP="paris-lib/target/classes:paris-lib/target/test-classes:$(cat "$OUT/cp.txt")"
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/build/cache/djl} DJL_OFFLINE=true
"$PYTHON" -c 'import torch' || { echo "under-load: $PYTHON cannot import torch; set PYTHON" >&2; exit 1; }

BUSY=()
start_busy() { for _ in $(seq 1 "$1"); do (while :; do :; done) & BUSY+=($!); done; }
stop_busy() { for p in "${BUSY[@]}"; do kill "$p" 2>/dev/null || true; done; BUSY=(); }
trap stop_busy EXIT
tag() { sed -u "s/^{/{\"policy\": \"$1\", \"competitors\": $2, /"; }

for r in $(seq "$ROUNDS"); do
  for c in 0 1 2; do # the two policies back to back at each load, so that both see the same background
    for policy in unset PASSIVE; do
      echo "round $r/$ROUNDS  OMP_WAIT_POLICY=$policy  competitors=$c  load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
      start_busy "$c"
      if [ "$policy" = unset ]; then unset OMP_WAIT_POLICY; else export OMP_WAIT_POLICY=$policy; fi
      java -cp "$CP" -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
        -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        org.parisjava.bench.ExpertSpeedBenchmark "$PRESET" "$BATCH" 3 3 model 2>/dev/null \
        | grep '^{' | grep '"what": "train"' | tag "$policy" "$c" | tee -a "$LOG" >&2
      "$PYTHON" bench/expert_speed_torch.py --preset "$PRESET" --batch "$BATCH" --threads "$THREADS" \
        --repeats 3 --steps 3 --only model | grep '"what": "train"' | tag "$policy" "$c" | tee -a "$LOG" >&2
      stop_busy
    done
  done
done
unset OMP_WAIT_POLICY

"$PYTHON" - "$LOG" "$THREADS" <<'PY'
import collections, json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = collections.defaultdict(list)
for r in rows:
    by[(r["impl"], r["policy"], r["competitors"])].append(r["value"])
med = {k: statistics.median(v) for k, v in by.items()}
impls = sorted({k[0] for k in med})
print(f"\ntraining images/s, {rows[0]['preset']} preset, batch {rows[0]['batch']}, {sys.argv[2]} intra-op threads, "
      f"{len(by[(impls[0], 'unset', 0)])} round(s) (median); in brackets: ratio to no competitor\n")
print("| program | OMP_WAIT_POLICY | 0 competitors | 1 competitor | 2 competitors |")
print("|---|---|---:|---:|---:|")
for i in impls:
    for p in ("unset", "PASSIVE"):
        base = med.get((i, p, 0))
        cells = []
        for c in (0, 1, 2):
            v = med.get((i, p, c))
            cells.append("-" if v is None else f"{v:.1f}" + ("" if c == 0 or not base else f" ({v / base:.2f})"))
        print(f"| {i} | {p} | " + " | ".join(cells) + " |")
print("\nPASSIVE / unset, same program and load:")
for i in impls:
    print(f"  {i}: " + ", ".join(
        f"{c} competitors {med[(i, 'PASSIVE', c)] / med[(i, 'unset', c)]:.2f}x"
        for c in (0, 1, 2) if (i, 'PASSIVE', c) in med and (i, 'unset', c) in med))
print(f"\nraw results: {sys.argv[1]}")
PY
