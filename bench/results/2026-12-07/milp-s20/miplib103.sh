#!/usr/bin/env bash
# Issue 26, session 20: the no-loss condition. The shipped `milp.alns` default (session 19's
# closure operator, one arm per operator, sub-MIPs at budget/60) vs `milp.highs` on the 103 hard
# MIPLIB instances of session 6 (`../../2026-11-22/milp-hard103-filter.txt`), 60 s, one thread
# each, side by side, cores swapped pair by pair, one pair at a time, nothing else running.
# Run from this folder; continues an interrupted run (milp_domains.py skips pairs already done).
set -u
BIN=${BIN:-/work/bin20/quotient}
OUT=${OUT:-s20-miplib103-alns-vs-highs.jsonl}
flip=0
for n in $(tr ',' '\n' < ../../2026-11-22/milp-hard103-filter.txt | sed 's/^=//'); do
  if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi
  echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) $n cores $c" >> s20-load.log
  python3 ../../../milp_domains.py --quotient "$BIN" run /work/shared/bench/milp --filter "$n.mps" \
    --out "$OUT" -t 60 --label milp.alns --against milp.highs --cores $c 2>&1 | tail -1
done
echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) done" >> s20-load.log
