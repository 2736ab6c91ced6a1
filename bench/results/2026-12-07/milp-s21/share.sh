#!/usr/bin/env bash
# Issue 26, session 21: the share of HiGHS's own search rising while the LNS finds nothing
# (`--param share_rise=1`: the LNS's part of a round halves every 4 sub-MIPs in a row without a
# new best, down to 10 %) and HiGHS's part by use (`share_by_use=1`: at least its share of the
# time the LNS's part took), both opt-in, as one candidate `alns-rise`.
#  A: alns-rise vs milp.highs on the 23 MIPLIB instances session 20's default lost to milp.highs
#     and its 12 largest wins (names below), to set beside session 20's pairs;
#  B: alns-rise vs the default milp.alns on GISP, indset and set cover (where the LNS wins;
#     `milp_domains.py gen /tmp/q26/proto --domains gisp,indset,setcover --seeds 1-5`).
# 60 s, one thread each, side by side, cores swapped pair by pair, one pair at a time, nothing
# else running. Run from this folder; PARTS="A B" by default.
set -u
BIN=${BIN:-/work/bin21/quotient}
LOSSES="air04 tr12-30 swath3 mod011 ic97_potential icir97_tension neos-1445765 markshare1 dano3_5
markshare2 neos-4338804-snowy rocI-4-11 timtab1 roll3000 graphdraw-domain cost266-UUE supportcase18 qiu
istanbul-no-cutoff mad supportcase26 rococoB10-011000 nw04"
WINS="cvs16r128-89 fastxgemm-n2r6s0t2 neos-1171737 nexp-150-20-8-5 comp21-2idx b1c1s1 neos-3754480-nidda
glass4 rmatr100-p10 ns1830653 qap10 neos-1456979"
flip=0
cores() { if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi; }
for part in ${PARTS:-A B}; do
  if [ "$part" = A ]; then
    for n in $LOSSES $WINS; do
      cores
      echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) A $n cores $c" >> s21-load.log
      python3 ../../../milp_domains.py --quotient "$BIN" run /work/shared/bench/milp --filter "$n.mps" \
        --out s21-miplib-rise-vs-highs.jsonl -t 60 --solver milp.alns --label alns-rise \
        --params share_rise=1 share_by_use=1 --against milp.highs --cores $c 2>&1 | tail -1
    done
  else
    for s in 1 2 3 4 5; do
      for d in gisp indset setcover; do
        cores
        echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) B $d-100$s cores $c" >> s21-load.log
        python3 ../../../milp_domains.py --quotient "$BIN" run /tmp/q26/proto --filter "$d-100$s" \
          --out s21-domains-rise-vs-default.jsonl -t 60 --solver milp.alns --label alns-rise \
          --params share_rise=1 share_by_use=1 --against milp.alns --cores $c 2>&1 | tail -1
      done
    done
  fi
done
echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) done" >> s21-load.log
