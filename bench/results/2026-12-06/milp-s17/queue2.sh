#!/usr/bin/env bash
# Session 17 measurement queue, part 2 (idle machine): milp.alns adapt_share=1 vs milp.highs,
# then fresh TSP at 120 s.
set -u
cd /work/main
Q=/work/target-rel-m/quotient
echo "$(date +%T) milp adapt" >> /work/notes/queue.log
(cd bench/results/2026-12-06/milp-s17 && flip=0 && for s in 1 2 3; do for d in auction gisp indset; do
  f=$d-100$s; if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi
  echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) $f cores $c" >> s17-adapt-load.log
  python3 ../../../milp_domains.py --quotient $Q run /tmp/q26/proto --filter $f --out s17-adapt-vs-highs.jsonl -t 60 \
    --label alns-adapt --params adapt_share=1 --against milp.highs --cores $c 2>&1 | tail -1
done; done >> adapt.out)
echo "$(date +%T) fresh 120" >> /work/notes/queue.log
SIZES="2000 5000" Q=$Q bench/results/2026-12-06/tsp-fresh/run.sh 120 1 >> /work/notes/queue.log 2>&1
SIZES=10000 TAG=-popmusic ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100" Q=$Q bench/results/2026-12-06/tsp-fresh/run.sh 120 1 >> /work/notes/queue.log 2>&1
echo "$(date +%T) queue2 done" >> /work/notes/queue.log
touch /tmp/queue2-done
echo "$(date +%T) fresh 10k popmusic 30" >> /work/notes/queue.log
SIZES=10000 TAG=-popmusic ANCHORS_LKH_EXTRA="CANDIDATE_SET_TYPE = POPMUSIC;INITIAL_PERIOD = 100" Q=$Q bench/results/2026-12-06/tsp-fresh/run.sh 30 1 2 >> /work/notes/queue.log 2>&1
echo "$(date +%T) tsp-pi" >> /work/notes/queue.log
T=/work/target-rel bench/results/2026-12-06/tsp-pi/run.sh >> /work/notes/queue.log 2>&1
echo "$(date +%T) queue2b done" >> /work/notes/queue.log
touch /tmp/queue2b-done
