#!/usr/bin/env bash
# Same seed, different numbers? Trains one expert of a clustered run several times with the same
# seed, changing only the PyTorch thread count and the machine's load, and compares loss.csv and
# the checkpoint's tensor files bit for bit.
#
#   bench/same-seed.sh [preset=demo] [steps=12]
#
# Variants: 1 thread, 2 threads, 2 threads again, 2 threads with one busy competing process,
# 1 thread with one busy competing process. Prints the SHA-256 of each variant's model.safetensors
# and whether its loss.csv equals the first 2-thread run's.
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${1:-demo}
STEPS=${2:-12}
OUT=${OUT:-build/same-seed}
RUN="$OUT/run-$PRESET"
rm -rf "$OUT"; mkdir -p "$OUT"
./paris build >/dev/null
# a frozen copy of the build, so that editing sources meanwhile cannot rebuild under the experiment
mkdir -p "$OUT/lib"
cp paris-lib/target/paris-lib-*.jar "$OUT/lib/paris-lib.jar"
cp -r paris-cli/target/classes "$OUT/lib/cli-classes"
CP="$OUT/lib/cli-classes:$OUT/lib/paris-lib.jar:$(tr ':' '\n' < paris-cli/target/runtime-classpath.txt | grep -v '/paris-lib/target/' | paste -sd:)"
export DJL_CACHE_DIR="$PWD/build/cache/djl" DJL_OFFLINE=true
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
paris() { java -Djava.awt.headless=true -Dai.djl.offline=true -cp "$CP" org.parisjava.cli.ParisCli "$@"; }
paris cluster --preset "$PRESET" --seed 42 --out "$RUN" >/dev/null

busy() { while :; do :; done; }
variant() { # name threads competitors
  local name=$1 threads=$2 competitors=$3 pids=()
  for _ in $(seq 1 "$competitors"); do busy & pids+=($!); done
  rm -rf "$RUN/experts"
  paris train-expert --run "$RUN" --cluster 0 --steps "$STEPS" --checkpoint-every "$STEPS" \
      --threads "$threads" >/dev/null 2>"$OUT/$name.log"
  for p in "${pids[@]}"; do kill "$p"; done
  mv "$RUN/experts/cluster-00" "$OUT/$name"
  local ck; ck=$(ls -d "$OUT/$name"/checkpoints/step-* | tail -1)
  echo "$name threads=$threads competitors=$competitors load=$(cut -d' ' -f1 /proc/loadavg)" \
       "model=$(sha256sum "$ck/model.safetensors" | cut -c1-16)" \
       "ema=$(sha256sum "$ck/ema.safetensors" | cut -c1-16)" \
       "loss.csv=$(cut -d, -f1,2 "$OUT/$name/loss.csv" | sha256sum | cut -c1-16)"
}
variant t2 2 0
variant t1 1 0
variant t2-again 2 0
variant t2-busy 2 1
variant t1-busy 1 1
echo "last loss rows (step, loss):"
for v in t2 t1 t2-again t2-busy t1-busy; do echo "  $v: $(tail -1 "$OUT/$v/loss.csv" | cut -d, -f1,2)"; done
