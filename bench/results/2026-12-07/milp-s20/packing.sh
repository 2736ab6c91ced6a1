#!/usr/bin/env bash
# Issue 26, session 20: the residual set-packing operator (`--param packing=1`, opt-in) vs the
# shipped default, both `milp.alns`, side by side on the auctions of sessions 13-19 (`milp_domains.py
# gen /tmp/q26/proto --domains auction --seeds 1-5`), 60 s, one thread each, cores swapped pair by
# pair, one pair at a time. Run from this folder; DOMAINS / SEEDS choose other instances, BIN /
# OUT / LOG another build, results file and load log (session 21 ran it with
# BIN=/work/bin21/quotient OUT=../milp-s21/s21-packing-vs-default.jsonl LOG=../milp-s21/s21-load.log).
set -u
BIN=${BIN:-/work/bin20p/quotient}
OUT=${OUT:-s20-packing-vs-default.jsonl}
LOG=${LOG:-s20-load.log}
flip=0
for s in ${SEEDS:-1 2 3 4 5}; do
  for d in ${DOMAINS:-auction}; do
    if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi
    echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) packing $d-100$s cores $c" >> "$LOG"
    python3 ../../../milp_domains.py --quotient "$BIN" run /tmp/q26/proto --filter "$d-100$s" \
      --out "$OUT" -t 60 --solver milp.alns --label alns-packing --params packing=1 \
      --against milp.alns --against-label milp.alns --cores $c 2>&1 | tail -1
  done
done
