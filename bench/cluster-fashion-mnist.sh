#!/usr/bin/env bash
# Times `paris cluster` on the 60,000 Fashion-MNIST training images against scikit-learn doing the
# same recipe (PCA-50 fitted on 10,000 images, KMeans(64), size-weighted KMeans(8) over the fine
# centroids, nearest-fine-centroid assignment), alternating Java and Python run by run so both see
# the same machine load; prints medians and the median of the per-round ratios, in wall time and in
# CPU time (user + system), which is the fairer measure when other processes share the cores.
#
#   PYTHON=python3 bench/cluster-fashion-mnist.sh [RUNS]          (default 3)
#
# PYTHON: an interpreter with scikit-learn and numpy (default python3). SMILE=1 adds a third
# column, `paris cluster --fine-engine smile`. Needs /usr/bin/time and the Fashion-MNIST IDX files
# (FASHION_MNIST_DIR, default Debian's dataset-fashion-mnist). Wall time, CPU time and peak RSS are
# /usr/bin/time -v's for the whole process: the Java column includes JVM start, reading the IDX
# files, and writing pca.json, clustering.json, assignments.csv, 8 shards, the composition table and
# chart and the 8 example grids, which the Python script does not do.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
FM="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
PY="${PYTHON:-python3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$ROOT/paris" build >/dev/null   # build once, outside the timed runs
"$PY" -c 'import sklearn, numpy; print("peer: scikit-learn", sklearn.__version__, "numpy", numpy.__version__)'

WHO="java py"
[ "${SMILE:-0}" = 1 ] && WHO="java smile py"
for i in $(seq 1 "$RUNS"); do
  echo "round $i/$RUNS  load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  echo "$(cut -d' ' -f1 /proc/loadavg)" >> "$WORK/load"
  for who in $WHO; do
    case "$who" in
      java|smile)
        extra=(); [ "$who" = smile ] && extra=(--fine-engine smile)
        /usr/bin/time -v -o "$WORK/$who-$i.time" "$ROOT/paris" cluster --dataset fashion-mnist "${extra[@]}" \
            --fashion-mnist-dir "$FM" --out "$WORK/run-$i" --seed 42 >"$WORK/$who-$i.log" 2>&1 \
            || { cat "$WORK/$who-$i.log"; exit 1; }
        cp "$WORK/run-$i/clustering/summary.json" "$WORK/$who-$i.json"
        rm -rf "$WORK/run-$i" ;;
      py)
        /usr/bin/time -v -o "$WORK/py-$i.time" "$PY" "$ROOT/bench/sklearn_cluster.py" "$FM" 42 >"$WORK/py-$i.json" ;;
    esac
  done
done

"$PY" "$ROOT/bench/bench_table.py" "$WORK" "$RUNS" $WHO
