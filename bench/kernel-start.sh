#!/usr/bin/env bash
# Kernel start reliability: executes notebooks/00-kernel-tour.ipynb headlessly N times in a row
# (default 20) with Debian's nbconvert on a freshly installed paris-java kernelspec, and counts
# kernel start failures, other failures, and the time per run.
#
#   bench/kernel-start.sh [N] [--java PATH]     (PARIS_SCALE=smoke is set for the notebook)
#
# Prints one line per run and a summary; exits non-zero if any run failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N=20
JAVA_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --java) JAVA_ARGS=(--java "$2"); shift 2 ;;
    *) N="$1"; shift ;;
  esac
done
NOTEBOOK="$ROOT/notebooks/00-kernel-tour.ipynb"
JUPYTER=/usr/bin/jupyter
[ -x "$JUPYTER" ] || { echo "kernel-start: $JUPYTER not found (apt-get install jupyter-nbconvert python3-nbclient)" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export JUPYTER_PATH="$WORK/jupyter" JUPYTER_RUNTIME_DIR="$WORK/runtime" JUPYTER_DATA_DIR="$WORK/data"
export JUPYTER_CONFIG_DIR="$WORK/config" PARIS_SCALE=smoke PARIS_RUN_DIR="$WORK/run"
mkdir -p "$JUPYTER_PATH" "$JUPYTER_RUNTIME_DIR" "$JUPYTER_DATA_DIR" "$JUPYTER_CONFIG_DIR" "$PARIS_RUN_DIR"
"$ROOT/paris" kernel install --dir "$JUPYTER_PATH" "${JAVA_ARGS[@]}" >&2

start_failures=0; other_failures=0; times=()
for i in $(seq 1 "$N"); do
  t0=$(date +%s.%N)
  status=ok
  if ! timeout 900 "$JUPYTER" nbconvert --to notebook --execute --allow-errors \
      --ExecutePreprocessor.startup_timeout=60 --ExecutePreprocessor.timeout=600 \
      --ExecutePreprocessor.kernel_name=paris-java \
      --output-dir "$WORK/out" --output "run$i" "$NOTEBOOK" >"$WORK/log$i" 2>&1; then
    if grep -q -E "Kernel didn't respond|Kernel died before replying|DeadKernelError|kernel_info" "$WORK/log$i"; then
      status="START-FAILURE"; start_failures=$((start_failures + 1))
    else
      status="FAILED"; other_failures=$((other_failures + 1))
    fi
  elif ! /usr/bin/python3 -c '
import json, sys
nb = json.load(open(sys.argv[1]))
errs = [o for c in nb["cells"] if c["cell_type"] == "code" for o in c.get("outputs", []) if o["output_type"] == "error"]
sys.exit(1 if errs else 0)' "$WORK/out/run$i.ipynb"; then
    status="CELL-ERROR"; other_failures=$((other_failures + 1))
  fi
  t=$(echo "$(date +%s.%N) - $t0" | bc)
  times+=("$t")
  printf 'run %2d  %-13s %6.1f s\n' "$i" "$status" "$t"
  [ "$status" = ok ] || tail -5 "$WORK/log$i" | sed 's/^/    /'
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(echo "$sorted" | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}')
printf 'runs %d  start failures %d  other failures %d  seconds per run: min %.1f  median %.1f  max %.1f\n' \
  "$N" "$start_failures" "$other_failures" "$(echo "$sorted" | head -1)" "$median" "$(echo "$sorted" | tail -1)"
[ $((start_failures + other_failures)) -eq 0 ]
