#!/usr/bin/env bash
# Session 17 measurement queue, part 1: fresh TSP at 30 s after the MILP batch.
set -u
cd /work/main
Q=/work/target-rel-m/quotient
while [ ! -f /tmp/q26-done ]; do sleep 5; done
echo "$(date +%T) fresh 30" >> /work/notes/queue.log
Q=$Q bench/results/2026-12-06/tsp-fresh/run.sh 30 1 2 >> /work/notes/queue.log 2>&1
echo "$(date +%T) queue1 done" >> /work/notes/queue.log
touch /tmp/queue1-done
