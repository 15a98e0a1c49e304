#!/usr/bin/env python3
"""Reference values for the evaluation metrics, written beside fixed random features.

KID: the unbiased MMD^2 with the cubic polynomial kernel (x.y/d + 1)^3 of Binkowski et al. 2018
(arXiv 1801.01401), written here with numpy from the paper's formula. Precision and recall:
Kynkaanniemi et al. 2019 (arXiv 1904.06991) with k = 3, k-th neighbour radii inside each set.
The Java tests (MetricsFixtureTest) read the output and must agree to 1e-9.

Run with any Python that has numpy:  python3 scripts/make_metric_fixtures.py
"""
import json
import pathlib

import numpy as np

OUT = pathlib.Path(__file__).resolve().parent.parent / "paris-lib/src/test/resources/metrics/reference.json"


def kid(x, y):
    d = x.shape[1]
    kxx = (x @ x.T / d + 1) ** 3
    kyy = (y @ y.T / d + 1) ** 3
    kxy = (x @ y.T / d + 1) ** 3
    m, n = len(x), len(y)
    return ((kxx.sum() - np.trace(kxx)) / (m * (m - 1))
            + (kyy.sum() - np.trace(kyy)) / (n * (n - 1))
            - 2 * kxy.mean())


def radii(x, k):
    d2 = ((x[:, None, :] - x[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d2, np.inf)
    return np.sort(d2, axis=1)[:, k - 1]


def coverage(q, manifold, r2):
    d2 = ((q[:, None, :] - manifold[None, :, :]) ** 2).sum(-1)
    return float((d2 <= r2[None, :]).any(axis=1).mean())


def main():
    rng = np.random.default_rng(2024)
    real = rng.normal(size=(40, 8)).astype(np.float32)
    gen = (rng.normal(size=(30, 8)) * 1.3 + 0.4).astype(np.float32)
    r64, g64 = real.astype(np.float64), gen.astype(np.float64)
    k = 3
    out = {
        "real": real.tolist(),
        "generated": gen.tolist(),
        "kid": float(kid(r64, g64)),
        "kid_real_halves": float(kid(r64[:20], r64[20:])),
        "precision": coverage(g64, r64, radii(r64, k)),
        "recall": coverage(r64, g64, radii(g64, k)),
        "k": k,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print({key: out[key] for key in ("kid", "kid_real_halves", "precision", "recall")})


if __name__ == "__main__":
    main()
