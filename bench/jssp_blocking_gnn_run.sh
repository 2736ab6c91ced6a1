#!/usr/bin/env bash
# Issue 25, the blocking job shops' GNN dispatching policy: jssp.blocking-gnn (greedy, one
# model call per job) against jssp.blocking-dispatch (the best of every rule) and jssp.blocking
# (iterated greedy) at SHORT seconds, on the Lawrence (or other) instances read as BJSSP and
# SBJSSP, one thread each, seed 1; the table also takes the long-limit IG and CP-SAT CSVs of
# REF (session 13's bench/jssp_blocking_run.sh outputs) when they are there.
# Usage: bench/jssp_blocking_gnn_run.sh OUTDIR [SHORT] ["GLOB"] [variants] [REF]
set -euo pipefail
out=${1:?outdir}; short=${2:-1}; glob=${3:-la*}; variants=${4:-blocking swap}
ref=${5:-bench/results/2026-12-06/blocking-25}
q=target/release/quotient
d=../shared/bench/jssp
mkdir -p "$out"
for v in $variants; do
  # Neither the GNN nor the rules run until the limit: 60 s only bounds them.
  $q bench $d --filter "$glob" --variant "$v" -t 60 --threads 1 --seed 1 \
    --solver jssp.blocking-gnn --out "$out/gnn-$v.csv" > "$out/gnn-$v.log" 2>&1
  $q bench $d --filter "$glob" --variant "$v" -t 60 --threads 1 --seed 1 \
    --solver jssp.blocking-dispatch --out "$out/dispatch-$v.csv" > "$out/dispatch-$v.log" 2>&1
  $q bench $d --filter "$glob" --variant "$v" -t "$short" --threads 1 --seed 1 \
    --solver jssp.blocking --out "$out/ig$short-$v.csv" > "$out/ig$short-$v.log" 2>&1
  if [ -f "$ref/quotient-$v.csv" ] && [ -f "$ref/cpsat-$v.csv" ]; then
    python3 bench/jssp_blocking_gnn_compare.py --gnn "$out/gnn-$v.csv" --dispatch "$out/dispatch-$v.csv" \
      --ig-short "$out/ig$short-$v.csv" --ig "$ref/quotient-$v.csv" --cpsat "$ref/cpsat-$v.csv" \
      --short-label "IG $short s" > "$out/table-$v.md"
  fi
done
