#!/usr/bin/env bash
# Issue 26, session 27: on which of the 103 hard MIPLIB instances does the far-gap root rule act?
# Each instance once, 16 s, milp.alns with root_ms=15000 and the rule off (root_gap=0): the
# message says whether HiGHS's root node was done at the pause and HiGHS's gap then (the rule
# goes on past 15 s of a 60 s run only when the root is not done and the gap is >= 1 000 %).
# Two at a time, one per core. Output: miplib-probe.txt (name, message).
BIN=${BIN:-/work/bin27/quotient} DIR=${DIR:-/work/shared/bench/milp}
names=$(tr ',' '\n' < ../../2026-11-22/milp-hard103-filter.txt | sed 's/^=//')
one() {
  msg=$(taskset -c "$2" "$BIN" solve "$DIR/$1.mps.gz" --solver milp.alns --threads 1 -t 16 \
    --param root_ms=15000 --param root_gap=0 --json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin).get("message","")[:160])' 2>/dev/null)
  echo "$1 | $msg"
}
set -- $names
while [ $# -gt 0 ]; do
  one "$1" 0 & a=$!
  [ $# -gt 1 ] && { one "$2" 1 & }
  wait
  shift; [ $# -gt 0 ] && shift
done
