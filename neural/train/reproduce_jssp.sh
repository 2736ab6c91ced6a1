#!/usr/bin/env bash
# One command from nothing to the two registered job-shop graph policies: training venv ->
# expert data (quotient's own tabu search and exact move evaluation, via the jssp_data example)
# -> imitation training (resumable) -> ONNX export with parity check -> evaluation on Taillard.
#
#   neural/train/reproduce_jssp.sh            # the shipped models' settings
#   COUNT=10 MINUTES=2 neural/train/reproduce_jssp.sh   # a quick smoke run
#
# Knobs (environment): COUNT (dispatch instances per size), ICOUNT (improvement instances per
# size), TABU (expert tabu seconds per instance), EPS (off-expert moves), MINUTES (training time per
# policy), D, LAYERS, THREADS.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
COUNT=${COUNT:-100}
ICOUNT=${ICOUNT:-60}
TABU=${TABU:-1.0}
EPS=${EPS:-0.2}
MINUTES=${MINUTES:-25}
D=${D:-64}
LAYERS=${LAYERS:-3}
THREADS=${THREADS:-1}
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
fi
(cd "$ROOT" && cargo build --release --locked -q && cargo build --release --locked -q --workspace --example jssp_data)
GEN="$ROOT/target/release/examples/jssp_data"
mkdir -p data/jssp runs
"$GEN" improve 10x10,15x15,20x15,20x20,30x15 "$ICOUNT" 1000 0 "$EPS" 4 data/jssp/improve.bin 2> data/jssp/improve.log
"$GEN" dispatch 10x10,15x15,20x15,20x20 "$COUNT" 2000 "$TABU" "$EPS" 4 data/jssp/dispatch.bin 2> data/jssp/dispatch.log
for P in improve dispatch; do
  PYTHONPATH=. .venv/bin/python -m gnn.train --data "data/jssp/$P.bin" --run "runs/jssp-$P" \
    --minutes "$MINUTES" --d "$D" --layers "$LAYERS" --threads "$THREADS"
done
CMD="neural/train/reproduce_jssp.sh (COUNT=$COUNT ICOUNT=$ICOUNT TABU=$TABU EPS=$EPS MINUTES=$MINUTES D=$D LAYERS=$LAYERS)"
PYTHONPATH=. .venv/bin/python -m gnn.export --ckpt runs/jssp-improve/best.pt --name jssp_improve_gnn \
  --trained-sizes 100 225 300 400 450 --command "$CMD"
PYTHONPATH=. .venv/bin/python -m gnn.export --ckpt runs/jssp-dispatch/best.pt --name jssp_dispatch_gnn \
  --trained-sizes 100 225 300 400 --command "$CMD"
BENCH="$ROOT/../shared/bench/jssp"
if [ -d "$BENCH" ]; then
  Q="$ROOT/target/release/quotient"
  "$Q" bench "$BENCH" --filter 'ta*' --solver jssp.gnn -t 600 --threads 1 --out runs/jssp-gnn-ta.csv
  "$Q" bench "$BENCH" --filter 'ta*' --solver jssp.dispatch -t 600 --threads 1 --out runs/jssp-dispatch-ta.csv
  "$Q" bench "$BENCH" --filter 'ta*' --solver jssp.l2s --steps 5000 -t 600 --threads 1 --out runs/jssp-l2s-ta.csv
else
  echo "reproduce_jssp: $BENCH absent; skipping the Taillard evaluation" >&2
fi
