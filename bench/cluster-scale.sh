#!/usr/bin/env bash
# Paper-scale clustering memory and time (issue 10, item 6).
#
#   bench/cluster-scale.sh [N...]            default N: 100000 300000 1000000
#   FINE=128 K=8 FIT=20000 XMX=512m DIM=1024 bench/cluster-scale.sh
#
# For each N, writes N synthetic 1024-d features (a mixture of 64 Gaussians, the width of DINOv2
# ViT-L/14 features) as feature shards of 50,000 rows, then clusters them in a fresh JVM with a fixed
# heap cap: a reservoir sample of FIT rows, two-stage k-means (FINE fine, K coarse) on the sample, and
# a streamed assignment of every row (org.parisjava.cluster.StreamingClustering). Prints one JSON line
# per N: seconds per pass, peak heap, peak RSS. 1M x 1024 is 4 GB of float32 on disk: check df first.
# The folders go under OUT (default build/bench/cluster-scale) and are deleted after each N.
set -euo pipefail
cd "$(dirname "$0")/.."
FINE=${FINE:-128}
K=${K:-8}
FIT=${FIT:-20000}
XMX=${XMX:-512m}
DIM=${DIM:-1024}
OUT=${OUT:-build/bench/cluster-scale}
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(100000 300000 1000000)
mkdir -p "$OUT"

mvn -B -q -o test-compile -pl paris-lib
mvn -B -q -o dependency:build-classpath -pl paris-lib -Dmdep.includeScope=test -Dmdep.outputFile="$(cd "$OUT" && pwd)/cp.txt" >/dev/null
# A copy of the compiled classes, so that a build during a long run does not change the code measured.
rm -rf "$OUT/classes" "$OUT/test-classes"
cp -r paris-lib/target/classes "$OUT/classes"
cp -r paris-lib/target/test-classes "$OUT/test-classes"
CP="$OUT/classes:$OUT/test-classes:$(cat "$OUT/cp.txt")"
MAIN=org.parisjava.bench.ClusterScaleBenchmark

for n in "${SIZES[@]}"; do
  dir="$OUT/n$n"
  rm -rf "$dir"
  java -Xmx1g -cp "$CP" "$MAIN" generate "$dir" "$n" "$DIM" 50000 7
  echo "N=$n: $(du -sh "$dir" | cut -f1) of features; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  java "-Xmx$XMX" -XX:+UseSerialGC -cp "$CP" "$MAIN" cluster "$dir" "$FINE" "$K" "$FIT" 2>/dev/null
  echo "N=$n: assignments.bin sha256 $(sha256sum "$dir/assignments.bin" | cut -c1-16); load after $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  rm -rf "$dir"
done
