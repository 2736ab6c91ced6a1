#!/usr/bin/env bash
# Issue 26, session 27: milp.alns with the far-gap root rule (`root_gap`, 1 000 %, the default
# now; release binary of the commit named in BENCHMARKS.md copied to /work/bin27/quotient) on the
# 2 000-item auctions (auction2k, seeds 1001-1005), 60 s, one thread each side by side, cores
# swapped pair by pair: against plain HiGHS (highspy), then against itself with `root_gap=0`
# (the rule off: session 26's default). Run from this folder.
export BIN=${BIN:-/work/bin27/quotient} DIR=${DIR:-/tmp/q27d/proto} LOG=${LOG:-s27-load.log}
names=""
for s in 1 2 3 4 5; do names="$names auction2k-100$s"; done
export NAMES=$names LABEL=milp.alns
OUT=s27-auction2k-rootgap-vs-highs.jsonl ../../../milp_pairs.sh
OUT=s27-auction2k-rootgap-vs-off.jsonl AGAINST=milp.alns AGAINST_PARAMS=root_gap=0 \
  AGAINST_LABEL=alns-rootgap0 ../../../milp_pairs.sh
