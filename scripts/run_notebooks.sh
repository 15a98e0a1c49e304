#!/usr/bin/env bash
# Executes the notebooks in place on the paris-java kernel, so that their committed outputs are
# fresh. Scale from PARIS_SCALE (default demo); run folders default to runs/<scale> (resumed, so
# run `./paris reproduce --preset demo` and, for 06,
# `./paris reproduce --preset demo --dataset fashion-mnist --out runs/demo/fashion-mnist` first to
# keep this short).
#   scripts/run_notebooks.sh                    # every notebook
#   scripts/run_notebooks.sh notebooks/03-router.ipynb
set -euo pipefail
cd "$(dirname "$0")/.."
export PARIS_SCALE="${PARIS_SCALE:-demo}"
./paris kernel install >/dev/null
notebooks=("$@")
if [ ${#notebooks[@]} -eq 0 ]; then
  notebooks=(notebooks/*.ipynb)
fi
for nb in "${notebooks[@]}"; do
  echo "== $nb (PARIS_SCALE=$PARIS_SCALE)"
  start=$(date +%s)
  /usr/bin/python3 -m nbconvert --to notebook --execute --inplace \
    --ExecutePreprocessor.kernel_name=paris-java --ExecutePreprocessor.timeout=7200 "$nb"
  echo "   $(( $(date +%s) - start )) s"
done
