#!/usr/bin/env bash
# Issue 20 (session 23), the final default: transformed costs (pi_costs=1) and the walkers after the
# first started from noisy greedy tours (start_noise=100, i.e. edge costs scaled by [1, 2) for the
# greedy order). One thread each, one core each, under one lock. From the repository root:
#   Q=/work/bin23/quotient-d bench/results/2026-12-07/tsp-s23/queue2.sh
set -u
export Q=${Q:-target/release/quotient}
export R=bench/results/2026-12-07/tsp-s23/final
B=../shared/bench/tsp
mkdir -p $R
run=bench/results/2026-12-06/tsp-fresh/run.sh
export ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100"
SIZES=10000 TAG=-popmusic $run 30 1 2
SIZES="10000 20000" TAG=-popmusic $run 120 1
unset ANCHORS_LKH_EXTRA
taskset -c 0 $Q bench $B --filter pr1002,fnl4461,usa13509 -t 60 --threads 1 --seed 1 --solver tsp.ils \
  --out $R/large-60s-a.csv > $R/large-60s-a.log 2>&1 &
taskset -c 1 $Q bench $B --filter pcb3038,rl5915,d18512 -t 60 --threads 1 --seed 1 --solver tsp.ils \
  --out $R/large-60s-b.csv > $R/large-60s-b.log 2>&1 &
wait
for s in 1 2; do
  taskset -c $((s - 1)) $Q bench $B --max-size 1000 -t 10 --threads 1 --seed $s --solver tsp.ils \
    --out $R/tsplib-10s-s$s.csv > $R/tsplib-10s-s$s.log 2>&1 &
done
wait
