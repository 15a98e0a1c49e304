#!/usr/bin/env bash
# One forward pass of a real-size DiT-XL/2 expert in the released Paris layout (random weights,
# fp32, 605M+ parameters) at batch 2 on this CPU, 2 intra-op threads: the unit cost of
# `paris generate` (issue 11, item 5). One guided step of one expert for one image is one such
# forward (the prompt row and the empty-prompt row).
#
#   bench/released-expert-speed.sh [batch=2] [repeats=3]
#
# Prints one JSON line (median, warm-up and each repeat in seconds, GFLOPs, GFLOP/s). Quote the
# machine's load with it: on a shared machine the time varies with the other processes.
set -euo pipefail
cd "$(dirname "$0")/.."
BATCH=${1:-2}
REPEATS=${2:-3}
OUT=${OUT:-build/bench}
mkdir -p "$OUT"
mvn -B -q -o test-compile -pl paris-lib
mvn -B -q -o dependency:build-classpath -pl paris-lib -Dmdep.includeScope=test -Dmdep.outputFile="$(cd "$OUT" && pwd)/cp.txt" >/dev/null
CP="paris-lib/target/classes:paris-lib/target/test-classes:$(cat "$OUT/cp.txt")"
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/build/cache/djl} DJL_OFFLINE=true
echo "load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) cores" >&2
java -Xmx8g -cp "$CP" -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dai.djl.offline=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  org.parisjava.bench.ReleasedExpertBenchmark "$BATCH" "$REPEATS" 2>/dev/null | grep '^{' | tee -a "$OUT/released-expert-speed.jsonl"
