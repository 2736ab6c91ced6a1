#!/usr/bin/env bash
# Issue 26, session 27: the two of the 103 MIPLIB instances where the far-gap root rule acted in
# miplib-probe.sh (cvs16r128-89, graph20-20-1rand): the default (rule on) against plain HiGHS and
# against itself with root_gap=0, 60 s, one pair each, side by side.
export BIN=${BIN:-/work/bin27/quotient} DIR=${DIR:-/work/shared/bench/milp} LOG=${LOG:-s27-load.log}
export NAMES="cvs16r128-89 graph20-20-1rand" LABEL=milp.alns
OUT=s27-miplib-rootgap-vs-highs.jsonl ../../../milp_pairs.sh
OUT=s27-miplib-rootgap-vs-off.jsonl AGAINST=milp.alns AGAINST_PARAMS=root_gap=0 \
  AGAINST_LABEL=alns-rootgap0 ../../../milp_pairs.sh
