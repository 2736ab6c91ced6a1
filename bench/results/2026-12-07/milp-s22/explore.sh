#!/usr/bin/env bash
# Issue 26, session 22: the rising share of session 21 (`share_rise=1 share_by_use=1`) now with
# every arm played twice in turn before the bandit chooses and before sub-MIPs without a new best
# count towards the rise (EXPLORE_PLAYS), as one candidate `alns-explore`.
#  B: vs the default milp.alns on GISP, indset and set cover seeds 1-5 (where session 21's rise
#     lost 0/0/5, 1/1/3, 1/2/2; `milp_domains.py gen /tmp/q26/proto --domains gisp,indset,setcover
#     --seeds 1-5`);
#  A: vs milp.highs on session 21's 35 MIPLIB instances (session 20's 23 losses and 12 largest
#     wins; the names are share.sh's).
# 60 s, one thread each, side by side, cores swapped, one pair at a time, nothing else running.
# Run from this folder; PARTS="B A" by default. The second candidate `alns-record` (the halving
# period from the LNS's record, `halving_period`, beside the turns; build bin22b):
#   BIN=/work/bin22b/quotient LABEL=alns-record ./explore.sh
set -u
export BIN=${BIN:-/work/bin22/quotient} LOG=s22-load.log LABEL=${LABEL:-alns-explore}
export PARAMS="share_rise=1 share_by_use=1"
for part in ${PARTS:-B A}; do
  if [ "$part" = B ]; then
    NAMES=$(for s in 1 2 3 4 5; do for d in gisp indset setcover; do echo "$d-100$s"; done; done) \
      DIR=/tmp/q26/proto OUT=s22-domains-${LABEL#alns-}-vs-default.jsonl AGAINST=milp.alns ../../../milp_pairs.sh
  else
    eval "$(awk '/^(LOSSES|WINS)="/,/"$/' ../milp-s21/share.sh)"
    NAMES=$(for n in $LOSSES $WINS; do echo "$n.mps"; done) \
      DIR=/work/shared/bench/milp OUT=s22-miplib-${LABEL#alns-}-vs-highs.jsonl ../../../milp_pairs.sh
  fi
done
