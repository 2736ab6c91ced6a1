#!/usr/bin/env bash
# Issue 26, session 26: the no-loss condition where the assignment operator changes anything:
# milp.alns (the default, with the operator) vs milp.highs on those of the 103 hard MIPLIB
# instances of session 6 (`../../2026-11-22/milp-hard103-filter.txt`) where `Assignment::detect`
# finds the structure (the list in `miplib-assign-names.txt`; on the others the arms, and so the
# runs, are session 20's), 60 s, one thread each, side by side, cores swapped pair by pair.
# Run from this folder.
export BIN=${BIN:-/work/bin26/quotient} DIR=/work/shared/bench/milp
export OUT=${OUT:-s26-miplib-assign-vs-highs.jsonl} LOG=${LOG:-s26-load.log} LABEL=${LABEL:-milp.alns}
NAMES=$(sed 's/$/.mps/' miplib-assign-names.txt | tr '\n' ' ') exec ../../../milp_pairs.sh
