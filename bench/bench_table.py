"""Prints the side-by-side table of bench/cluster-fashion-mnist.sh from its run folder: medians
over the rounds, and the median of the per-round ratios scikit-learn / Java (above 1 = Java faster)."""
import json
import re
import statistics
import sys


def gnu_time(path):
    text = open(path).read()
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", text).group(1)
    secs = 0.0
    for part in wall.split(":"):
        secs = secs * 60 + float(part)
    cpu = float(re.search(r"User time \(seconds\): (\S+)", text).group(1)) \
        + float(re.search(r"System time \(seconds\): (\S+)", text).group(1))
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return secs, cpu, rss_kib / 1024


def main():
    work, runs = sys.argv[1], int(sys.argv[2])
    who = sys.argv[3:] or ["java", "py"]
    rows = {w: [] for w in who}
    for i in range(1, runs + 1):
        for w in who:
            wall, cpu, rss = gnu_time(f"{work}/{w}-{i}.time")
            res = json.load(open(f"{work}/{w}-{i}.json"))
            kmeans = res["seconds"]["kmeans"]
            purity = res["purity"] if w == "py" else res["purity"]["label"]
            rows[w].append((wall, cpu, rss, kmeans, purity))
    med = {w: [statistics.median(r[j] for r in rows[w]) for j in range(5)] for w in rows}
    try:
        load = [float(x) for x in open(f"{work}/load").read().split()]
    except OSError:
        load = []
    print(f"Fashion-MNIST train, 60,000 images, PCA-50 + KMeans(64) + KMeans(8); median of {runs} alternating "
          f"round(s); 1-min load average {min(load, default=0):.1f}..{max(load, default=0):.1f}")
    print(f"{'':34} {'wall s':>8} {'CPU s':>7} {'peak RSS MiB':>13} {'k-means s':>10} {'purity (K=8)':>13}")
    names = {"java": "paris cluster (Java)", "smile": "paris cluster --fine-engine smile",
             "py": "scikit-learn (same recipe)"}
    for w in who:
        wall, cpu, rss, km, pur = med[w]
        print(f"{names[w]:34} {wall:8.1f} {cpu:7.1f} {rss:13.0f} {km:10.2f} {pur:13.3f}")
    for w in who:
        if w == "py":
            continue
        rw = statistics.median(p[0] / j[0] for p, j in zip(rows["py"], rows[w]))
        rc = statistics.median(p[1] / j[1] for p, j in zip(rows["py"], rows[w]))
        print(f"ratio scikit-learn / {names[w]}: wall {rw:.2f}x, CPU {rc:.2f}x (median of per-round ratios; "
              f">1 = Java faster)")


if __name__ == "__main__":
    main()
