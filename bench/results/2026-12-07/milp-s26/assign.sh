#!/usr/bin/env bash
# Issue 26, session 26: milp.alns with the assignment operator (the default now; the commit is
# named in BENCHMARKS.md, its release binary copied to /work/bin26/quotient) against plain
# milp.highs on the four domains where the operator applies (bin packing, load balancing,
# multiple knapsack, item placement), seeds 1001-1005, 60 s, one thread each side by side,
# cores swapped pair by pair. Run from this folder. AGAINST / AGAINST_PARAMS / LABEL / OUT
# may be set to compare with other settings (e.g. AGAINST=milp.alns AGAINST_PARAMS=assignment=0).
export BIN=${BIN:-/work/bin26/quotient} DIR=${DIR:-/tmp/q26/proto}
export OUT=${OUT:-s26-assign-vs-highs.jsonl} LOG=${LOG:-s26-load.log} LABEL=${LABEL:-milp.alns}
names=""
for s in 1 2 3 4 5; do
  for d in binpack loadbal mknap placement; do names="$names $d-100$s"; done
done
NAMES=$names exec ../../../milp_pairs.sh
