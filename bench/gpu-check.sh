#!/usr/bin/env bash
# GPU check (issue 10, item 5): a few DiT-B/2 training steps on random 32x32x4 latents through the
# project's training loop, then top-2 sampling from two DiT-B/2 experts and a DiT-B/2 router with
# guidance; prints images/s, peak memory and MFU against the measured fp32 matmul peak of the device.
# Under 10 minutes on one GPU.
#
#   bench/gpu-check.sh [--device gpu|gpu:N|cpu] [--precision fp32|fp16] [--steps N] [--tiny]
#
# On a machine whose DJL engine sees no GPU (the CPU natives), it runs the same code path at a tiny
# size on the CPU (GpuCheckTest runs that path in the suite). For a GPU, DJL needs the CUDA build of
# libtorch 2.7.1: see the README's GPU section (PYTORCH_FLAVOR=cu128 and DJL_OFFLINE=false once, or
# PYTORCH_LIBRARY_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-build/bench}
mkdir -p "$OUT"
mvn -B -q -o test-compile -pl paris-lib
mvn -B -q -o dependency:build-classpath -pl paris-lib -Dmdep.includeScope=test -Dmdep.outputFile="$(cd "$OUT" && pwd)/cp.txt" >/dev/null
CP="paris-lib/target/classes:paris-lib/target/test-classes:$(cat "$OUT/cp.txt")"
export DJL_CACHE_DIR=${DJL_CACHE_DIR:-$PWD/build/cache/djl} DJL_OFFLINE=${DJL_OFFLINE:-true}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
exec java -Xmx8g "-Dai.djl.offline=$DJL_OFFLINE" -cp "$CP" org.parisjava.bench.GpuCheck "$@" 2> "$OUT/gpu-check.log"
