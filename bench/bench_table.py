"""Prints the side-by-side table of bench/cluster-fashion-mnist.sh from its run folder (medians)."""
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
    rss_kib = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    return secs, rss_kib / 1024


def main():
    work, runs = sys.argv[1], int(sys.argv[2])
    rows = {"java": [], "smile": [], "py": []}
    for i in range(1, runs + 1):
        for who in rows:
            wall, rss = gnu_time(f"{work}/{who}-{i}.time")
            res = json.load(open(f"{work}/{who}-{i}.json"))
            kmeans = res["seconds"]["kmeans"]
            purity = res["purity"] if who == "py" else res["purity"]["label"]
            rows[who].append((wall, rss, kmeans, purity))
    med = {w: [statistics.median(r[j] for r in rows[w]) for j in range(4)] for w in rows}
    print(f"Fashion-MNIST train, 60,000 images, PCA-50 + KMeans(64) + KMeans(8); median of {runs} run(s)")
    print(f"{'':34} {'wall s':>8} {'peak RSS MiB':>13} {'k-means s':>10} {'purity (K=8)':>13}")
    names = {"java": "paris cluster (Java)", "smile": "paris cluster --fine-engine smile",
             "py": "scikit-learn (same recipe)"}
    for w in ("java", "smile", "py"):
        wall, rss, km, pur = med[w]
        print(f"{names[w]:34} {wall:8.1f} {rss:13.0f} {km:10.2f} {pur:13.3f}")


if __name__ == "__main__":
    main()
