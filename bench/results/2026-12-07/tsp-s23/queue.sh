#!/usr/bin/env bash
# Issue 20 (session 23): tsp.ils with the local search on LKH's transformed costs (pi_costs=1, the
# new default) and the greedy start's fragments joined by greedy matching. One thread each, one
# core each, everything under one lock (nothing else timed). From the repository root:
#   Q=/work/bin23/quotient-b bench/results/2026-12-07/tsp-s23/queue.sh
set -u
export Q=${Q:-target/release/quotient}
export R=bench/results/2026-12-07/tsp-s23
B=../shared/bench/tsp
mkdir -p $R
# 1. TSPLIB n <= 1000 at 10 s: the new default on core 0, pi_costs=0 (the same binary) on core 1.
taskset -c 0 $Q bench $B --max-size 1000 -t 10 --threads 1 --seed 1 --solver tsp.ils \
  --out $R/tsplib-10s-pi1.csv > $R/tsplib-10s-pi1.log 2>&1 &
taskset -c 1 $Q bench $B --max-size 1000 -t 10 --threads 1 --seed 1 --solver tsp.ils --param pi_costs=0 \
  --out $R/tsplib-10s-pi0.csv > $R/tsplib-10s-pi0.log 2>&1 &
wait
# 2. The large set at 60 s, both arms, three instances per core.
for arm in 1 0; do
  taskset -c 0 $Q bench $B --filter pr1002,fnl4461,usa13509 -t 60 --threads 1 --seed 1 --solver tsp.ils \
    --param pi_costs=$arm --out $R/large-60s-pi$arm-a.csv > $R/large-60s-pi$arm-a.log 2>&1 &
  taskset -c 1 $Q bench $B --filter pcb3038,rl5915,d18512 -t 60 --threads 1 --seed 1 --solver tsp.ils \
    --param pi_costs=$arm --out $R/large-60s-pi$arm-b.csv > $R/large-60s-pi$arm-b.log 2>&1 &
  wait
done
# 3. Fresh instances side by side with LKH-3 (bench/results/2026-12-06/tsp-fresh/run.sh; the CLI default).
run=bench/results/2026-12-06/tsp-fresh/run.sh
ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100" SIZES=10000 TAG=-popmusic $run 30 1 2
ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100" SIZES="10000 20000" TAG=-popmusic $run 120 1
SIZES="2000 5000" $run 30 1
