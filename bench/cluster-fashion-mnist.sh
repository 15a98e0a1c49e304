#!/usr/bin/env bash
# Times `paris cluster` on the 60,000 Fashion-MNIST training images against scikit-learn doing the
# same recipe (PCA-50 fitted on 10,000 images, KMeans(64), size-weighted KMeans(8) over the fine
# centroids, nearest-fine-centroid assignment), side by side, median of RUNS runs each.
#
#   bench/cluster-fashion-mnist.sh [RUNS]          (default 3)
#
# Needs: /usr/bin/time, Debian's dataset-fashion-mnist and python3-sklearn (run with /usr/bin/python3).
# Wall time and peak RSS are /usr/bin/time -v's for the whole process: the Java column includes JVM
# start, reading the IDX files, and writing shards, assignments, the composition figure and the
# grids, which the Python script does not do; the k-means column compares the clustering alone.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-3}"
FM="${FASHION_MNIST_DIR:-/usr/share/datasets/fashion-mnist}"
PY=/usr/bin/python3
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

"$ROOT/paris" build >/dev/null   # build once, outside the timed runs

for i in $(seq 1 "$RUNS"); do
  /usr/bin/time -v -o "$WORK/java-$i.time" "$ROOT/paris" cluster --dataset fashion-mnist \
      --fashion-mnist-dir "$FM" --out "$WORK/run-$i" --seed 42 >"$WORK/java-$i.log" 2>&1 \
      || { cat "$WORK/java-$i.log"; exit 1; }
  cp "$WORK/run-$i/clustering/summary.json" "$WORK/java-$i.json"
  rm -rf "$WORK/run-$i"
  /usr/bin/time -v -o "$WORK/smile-$i.time" "$ROOT/paris" cluster --dataset fashion-mnist --fine-engine smile \
      --fashion-mnist-dir "$FM" --out "$WORK/run-$i" --seed 42 >"$WORK/smile-$i.log" 2>&1 \
      || { cat "$WORK/smile-$i.log"; exit 1; }
  cp "$WORK/run-$i/clustering/summary.json" "$WORK/smile-$i.json"
  rm -rf "$WORK/run-$i"
  /usr/bin/time -v -o "$WORK/py-$i.time" "$PY" "$ROOT/bench/sklearn_cluster.py" "$FM" 42 >"$WORK/py-$i.json"
done

"$PY" "$ROOT/bench/bench_table.py" "$WORK" "$RUNS"
