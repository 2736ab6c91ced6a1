#!/usr/bin/env bash
# Issue 26's side-by-side runs, one pair at a time: for each instance name in NAMES (a
# `milp_domains.py run --filter`), `milp.alns` with PARAMS (recorded as LABEL) against AGAINST
# (default milp.highs; AGAINST_PARAMS its parameters, AGAINST_LABEL its recorded name, which
# must differ from LABEL), 60 s (T), one thread each, cores swapped
# pair by pair; a line per pair with the time and load average in LOG. The session scripts under
# bench/results/ set these and call it.
#   BIN   the quotient binary         DIR   the instances (e.g. /tmp/q26/proto or shared/bench/milp)
#   OUT   the results (jsonl)         LOG   the load log
set -u
here=$(cd "$(dirname "$0")" && pwd)
: "${BIN:?}" "${DIR:?}" "${NAMES:?}" "${OUT:?}" "${LOG:?}" "${LABEL:?}"
flip=0
for n in $NAMES; do
  if [ $flip = 0 ]; then c="0 1"; flip=1; else c="1 0"; flip=0; fi
  echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) $LABEL $n cores $c" >> "$LOG"
  # shellcheck disable=SC2086 # PARAMS, AGAINST_PARAMS and the cores are lists.
  python3 "$here/milp_domains.py" --quotient "$BIN" run "$DIR" --filter "$n" --out "$OUT" \
    -t "${T:-60}" --solver milp.alns --label "$LABEL" ${PARAMS:+--params $PARAMS} \
    --against "${AGAINST:-milp.highs}" ${AGAINST_PARAMS:+--against-params $AGAINST_PARAMS} \
    ${AGAINST_LABEL:+--against-label "$AGAINST_LABEL"} \
    --cores $c 2>&1 | tail -1
done
echo "$(date +%T) $(cut -d' ' -f1-3 /proc/loadavg) $LABEL done" >> "$LOG"
