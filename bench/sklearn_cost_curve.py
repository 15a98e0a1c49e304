"""scikit-learn counterpart of org.parisjava.bench.ClusterCostCurve for bench/cluster-cost-curve.sh.

Synthetic features with the same recipe (N rows of D dimensions around 64 seeded centres in
[-1, 1]^D, uniform noise of half-width 0.5; numpy's generator, so not the same numbers), then
KMeans(64, one k-means++ init, ITERATIONS Lloyd iterations, tol 0), KMeans(8) over the fine
centroids weighted by their sizes (10 inits), and every row's coarse cluster through its nearest
fine centroid. Prints one JSON line: generation and clustering seconds (wall and process CPU).

    python bench/sklearn_cost_curve.py N D [ITERATIONS] [SEED]
"""
import json
import sys
import time

import numpy as np
from sklearn.cluster import KMeans

CHUNK = 16384


def main():
    n, d = int(sys.argv[1]), int(sys.argv[2])
    iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 42
    t0, c0 = time.perf_counter(), time.process_time()
    rng = np.random.default_rng(seed)
    centres = rng.uniform(-1, 1, size=(64, d)).astype(np.float32)
    x = centres[rng.integers(0, 64, size=n)]
    # the noise in chunks of rows: the same numbers as one (N, D) draw, without an N x D float64 array
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        x[lo:hi] += rng.uniform(-0.5, 0.5, size=(hi - lo, d)).astype(np.float32)
    gen, gen_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    fine = KMeans(n_clusters=64, n_init=1, max_iter=iterations, tol=0, random_state=seed).fit(x)
    sizes = np.bincount(fine.labels_, minlength=64)
    coarse = KMeans(n_clusters=8, n_init=10, random_state=seed).fit(fine.cluster_centers_, sample_weight=sizes)
    assign = coarse.labels_[fine.predict(x)]
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(json.dumps({"impl": "sklearn", "n": n, "d": d, "iterations": iterations, "generate_s": round(gen, 3),
                      "cluster_s": round(secs, 3), "cluster_cpu_s": round(cpu, 3), "generate_cpu_s": round(gen_cpu, 3),
                      "sizes": np.bincount(assign, minlength=8).tolist()}))


if __name__ == "__main__":
    main()
