#!/usr/bin/env bash
# Issue 26, session 22: HiGHS's root unpaused up to 30 s (`root_ms=30000`, candidate `alns-root30`;
# it met the condition on auction2k, auction.sh part E) vs the default milp.alns (15 s) on GISP,
# indset and set cover seeds 1-5, where the LNS wins: does the longer root cost it there?
# 60 s, one thread each, side by side, cores swapped, one pair at a time. Run from this folder.
set -u
export BIN=${BIN:-/work/bin22b/quotient} LOG=s22-load.log DIR=/tmp/q26/proto
NAMES=$(for s in 1 2 3 4 5; do for d in gisp indset setcover; do echo "$d-100$s"; done; done) \
  LABEL=alns-root30 PARAMS=root_ms=30000 AGAINST=milp.alns OUT=s22-domains-root30-vs-default.jsonl \
  ../../../milp_pairs.sh
