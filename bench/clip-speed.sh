#!/usr/bin/env bash
# CLIP text encoder speed, Java (DJL) against PyTorch eager, in one alternating run (issue 9, item 7).
#
#   PYTHON=/path/to/python bench/clip-speed.sh [rounds=3] [batch=16]
#
# Both sides run openai/clip-vit-large-patch14's text tower (12 layers, 768 wide, 77 tokens; 123M
# weights) with random weights in fp32 on the same batch of ids, 2 intra-op threads each. Each round
# runs the Java benchmark (org.parisjava.bench.ClipSpeedBenchmark) and then transformers'
# CLIPTextModel (bench/clip_speed_torch.py) with torch's fused attention (sdpa) and with attention
# written out (eager), so all see the same machine load; each program reports the median of 3
# timed forwards after a warm-up, and this script prints the median over rounds and the ratio.
# PYTHON must have torch and transformers (default: python3 on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
BATCH=${2:-16}
PYTHON=${PYTHON:-python3}
OUT=${OUT:-build/bench}
mkdir -p "$OUT"
LOG="$OUT/clip-speed-$(date +%Y%m%d-%H%M%S).jsonl"

mvn -B -q -o test-compile -pl paris-lib
mvn -B -q -o dependency:build-classpath -pl paris-lib -Dmdep.includeScope=test -Dmdep.outputFile="$(cd "$OUT" && pwd)/cp.txt" >/dev/null
CP="paris-lib/target/classes:paris-lib/target/test-classes:$(cat "$OUT/cp.txt")"

export OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/build/cache/djl} DJL_OFFLINE=true

for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS  load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  java -cp "$CP" -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    org.parisjava.bench.ClipSpeedBenchmark "$BATCH" 3 1 2>/dev/null | grep '^{' | tee -a "$LOG" >&2
  for attn in sdpa eager; do
    "$PYTHON" bench/clip_speed_torch.py --batch "$BATCH" --threads 2 --attn "$attn" 2>/dev/null | grep '^{' | tee -a "$LOG" >&2
  done
done

"$PYTHON" - "$LOG" <<'PY'
import collections, json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = collections.defaultdict(list)
for r in rows:
    by[(r["impl"], r["what"])].append(r["value"])
impls = sorted({i for i, _ in by}, key=lambda i: (not i.startswith("djl"), i))
med = {k: statistics.median(v) for k, v in by.items()}
java = impls[0]
print(f"\nCLIP ViT-L/14 text model, fp32, batch {rows[0]['batch']}, 2 threads, "
      f"{len(by[(java, 'texts_per_s')])} rounds (median of rounds of medians)\n")
print("| | " + " | ".join(impls) + " |")
print("|---|" + "---|" * len(impls))
for name, what in (("texts/s", "texts_per_s"), ("texts per CPU-second", "texts_per_cpu_s")):
    print(f"| {name} | " + " | ".join(f"{med[(i, what)]:.2f}" if (i, what) in med else "-" for i in impls) + " |")
for i in impls[1:]:
    if (i, "texts_per_s") in med:
        print(f"{java} / {i}: {med[(java, 'texts_per_s')] / med[(i, 'texts_per_s')]:.2f}x texts/s, "
              f"{med[(java, 'texts_per_cpu_s')] / med[(i, 'texts_per_cpu_s')]:.2f}x per CPU-second")
print(f"\nraw results: {sys.argv[1]}")
PY
