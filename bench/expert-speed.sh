#!/usr/bin/env bash
# Expert speed, DJL against PyTorch eager, in one run (issue 3, item 10).
#
#   bench/expert-speed.sh [rounds=3] [preset=demo] [batch=64]
#   THREADS=1 bench/expert-speed.sh 3 demo 32    # one thread, as each process of paris reproduce's pool
#
# Each round runs the Java benchmark (org.parisjava.bench.ExpertSpeedBenchmark) and the PyTorch
# twin (bench/expert_speed_torch.py) back to back, so both see the same machine load; each
# program reports the median of 5 repeats of 5 steps, and this script prints the median over the
# rounds. Both use THREADS intra-op threads (default 2). Measures: fp32 matmul GFLOP/s (1024^3), training images/s
# (forward + backward + AdamW), sampling images/s (one forward, no gradient, = one Euler step),
# the same two per CPU-second (robust when other processes share the cores), and the model FLOPs
# utilization (MFU) = achieved FLOP/s / matmul GFLOP/s of the same library.
#
# PyTorch runs: Debian's /usr/bin/python3 (torch 1.13, OpenBLAS), and, when build/torch2-venv
# exists, a CPU torch 2.x (MKL, like DJL's libtorch 2.7.1) written out and with its fused
# scaled_dot_product_attention (--sdpa). Make that venv offline with:
#   /usr/bin/python3 -m venv build/torch2-venv
#   build/torch2-venv/bin/pip install --no-index --no-deps <torch-2.x+cpu cp311 wheel>
#   build/torch2-venv/bin/pip install --no-index --find-links <wheel dir> numpy filelock typing_extensions \
#       sympy networkx jinja2 fsspec
# TORCH_RUNS overrides the list: "python|args;python|args".
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
PRESET=${2:-demo}
BATCH=${3:-64}
THREADS=${THREADS:-2}
# Untimed training steps, then as many sampling steps, on both sides before anything is timed: the JVM's
# C2 compiler is busy for about the first 35 training steps; the warm-up's CPU seconds are printed apart.
WARMUP=${WARMUP:-40}
# JAVA_OPTS: more JVM options. The garbage collector is the launcher's (serial) unless JAVA_OPTS or the
# JVM's own option variables name another, e.g. JAVA_OPTS=-XX:+UseG1GC.
JAVA_OPTS=${JAVA_OPTS:-}
# shellcheck source=/dev/null
source <(sed -n '/^names_gc()/,/^}/p' paris) # the launcher's own test, one list of collectors
GC_OPTS=(-XX:+UseSerialGC)
if names_gc "$JAVA_OPTS ${JDK_JAVA_OPTIONS:-} ${JAVA_TOOL_OPTIONS:-} ${_JAVA_OPTIONS:-}"; then
  GC_OPTS=()
fi
PYTHON=/usr/bin/python3
DEFAULT_RUNS="$PYTHON|"
if [ -x build/torch2-venv/bin/python ]; then
  DEFAULT_RUNS="$DEFAULT_RUNS;build/torch2-venv/bin/python|;build/torch2-venv/bin/python|--sdpa"
fi
TORCH_RUNS=${TORCH_RUNS:-$DEFAULT_RUNS}
OUT=${OUT:-build/bench}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd) # absolute: Maven writes the classpath file from its own folder
LOG="$OUT/expert-speed-$(date +%Y%m%d-%H%M%S).jsonl"

mvn -B -q -o test-compile -pl paris-lib
mvn -B -q -o dependency:build-classpath -pl paris-lib -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="paris-lib/target/classes:paris-lib/target/test-classes:$(cat "$OUT/cp.txt")"

