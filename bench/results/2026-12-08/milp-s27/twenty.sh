#!/usr/bin/env bash
# Issue 26, session 27: the protocol's 20 instances per domain at 60 s for four domains — auction2k
# seeds 1006-1020 (with rootgap.sh's 1001-1005: 20) and GISP seeds 1001-1020 (generated with
# `milp_domains.py gen /tmp/q27d/proto --domains auction2k,gisp --seeds 1-20`); later in the
# session `DOMAINS="indset setcover" ./twenty.sh` (seeds 1001-1020 each) the same way; the default
# (release /work/bin27/quotient) against plain HiGHS, one pair at a time, side by side, cores
# swapped pair by pair. DOMAINS may name one of them.
export BIN=${BIN:-/work/bin27/quotient} DIR=${DIR:-/tmp/q27d/proto} LOG=${LOG:-s27-load.log}
export LABEL=milp.alns
for d in ${DOMAINS:-auction2k gisp}; do
  names=""
  first=1001; [ "$d" = auction2k ] && first=1006
  for s in $(seq $first 1020); do names="$names $d-$s"; done
  NAMES=$names OUT=s27-$d-$first-1020-vs-highs.jsonl ../../../milp_pairs.sh
done
