#!/usr/bin/env bash
# Issue 26, session 19: milp.alns (closure operator, per-operator centres, one arm per operator,
# sub-MIPs at budget/60) vs milp.highs at 60 s, nothing else running, one pair at a time,
# cores swapped pair by pair. Run from this folder. The binary: main at the commit named in
# BENCHMARKS.md, copied to /work/bin19/quotient.
Q=${Q:-/work/bin19/quotient}
flip=0
for s in 1 2 3 4 5; do
  for d in auction gisp indset setcover mknap loadbal binpack; do
    f=$d-100$s
    if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi
    echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) $f cores $c" >> s19-load.log
    python3 ../../../milp_domains.py --quotient $Q run /tmp/q26/proto --filter $f \
      --out s19-default-vs-highs.jsonl -t 60 --label milp.alns --against milp.highs --cores $c 2>&1 | tail -1
  done
done
echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) done" >> s19-load.log
