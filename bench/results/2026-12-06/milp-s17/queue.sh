#!/usr/bin/env bash
# Session 17 measurement queue (idle machine, one thing at a time).
set -u
cd /work/main
Q=/work/target-rel/release/quotient
B=/work/target-rel/release/examples/tsp_bench
while [ ! -f /tmp/q26-done ]; do sleep 5; done
echo "$(date +%T) fresh 30" >> /work/notes/queue.log
Q=$Q bench/results/2026-12-06/tsp-fresh/run.sh 30 1 2 >> /work/notes/queue.log 2>&1
echo "$(date +%T) threads study" >> /work/notes/queue.log
H=gr229,lin318,rd400,fl417,gr431,d493,att532,ali535,pa561,u574,rat575,p654,d657,gr666,u724,dsj1000
R=bench/results/2026-12-06/tsp-threads-s17
for w in 0 4 2; do
  (cd solvers && uptime > ../$R/hard16-th2-w$w-s1.txt && $B --dir ../../shared/bench/tsp --time 10 --threads 2 --filter $H --seed 1 --walkers $w >> ../$R/hard16-th2-w$w-s1.txt 2>&1 && uptime >> ../$R/hard16-th2-w$w-s1.txt)
done
echo "$(date +%T) milp adapt" >> /work/notes/queue.log
(cd bench/results/2026-12-06/milp-s17 && flip=0 && for s in 1 2 3 4 5; do for d in auction gisp indset; do
  f=$d-100$s; if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi
  echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) $f cores $c" >> s17-adapt-load.log
  python3 ../../../milp_domains.py --quotient $Q run /tmp/q26/proto --filter $f --out s17-adapt-vs-highs.jsonl -t 60 \
    --label alns-adapt --params adapt_share=1 --against milp.highs --cores $c 2>&1 | tail -1
done; done >> adapt.out)
echo "$(date +%T) fresh 120" >> /work/notes/queue.log
Q=$Q bench/results/2026-12-06/tsp-fresh/run.sh 120 1 >> /work/notes/queue.log 2>&1
echo "$(date +%T) queue done" >> /work/notes/queue.log
touch /tmp/queue-done
