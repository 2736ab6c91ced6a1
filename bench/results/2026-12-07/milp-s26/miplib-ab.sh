#!/usr/bin/env bash
# Issue 26, session 26: the three MIPLIB instances that milp.alns lost to milp.highs in
# miplib-assign.sh (and tied or won in session 20): milp.alns against itself without the
# assignment operator (assignment=0), 60 s, side by side as in assign.sh. Run from this folder.
export BIN=${BIN:-/work/bin26/quotient} DIR=/work/shared/bench/milp
export OUT=${OUT:-s26-miplib-assign-vs-noassign.jsonl} LOG=${LOG:-s26-load.log} LABEL=${LABEL:-milp.alns}
export AGAINST=milp.alns AGAINST_PARAMS=assignment=0 AGAINST_LABEL=milp.alns-noassign
NAMES="mcsched.mps neos-1456979.mps neos-2657525-crna.mps" exec ../../../milp_pairs.sh
