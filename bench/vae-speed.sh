#!/usr/bin/env bash
# SD-VAE speed, Java (DJL) against PyTorch eager diffusers, in one alternating run (issue 9, item 7).
#
#   PYTHON=/path/to/python DIFFUSERS_SRC=/path/to/diffusers/src bench/vae-speed.sh [rounds=2] [batch=2] [side=256]
#
# Both sides run stabilityai/sd-vae-ft-mse's AutoencoderKL (83.7M weights) with random weights in
# fp32 on a batch of side x side images, 2 intra-op threads each: one encode (to the posterior mean)
# and one decode per repeat, after a warm-up of each. Each round runs the Java benchmark
# (org.parisjava.bench.VaeSpeedBenchmark) and then diffusers' AutoencoderKL (bench/vae_speed_torch.py),
# so both see the same machine load; each program reports the median of its repeats, and this
# script prints the median over rounds, the ratio, and each process's peak resident memory.
# PYTHON must have torch and pillow; diffusers is read from its source folder DIFFUSERS_SRC
# (a checkout of github.com/huggingface/diffusers, its src/ folder), not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-2}
BATCH=${2:-2}
SIDE=${3:-256}
PYTHON=${PYTHON:-python3}
OUT=${OUT:-build/bench}
mkdir -p "$OUT"
LOG="$OUT/vae-speed-$(date +%Y%m%d-%H%M%S).jsonl"

mvn -B -q -o test-compile -pl paris-lib
mvn -B -q -o dependency:build-classpath -pl paris-lib -Dmdep.includeScope=test -Dmdep.outputFile="$(cd "$OUT" && pwd)/cp.txt" >/dev/null
CP="paris-lib/target/classes:paris-lib/target/test-classes:$(cat "$OUT/cp.txt")"

export OMP_WAIT_POLICY=PASSIVE THP_MEM_ALLOC_ENABLE=1
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/build/cache/djl} DJL_OFFLINE=true

for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS  load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  java -cp "$CP" -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
    -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    org.parisjava.bench.VaeSpeedBenchmark "$BATCH" "$SIDE" 2 2>/dev/null | grep '^{' | tee -a "$LOG" >&2
  PYTHONPATH="${DIFFUSERS_SRC:?set DIFFUSERS_SRC to diffusers/src}${PYTHONPATH:+:$PYTHONPATH}" \
    "$PYTHON" bench/vae_speed_torch.py --batch "$BATCH" --side "$SIDE" --threads 2 2>/dev/null | grep '^{' | tee -a "$LOG" >&2
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
print(f"\nsd-vae-ft-mse AutoencoderKL, fp32, batch {rows[0]['batch']}, {rows[0]['side']} px, 2 threads, "
      f"{len(by[(java, 'encode_images_per_s')])} rounds (median of rounds of medians)\n")
print("| | " + " | ".join(impls) + " |")
print("|---|" + "---|" * len(impls))
for name, what in (("encode images/s", "encode_images_per_s"), ("encode images per CPU-second", "encode_images_per_cpu_s"),
                   ("decode images/s", "decode_images_per_s"), ("decode images per CPU-second", "decode_images_per_cpu_s"),
                   ("peak resident memory, MiB", "peak_rss_mib")):
    print(f"| {name} | " + " | ".join(f"{med[(i, what)]:.3f}" if (i, what) in med else "-" for i in impls) + " |")
for i in impls[1:]:
    for op in ("encode", "decode"):
        k = f"{op}_images_per_s"
        if (i, k) in med:
            print(f"{java} / {i} {op}: {med[(java, k)] / med[(i, k)]:.2f}x images/s, "
                  f"{med[(java, op + '_images_per_cpu_s')] / med[(i, op + '_images_per_cpu_s')]:.2f}x per CPU-second")
print(f"\nraw results: {sys.argv[1]}")
PY
