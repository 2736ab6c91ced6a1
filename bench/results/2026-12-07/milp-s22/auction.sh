#!/usr/bin/env bash
# Issue 26, session 22: the residual set-packing operator (`packing=1`, opt-in since session 20)
# against plain HiGHS on the auctions, at session 13's size (300 items x 1 500 bids) and at the
# larger size of the LNS literature's hard sets (2 000 x 4 000, domain `auction2k`):
#  C: `alns-packing` vs milp.highs on auction and auction2k seeds 1-5;
#  D: the default milp.alns vs milp.highs on auction2k seeds 1-5 (the baseline at the new size);
#  E: the default with HiGHS's root unpaused up to 30 s (`root_ms=30000`; the default is a quarter
#     of the budget, 15 s) vs milp.highs on auction2k seeds 1-5: is D's lost primal integral the pause?
# `milp_domains.py gen /tmp/q26/proto --domains auction,auction2k --seeds 1-5`; 60 s, one thread
# each, side by side, cores swapped, one pair at a time, nothing else running. Run from this folder;
# PARTS="C D" by default (E was run after them: PARTS=E).
set -u
export BIN=${BIN:-/work/bin22b/quotient} LOG=s22-load.log DIR=/tmp/q26/proto
big=$(for s in 1 2 3 4 5; do echo "auction2k-100$s"; done)
for part in ${PARTS:-C D}; do
  case $part in
    C) NAMES=$(for s in 1 2 3 4 5; do echo "auction-100$s auction2k-100$s"; done) LABEL=alns-packing \
         PARAMS=packing=1 OUT=s22-auction-packing-vs-highs.jsonl ../../../milp_pairs.sh ;;
    D) NAMES=$big LABEL=milp.alns OUT=s22-auction2k-default-vs-highs.jsonl ../../../milp_pairs.sh ;;
    E) NAMES=$big LABEL=alns-root30 PARAMS=root_ms=30000 OUT=s22-auction2k-root30-vs-highs.jsonl \
         ../../../milp_pairs.sh ;;
  esac
done
