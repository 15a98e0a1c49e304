"""Sums a chrome-trace JSON (libtorch profiler, from DJL or torch) per operator: total ms and calls.

Usage: python3 bench/profile_summary.py TRACE.json [top]
"""
import collections
import json
import sys


def main():
    with open(sys.argv[1]) as f:
        data = json.load(f)
    events = data["traceEvents"] if isinstance(data, dict) else data
    total = collections.Counter()
    calls = collections.Counter()
    spans = []
    for e in events:
        if e.get("ph") == "X" and "dur" in e:
            spans.append((e.get("tid"), e["ts"], e["ts"] + e["dur"], e["name"]))
    # self time: subtract children nested in the same thread
    spans.sort(key=lambda s: (s[0], s[1], -s[2]))
    stack = []
    selftime = collections.Counter()
    for tid, start, end, name in spans:
        while stack and (stack[-1][0] != tid or stack[-1][2] <= start):
            stack.pop()
        if stack:
            selftime[stack[-1][3]] -= end - start
        selftime[name] += end - start
        calls[name] += 1
        stack.append((tid, start, end, name))
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    whole = sum(v for v in selftime.values())
    print(f"self time total {whole / 1e3:.1f} ms")
    for name, us in selftime.most_common(top):
        print(f"{us / 1e3:10.1f} ms {100 * us / whole:5.1f}% {calls[name]:6d}  {name}")


if __name__ == "__main__":
    main()
