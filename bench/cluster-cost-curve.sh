#!/usr/bin/env bash
# Clustering cost curve, Java (org.parisjava.bench.ClusterCostCurve) against scikit-learn
# (bench/sklearn_cost_curve.py): synthetic features at several N and D, the two-stage k-means
# (64 fine, K = 8) with a fixed number of Lloyd iterations on both sides, alternating Java and
# Python point by point. Prints wall and CPU seconds of the clustering and the whole process's
# peak RSS (data included) from /usr/bin/time.
#
#   PYTHON=python3 bench/cluster-cost-curve.sh ["60000x50 250000x50 1000000x50 60000x1024 ..."] [ITERATIONS=20]
#   ROUNDS=3 PYTHON=python3 bench/cluster-cost-curve.sh "60000x1024"   (Java, Python, Java, Python, ... per point)
#
# With ROUNDS > 1 the table gives medians over the rounds and the median of the per-round ratios.
#
# Memory: N x D floats are held twice on the Java side (rows and GEMM blocks), 1,000,000 x 1024
# needs about 9 GB of heap; JAVA_XMX (default 12g) sets the heap.
set -euo pipefail
cd "$(dirname "$0")/.."
POINTS=${1:-"60000x50 250000x50 1000000x50 60000x1024 250000x1024 1000000x1024"}
ITER=${2:-20}
PY="${PYTHON:-python3}"
OUT=${OUT:-build/bench}
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
LOG="$OUT/cluster-cost-curve-$(date +%Y%m%d-%H%M%S).jsonl"
mvn -B -q -o test-compile -pl paris-lib
mvn -B -q -o dependency:build-classpath -pl paris-lib -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/cp.txt" >/dev/null
CP="paris-lib/target/classes:paris-lib/target/test-classes:$(cat "$OUT/cp.txt")"
T="$(mktemp)"
trap 'rm -f "$T"' EXIT
rss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$T"; }
for p in $POINTS; do
  n=${p%x*}; d=${p#*x}
  for round in $(seq "${ROUNDS:-1}"); do
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -v -o "$T" java -Xmx"${JAVA_XMX:-12g}" -cp "$CP" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
        org.parisjava.bench.ClusterCostCurve "$n" "$d" "$ITER" 42 2>/dev/null | grep '^{' \
        | sed "s/}\$/, \"peak_rss_mib\": $(echo 0), \"load\": $load}/" > "$T.json"
    sed -i "s/\"peak_rss_mib\": 0/\"peak_rss_mib\": $(rss)/" "$T.json"; cat "$T.json" | tee -a "$LOG"
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -v -o "$T" "$PY" bench/sklearn_cost_curve.py "$n" "$d" "$ITER" 42 \
        | sed "s/}\$/, \"peak_rss_mib\": 0, \"load\": $load}/" > "$T.json"
    sed -i "s/\"peak_rss_mib\": 0/\"peak_rss_mib\": $(rss)/" "$T.json"; cat "$T.json" | tee -a "$LOG"
  done
done
rm -f "$T.json"
"$PY" - "$LOG" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
points = []
for r in rows:
    if (r["n"], r["d"]) not in points:
        points.append((r["n"], r["d"]))
print("\n| N | D | rounds | Java CPU s (wall s) | scikit-learn CPU s (wall s) | ratio CPU (wall) | Java peak MiB | scikit-learn peak MiB | load |")
print("|---|---|---|---|---|---|---|---|---|")
med = statistics.median
for n, d in points:
    j = [r for r in rows if r["impl"] == "java" and (r["n"], r["d"]) == (n, d)]
    p = [r for r in rows if r["impl"] == "sklearn" and (r["n"], r["d"]) == (n, d)]
    k = min(len(j), len(p))
    if k == 0:
        continue
    j, p = j[:k], p[:k]
    cpu = med(b["cluster_cpu_s"] / a["cluster_cpu_s"] for a, b in zip(j, p))
    wall = med(b["cluster_s"] / a["cluster_s"] for a, b in zip(j, p))
    loads = [r["load"] for r in j + p]
    print(f"| {n:,} | {d} | {k} | {med(r['cluster_cpu_s'] for r in j):.2f} ({med(r['cluster_s'] for r in j):.1f}) "
          f"| {med(r['cluster_cpu_s'] for r in p):.2f} ({med(r['cluster_s'] for r in p):.1f}) | {cpu:.2f}x ({wall:.2f}x) "
          f"| {max(r['peak_rss_mib'] for r in j)} | {max(r['peak_rss_mib'] for r in p)} | {min(loads)}-{max(loads)} |")
PY