# Both sides: idle OpenMP workers sleep instead of spinning (fair CPU-time numbers on a shared box).
export OMP_WAIT_POLICY=PASSIVE
# libtorch (>= 2.2) backs allocations of 2 MB and more with transparent huge pages: far fewer page
# faults for the fresh activations of every step (measured: DJL train step 1.5 s -> 1.0 s). Debian's
# torch 1.13 ignores it.
export THP_MEM_ALLOC_ENABLE=1
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/build/cache/djl} DJL_OFFLINE=true

for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS  load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  # shellcheck disable=SC2086
  java "${GC_OPTS[@]}" $JAVA_OPTS -cp "$CP" -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
    -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    org.parisjava.bench.ExpertSpeedBenchmark "$PRESET" "$BATCH" 5 5 all "$WARMUP" >"$OUT/java.out" 2>"$OUT/java.err" \
    || { echo "the Java benchmark failed:" >&2; tail -20 "$OUT/java.err" >&2; exit 1; }
  grep '^{' "$OUT/java.out" | tee -a "$LOG" >&2
  IFS=';' read -ra runs <<< "$TORCH_RUNS"
  for run in "${runs[@]}"; do
    py=${run%%|*}
    args=${run#*|}
    # shellcheck disable=SC2086
    "$py" bench/expert_speed_torch.py --preset "$PRESET" --batch "$BATCH" --threads "$THREADS" --warmup "$WARMUP" $args | tee -a "$LOG" >&2
  done
done

THREADS="$THREADS" WARMUP="$WARMUP" "$PYTHON" - "$LOG" <<'PY'
import collections, json, os, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
by = collections.defaultdict(list)
gflop = {}
for r in rows:
    by[(r["impl"], r["what"])].append(r["value"])
    if "forward_gflop_per_image" in r:
        gflop[r["preset"]] = r["forward_gflop_per_image"]
impls = sorted({i for i, _ in by})
med = {k: statistics.median(v) for k, v in by.items()}
preset, batch = rows[0]["preset"], rows[0]["batch"]
g = gflop[preset]
print(f"\n{preset} preset, batch {batch}, {os.environ['THREADS']} threads, {len(by[(impls[0], 'train')])} rounds "
      f"(median of rounds of medians); forward {g * 1e3:.1f} MFLOP/image, training step = 3x forward\n")
print("| | " + " | ".join(impls) + " |")
print("|---|" + "---|" * len(impls))
def row(name, what, fmt="{:.1f}"):
    print(f"| {name} | " + " | ".join(fmt.format(med[(i, what)]) if (i, what) in med else "-" for i in impls) + " |")
row("fp32 matmul 1024^3, GFLOP/s", "matmul")
row("training images/s", "train")
row("sampling images/s (one forward)", "sample")
row("training images per CPU-second", "train_per_cpu_s")
row("sampling images per CPU-second", "sample_per_cpu_s")
row(f"warm-up CPU-seconds ({os.environ['WARMUP']} training + {os.environ['WARMUP']} sampling steps, untimed)", "warmup_cpu_s", "{:.2f}")
print("| training MFU | " + " | ".join(f"{100 * med[(i, 'train')] * 3 * g / med[(i, 'matmul')]:.0f}%" for i in impls) + " |")
print("| sampling MFU | " + " | ".join(f"{100 * med[(i, 'sample')] * g / med[(i, 'matmul')]:.0f}%" for i in impls) + " |")
djl = next((i for i in impls if i.startswith("djl")), None)
if djl is not None and len(impls) > 1:
    print("\nDJL against each PyTorch, per CPU-second (above 1: DJL faster):\n")
    print("| | " + " | ".join(f"{djl} / {i}" for i in impls if i != djl) + " |")
    print("|---|" + "---|" * (len(impls) - 1))
    for name, what in (("training", "train_per_cpu_s"), ("sampling", "sample_per_cpu_s")):
        print(f"| {name} | " + " | ".join(f"{med[(djl, what)] / med[(i, what)]:.2f}x" if (i, what) in med else "-"
                                          for i in impls if i != djl) + " |")
print(f"\nraw results: {sys.argv[1]}")
PY
