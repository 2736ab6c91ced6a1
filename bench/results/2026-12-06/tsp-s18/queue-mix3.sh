#!/usr/bin/env bash
# As queue.sh, with the binary of the next commit (3 nearest + quadrant neighbours mixed into the
# sparse ascent's alpha lists by default), then the large set at 60 s. From the repository root:
#   Q=/work/target-rel-m/quotient bench/results/2026-12-06/tsp-s18/queue-mix3.sh
set -u
export Q=${Q:-target/release/quotient}
export R=bench/results/2026-12-06/tsp-s18
export ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100"
run=bench/results/2026-12-06/tsp-fresh/run.sh
SIZES=10000 TAG=-popmusic-mix3 $run 30 1 2
SIZES=10000 TAG=-popmusic-mix3 $run 120 1
SIZES=20000 TAG=-popmusic-mix3 $run 120 1
taskset -c 0 $Q bench ../shared/bench/tsp --filter pr1002,fnl4461,usa13509 -t 60 --threads 1 --seed 1 --solver tsp.ils --out $R/large-60s-mix3-a.csv > $R/large-60s-mix3-a.txt 2>&1 &
taskset -c 1 $Q bench ../shared/bench/tsp --filter pcb3038,rl5915,d18512 -t 60 --threads 1 --seed 1 --solver tsp.ils --out $R/large-60s-mix3-b.csv > $R/large-60s-mix3-b.txt 2>&1
wait
