#!/usr/bin/env bash
# Before/after outputs of the issue-22 refactor (second part): one thread, seed 7, iteration or
# step caps instead of time limits, so that the outputs depend on the code only.
#   run.sh TARGET_DIR OUT_DIR    (TARGET_DIR holds release/quotient and release/examples/parity)
# `elapsed_ms` is dropped from the JSON (wall time); everything else is compared byte for byte.
set -euo pipefail
T=$1; OUT=$2; I=$(cd "$(dirname "$0")/../../../../instances" && pwd)
mkdir -p "$OUT"
# The ONNX Runtime of scripts/setup (same library for both runs).
export ORT_DYLIB_PATH=${ORT_DYLIB_PATH:-$(ls "$(dirname "$0")"/../../../../.venv/lib/python3*/site-packages/onnxruntime/capi/libonnxruntime.so.* | tail -1)}
export QUOTIENT_ORT_PROVIDER=cpu
parity() { "$T/release/examples/parity" "$@" > "$OUT/parity-$1.txt"; }
parity tsp.ils "$I/tsp/uniform-n200-s1.tsp" 3000 7
parity cvrp.sisr "$I/cvrp/X-style-n100-s1.vrp" 3000 7
parity jssp.tabu "$I/jssp/ta-style-10x10-s1.txt" 3000 7
parity milp.alns "$I/milp/setcover-100x200-s1.mps" 30 7
solve() {
  local name=$1; shift
  "$T/release/quotient" solve "$@" --threads 1 --seed 7 --json \
    | python3 -c 'import json,sys; v=json.load(sys.stdin); v.pop("elapsed_ms"); print(json.dumps(v, sort_keys=True))' \
    > "$OUT/solve-$name.json"
}
solve tsp.nn "$I/tsp/uniform-n200-s1.tsp" --solver tsp.nn
solve cvrp.savings "$I/cvrp/X-style-n100-s1.vrp" --solver cvrp.savings
solve jssp.dispatch "$I/jssp/ta-style-10x10-s1.txt" --solver jssp.dispatch
solve milp.highs "$I/milp/setcover-100x200-s1.mps" --solver milp.highs
solve tsp.bq "$I/tsp/uniform-n200-s1.tsp" --solver tsp.bq
solve tsp.bq-beam4 "$I/tsp/uniform-n200-s1.tsp" --solver tsp.bq --beam 4
solve tsp.bq-samples8 "$I/tsp/uniform-n200-s1.tsp" --solver tsp.bq --param samples=8
solve cvrp.bq "$I/cvrp/X-style-n100-s1.vrp" --solver cvrp.bq
solve jssp.gnn "$I/jssp/ta-style-10x10-s1.txt" --solver jssp.gnn
solve jssp.l2s-steps300 "$I/jssp/ta-style-10x10-s1.txt" --solver jssp.l2s --steps 300
echo "outputs in $OUT"
