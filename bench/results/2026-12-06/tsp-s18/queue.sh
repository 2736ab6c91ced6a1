#!/usr/bin/env bash
# Issue 20/21 (session 18): fresh 10 000- and 20 000-node instances, `tsp.ils` with the sparse ascent
# (the CLI default settings, one thread) side by side with LKH-3 POPMUSIC (one core each), run under
# flock so that no other timed run overlaps. From the repository root:
#   Q=/work/target-rel-m/quotient bench/results/2026-12-06/tsp-s18/queue.sh
set -u
export Q=${Q:-target/release/quotient}
export R=bench/results/2026-12-06/tsp-s18
export ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100"
run=bench/results/2026-12-06/tsp-fresh/run.sh
SIZES=10000 TAG=-popmusic $run 30 1 2
SIZES=10000 TAG=-popmusic $run 120 1
SIZES=20000 TAG=-popmusic $run 120 1
