#!/usr/bin/env bash
# How close an expert gets to its loss plateau within the demo's budget (issue 13, item 3).
#
#   bench/expert-convergence.sh RUN [cluster=0] [settings...]
#
# RUN is a run folder made by paris reproduce (its clustering and shards are read, never written);
# its run.json gives the budget per expert (expert steps x batch: 440 x 32 = 14,080 images at demo
# scale). Each setting LR:BATCH:STEPS trains expert `cluster` again, from scratch, in its own folder
# under build/bench/convergence/ (OUT overrides; symlinks to RUN's shards and clustering, a copy of its
# run.json), with one intra-op thread, two settings at a time. The default settings are for a demo run:
# the demo's budget at other learning rates and batch sizes, plus one run of four times that budget to
# show where the plateau lies. It then prints, per setting, the images seen, "loss at the end": the
# mean training loss over the last 15% of the run (fresh timesteps and noise every step, so an unbiased
# estimate), and "loss at budget": the same mean over the rows just before the run's budget, which
# only a run at least as long as the budget has ("-" otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${1:?usage: bench/expert-convergence.sh RUN [cluster] [LR:BATCH:STEPS ...]}
K=${2:-0}
shift $(( $# >= 2 ? 2 : 1 ))
SETTINGS=("$@")
if [ ${#SETTINGS[@]} -eq 0 ]; then
  SETTINGS=(1e-3:64:220 2e-3:64:220 1e-3:32:440 2e-3:32:440 3e-3:32:440 1e-3:16:880 1e-3:64:880)
fi
OUT=${OUT:-build/bench/convergence}
mkdir -p "$OUT"
RUN=$(cd "$RUN" && pwd)
for f in run.json shards clustering; do
  [ -e "$RUN/$f" ] || { echo "expert-convergence: $RUN has no $f; give a run folder made by paris reproduce" >&2; exit 1; }
done
./paris --version >/dev/null
train() {
  local s=$1 lr batch steps dir
  IFS=: read -r lr batch steps <<<"$s"
  dir="$OUT/lr$lr-b$batch-s$steps"
  mkdir -p "$dir"
  ln -sfn "$RUN/shards" "$dir/shards"
  ln -sfn "$RUN/clustering" "$dir/clustering"
  cp "$RUN/run.json" "$dir/run.json"
  echo "train $s -> $dir" >&2
  ./paris train-expert --run "$dir" --cluster "$K" --lr "$lr" --batch "$batch" --steps "$steps" --threads 1 \
    > "$dir/train.log" 2>&1 || { echo "expert-convergence: $s failed, see $dir/train.log" >&2; return 1; }
}
running=0
for s in "${SETTINGS[@]}"; do
  train "$s" &
  running=$((running + 1))
  if [ "$running" -ge 2 ]; then wait -n; running=$((running - 1)); fi
done
wait
python3 - "$OUT" "$K" "$RUN/run.json" "${SETTINGS[@]}" <<'PY'
import csv, json, sys, os
out, k, run_json, settings = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
expert = json.load(open(run_json))["expert"]
budget = expert["steps"] * expert["batch"]
print(f"expert {k}: mean training loss over the last 15% of each run; the run's budget per expert is"
      f" {expert['steps']} x {expert['batch']} = {budget} images")
print(f"{'lr':>8} {'batch':>6} {'steps':>6} {'images':>8} {'loss at the end':>16} {'loss at budget':>15}")
for s in settings:
    lr, batch, steps = s.split(":")
    f = os.path.join(out, f"lr{lr}-b{batch}-s{steps}", "experts", f"cluster-{k:02d}", "loss.csv")
    rows = [(int(r["step"]), float(r["loss"])) for r in csv.DictReader(open(f))]
    b, n = int(batch), int(steps)
    tail = [l for st, l in rows if st > 0.85 * n]
    at = [l for st, l in rows if 0.85 * budget < st * b <= budget]
    at_budget = f"{sum(at) / len(at):.4f}" if at else "-"
    print(f"{lr:>8} {batch:>6} {steps:>6} {b * n:>8} {sum(tail) / len(tail):>16.4f} {at_budget:>15}")
PY
