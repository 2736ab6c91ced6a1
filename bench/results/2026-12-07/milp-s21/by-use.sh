#!/usr/bin/env bash
# Issue 26, session 21: `share_by_use=1` alone (HiGHS's part of a round at least its share of
# the time the LNS's part took; the share itself fixed at 50 %) vs the default milp.alns on the
# three GISP instances where share.sh's candidate (with `share_rise=1`) lost, and vs milp.highs
# on nw04 (the loss it was made for). 60 s, one thread each, side by side, cores swapped.
set -u
BIN=${BIN:-/work/bin21/quotient}
flip=0
cores() { if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi; }
for s in 1 2 3; do
  cores
  echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) by-use gisp-100$s cores $c" >> s21-load.log
  python3 ../../../milp_domains.py --quotient "$BIN" run /tmp/q26/proto --filter "gisp-100$s" \
    --out s21-domains-byuse-vs-default.jsonl -t 60 --solver milp.alns --label alns-byuse \
    --params share_by_use=1 --against milp.alns --cores $c 2>&1 | tail -1
done
cores
echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) by-use nw04 cores $c" >> s21-load.log
python3 ../../../milp_domains.py --quotient "$BIN" run /work/shared/bench/milp --filter "nw04.mps" \
  --out s21-miplib-byuse-vs-highs.jsonl -t 60 --solver milp.alns --label alns-byuse \
  --params share_by_use=1 --against milp.highs --cores $c 2>&1 | tail -1
