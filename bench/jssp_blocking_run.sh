#!/usr/bin/env bash
# Issue 25: jssp.blocking side by side with CP-SAT on the Lawrence instances read as blocking
# job shops (BJSSP: --variant blocking, SBJSSP: --variant swap), one thread each, same limit,
# both running at the same time. Usage: bench/jssp_blocking_run.sh OUTDIR LIMIT "GLOB" [variants]
set -euo pipefail
out=${1:?outdir}; limit=${2:-10}; glob=${3:-la*}; variants=${4:-blocking swap}
q=target/release/quotient
d=../shared/bench/jssp
py=.venv-anchors/bin/python
mkdir -p "$out"
files=$(ls $d/$glob.txt)
for v in $variants; do
  $q bench $d --filter "$glob" --variant "$v" -t 0.01 --threads 1 --seed 1 \
    --solver jssp.blocking-dispatch --out "$out/dispatch-$v.csv" > /dev/null
  $q bench $d --filter "$glob" --variant "$v" -t "$limit" --threads 1 --seed 1 \
    --solver jssp.blocking --out "$out/quotient-$v.csv" > "$out/quotient-$v.log" 2>&1 &
  $py bench/jssp_blocking_cpsat.py --variant "$v" -t "$limit" --threads 1 --seed 1 \
    --quotient "$q" --solutions "$out/cpsat-solutions" --out "$out/cpsat-$v.csv" $files \
    > "$out/cpsat-$v.log" 2>&1 &
  wait
  python3 bench/jssp_blocking_compare.py --quotient "$out/quotient-$v.csv" \
    --dispatch "$out/dispatch-$v.csv" --cpsat "$out/cpsat-$v.csv" > "$out/table-$v.md"
done
