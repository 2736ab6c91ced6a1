#!/usr/bin/env bash
# One command from nothing to the registered learned ascent (`tsp_pi_gnn`, solver `tsp.pi+ils`):
# training venv -> quotient's own uncapped Held-Karp ascents on generated uniform and clustered
# instances (the tsp_pi_data example) -> supervised training (resumable) -> ONNX export with
# parity check.
#
#   neural/train/reproduce_pi.sh                        # the shipped model's settings
#   COUNT=40 MAX_N=300 MINUTES=1 neural/train/reproduce_pi.sh   # a quick smoke run
#
# Knobs (environment): COUNT (instances), SEED0, MIN_N, MAX_N, MINUTES (training), D, LAYERS,
# THREADS (data and training).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
COUNT=${COUNT:-500}
SEED0=${SEED0:-50000}
MIN_N=${MIN_N:-100}
MAX_N=${MAX_N:-1000}
MINUTES=${MINUTES:-12}
D=${D:-32}
LAYERS=${LAYERS:-6}
THREADS=${THREADS:-2}
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
fi
(cd "$ROOT" && cargo build --release --locked -q --workspace --example tsp_pi_data)
mkdir -p data
SET="data/pi-$COUNT-$SEED0-$MIN_N-$MAX_N.bin"
[ -s "$SET" ] || "$ROOT/target/release/examples/tsp_pi_data" gen "$SET" "$COUNT" "$SEED0" "$MIN_N" "$MAX_N" "$THREADS"
PYTHONPATH=. .venv/bin/python -m pi.train --data "$SET" --run runs/tsp-pi \
  --minutes "$MINUTES" --d "$D" --layers "$LAYERS" --threads "$THREADS"
CMD="neural/train/reproduce_pi.sh (COUNT=$COUNT SEED0=$SEED0 MIN_N=$MIN_N MAX_N=$MAX_N MINUTES=$MINUTES D=$D LAYERS=$LAYERS THREADS=$THREADS)"
METRICS=$(.venv/bin/python -c "import json,torch; print(json.dumps(torch.load('runs/tsp-pi/best.pt', weights_only=False)['metrics']))")
PYTHONPATH=. .venv/bin/python -m pi.export --ckpt runs/tsp-pi/best.pt --name tsp_pi_gnn \
  --trained-sizes "$MIN_N" "$MAX_N" --command "$CMD" --metrics "$METRICS"
