#!/usr/bin/env bash
# Issue 20 (session 23), the final default at 2 000 and 5 000 nodes side by side with LKH-3 (30 s; at 5 000
# nodes with POPMUSIC candidates: LKH-3's default ascent gave no tour within 30 s). From the repository root:
#   Q=/work/bin23/quotient-d bench/results/2026-12-07/tsp-s23/queue3.sh
set -u
export Q=${Q:-target/release/quotient}
export R=bench/results/2026-12-07/tsp-s23/final
run=bench/results/2026-12-06/tsp-fresh/run.sh
SIZES=2000 $run 30 1
ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100" SIZES=5000 TAG=-popmusic $run 30 1
