#!/usr/bin/env bash
set -u
cd /work/main
Q=/work/target-rel-m/quotient
while [ ! -f /tmp/queue2b-done ]; do sleep 3; done
echo "$(date +%T) milp adapt other domains" >> /work/notes/queue.log
(cd bench/results/2026-12-06/milp-s17 && flip=0 && for s in 1 2; do for d in setcover mknap loadbal binpack; do
  f=$d-100$s; if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi
  echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) $f cores $c" >> s17-adapt-load.log
  python3 ../../../milp_domains.py --quotient $Q run /tmp/q26/proto --filter $f --out s17-adapt-vs-highs.jsonl -t 60 \
    --label alns-adapt --params adapt_share=1 --against milp.highs --cores $c 2>&1 | tail -1
done; done >> adapt.out)
echo "$(date +%T) queue3 done" >> /work/notes/queue.log
touch /tmp/queue3-done
