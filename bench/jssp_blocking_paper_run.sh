#!/usr/bin/env bash
# Issue 25, "the ISBJSSP paper's instances": the blocking job shops' dispatching (the rules and
# the GNN job-order policy; no time limit reached), then the improvement search and CP-SAT at
# the same limit side by side: jssp.blocking pinned to core 0 and CP-SAT (one worker) pinned to
# core 1, started together, each under /usr/bin/time -v (user CPU s, peak RSS); then the
# improvement search at a short limit alone on core 0, and the table. Run it under the shared
# benchmark lock:
#   flock /tmp/bench.lock bench/jssp_blocking_paper_run.sh OUTDIR [LIMIT] ["GLOBS"] [variants] [SHORT]
# GLOBS is `quotient bench --filter` (comma-separated globs), e.g. "ta0?,ta10"; the variant
# iswap is solved offline as swap (no interruption is stated in an instance), so it is run for
# the deterministic dispatchers only, to show it gives the swap values.
set -euo pipefail
out=${1:?outdir}; limit=${2:-10}; globs=${3:-ta0?,ta10}; variants=${4:-swap blocking}
short=${5:-1}
q=target/release/quotient
d=../shared/bench/jssp
py=${PY:-/work/venv-train/bin/python}
mkdir -p "$out"
files=$(for g in ${globs//,/ }; do ls $d/$g.txt; done)
uptime > "$out/load.txt"
for v in $variants iswap; do
  $q bench $d --filter "$globs" --variant "$v" -t 60 --threads 1 --seed 1 \
    --solver jssp.blocking-gnn --out "$out/gnn-$v.csv" > "$out/gnn-$v.log" 2>&1
  $q bench $d --filter "$globs" --variant "$v" -t 60 --threads 1 --seed 1 \
    --solver jssp.blocking-dispatch --out "$out/dispatch-$v.csv" > "$out/dispatch-$v.log" 2>&1
done
for v in $variants; do
  echo "$v start: $(uptime)" >> "$out/load.txt"
  /usr/bin/time -v -o "$out/time-ig$limit-$v.txt" taskset -c 0 \
    $q bench $d --filter "$globs" --variant "$v" -t "$limit" --threads 1 --seed 1 \
    --solver jssp.blocking --out "$out/ig$limit-$v.csv" > "$out/ig$limit-$v.log" 2>&1 &
  /usr/bin/time -v -o "$out/time-cpsat$limit-$v.txt" taskset -c 1 \
    "$py" bench/jssp_blocking_cpsat.py --variant "$v" -t "$limit" --threads 1 --seed 1 \
    --quotient "$q" --solutions "$out/cpsat-solutions" --out "$out/cpsat-$v.csv" $files \
    > "$out/cpsat-$v.log" 2>&1 &
  wait
  echo "$v end: $(uptime)" >> "$out/load.txt"
  /usr/bin/time -v -o "$out/time-ig$short-$v.txt" taskset -c 0 \
    $q bench $d --filter "$globs" --variant "$v" -t "$short" --threads 1 --seed 1 \
    --solver jssp.blocking --out "$out/ig$short-$v.csv" > "$out/ig$short-$v.log" 2>&1
  python3 bench/jssp_blocking_gnn_compare.py --gnn "$out/gnn-$v.csv" --dispatch "$out/dispatch-$v.csv" \
    --ig-short "$out/ig$short-$v.csv" --ig "$out/ig$limit-$v.csv" --cpsat "$out/cpsat-$v.csv" \
    --short-label "IG $short s" --label "IG $limit s" --cpsat-label "CP-SAT $limit s" > "$out/table-$v.md"
done
