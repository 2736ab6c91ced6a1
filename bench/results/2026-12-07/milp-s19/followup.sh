#!/usr/bin/env bash
# Issue 26, session 19, after the new default's 35 pairs (run before the clean-clone CI, as followup.sh): (1) the MIPLIB direction check of
# session 13 on its 8 instances: the new default vs the binary of session 18 (24c3392f, the old
# default) side by side, 60 s; (2) adapt_share=1 with the new operators vs milp.highs on auction
# and GISP, 60 s. One pair at a time, cores swapped pair by pair. Run from this folder.
NEW=${NEW:-/work/bin19/quotient}
OLD=${OLD:-/work/bin18/quotient}
flip=0
cores() { if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi; }
for f in cod105 lotsize mas74 mkc neos-4738912-atrato ns1830653 pk1 rocI-4-11; do
  cores
  echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) miplib $f cores $c" >> s19-load.log
  python3 ../../../milp_domains.py --quotient $NEW run /work/shared/bench/milp --filter $f \
    --out s19-miplib-new-vs-old.jsonl -t 60 --label alns-s19 --against milp.alns --against-bin $OLD \
    --against-label alns-s18 --cores $c 2>&1 | tail -1
done
for s in 1 2 3 4 5; do
  for d in auction gisp; do
    cores
    echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) adapt $d-100$s cores $c" >> s19-load.log
    python3 ../../../milp_domains.py --quotient $NEW run /tmp/q26/proto --filter $d-100$s \
      --out s19-adapt-vs-highs.jsonl -t 60 --label alns-adapt --params adapt_share=1 \
      --against milp.highs --cores $c 2>&1 | tail -1
  done
done
echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) after-ci done" >> s19-load.log
