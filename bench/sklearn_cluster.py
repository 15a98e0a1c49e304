"""scikit-learn counterpart of `paris cluster --dataset fashion-mnist` for bench/cluster-fashion-mnist.sh.

Same recipe as the Java pipeline's defaults: pixels scaled to [-1, 1]; PCA-50 fitted on the first
10,000 training images, applied to all 60,000; KMeans(64) (one k-means++ init, like the Java fine stage);
KMeans(8) over the 64 fine centroids weighted by their sizes (10 inits, like the Java coarse
step); every image goes to the coarse cluster of its nearest fine centroid. Prints one JSON line:
stage times, peak RSS and label purity.

    /usr/bin/python3 bench/sklearn_cluster.py [FASHION_MNIST_DIR] [SEED]
"""
import gzip
import json
import resource
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
    t = {}
    t0 = time.perf_counter()
    images = read_idx(f"{root}/train-images-idx3-ubyte.gz")
    labels = read_idx(f"{root}/train-labels-idx1-ubyte.gz")
    x = images.reshape(len(images), -1).astype(np.float32) / 127.5 - 1.0  # (N, 784)
    t["load"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    pca = PCA(n_components=50, svd_solver="full").fit(x[:10000])
    f = pca.transform(x)  # (N, 50)
    t["pca"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    fine = KMeans(n_clusters=64, n_init=1, max_iter=100, tol=1e-4, random_state=seed).fit(f)
    sizes = np.bincount(fine.labels_, minlength=64)
    coarse = KMeans(n_clusters=8, n_init=10, max_iter=100, random_state=seed).fit(
        fine.cluster_centers_, sample_weight=sizes)
    t["kmeans"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    assign = coarse.labels_[fine.predict(f)]  # nearest fine centroid -> its coarse cluster
    t["assign"] = time.perf_counter() - t0

    hits = sum(np.bincount(labels[assign == k]).max() for k in range(8) if (assign == k).any())
    print(json.dumps({
        "seconds": {k: round(v, 3) for k, v in t.items()},
        "total_seconds": round(sum(t.values()), 3),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "sizes": np.bincount(assign, minlength=8).tolist(),
        "purity": round(float(hits) / len(labels), 4),
    }))


if __name__ == "__main__":
    main()
