#!/usr/bin/env bash
# One command from nothing to a registered BQ model: training venv -> labelled data (quotient's
# own solvers) -> training (resumable) -> ONNX export with parity check -> evaluation through
# quotient (ort, Rust decoding).
#
#   neural/train/reproduce.sh tsp       # the shipped TSP model's settings
#   neural/train/reproduce.sh cvrp      # the shipped CVRP model's settings
#   STEPS=200 COUNT=300 neural/train/reproduce.sh tsp   # a quick smoke run
#
# Knobs (environment): N, COUNT (labelled instances), LABEL_TIME (solver seconds per label),
# STEPS, BATCH, D, LAYERS, MAX_MINUTES, THREADS (torch CPU threads), EVAL_COUNT, CAPACITY (CVRP).
set -euo pipefail
FAMILY=${1:?usage: reproduce.sh tsp|cvrp}
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
N=${N:-100}
COUNT=${COUNT:-1200}
LABEL_TIME=${LABEL_TIME:-0.2}
STEPS=${STEPS:-6000}
BATCH=${BATCH:-64}
D=${D:-128}
LAYERS=${LAYERS:-4}
MAX_MINUTES=${MAX_MINUTES:-0}
THREADS=${THREADS:-0}
EVAL_COUNT=${EVAL_COUNT:-1000}
CAPACITY=${CAPACITY:-50}
RUN=runs/${FAMILY}${N}-d${D}-l${LAYERS}

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
fi
(cd "$ROOT" && cargo build --release --locked -q && cargo build --release --locked -q --workspace --example bq_eval)
export QUOTIENT="$ROOT/target/release/quotient"

.venv/bin/python -m bq.data "$FAMILY" --n "$N" --count "$COUNT" --seed0 1000 --time-limit "$LABEL_TIME" \
  --capacity "$CAPACITY" --out "data/${FAMILY}${N}.npz"
.venv/bin/python -m bq.train --family "$FAMILY" --data "data/${FAMILY}${N}.npz" --run "$RUN" \
  --steps "$STEPS" --batch "$BATCH" --d "$D" --layers "$LAYERS" --threads "$THREADS" --max-minutes "$MAX_MINUTES"
.venv/bin/python -m bq.export --ckpt "$RUN/best.pt" --name "${FAMILY}_bq" --family "$FAMILY" --trained-sizes "$N" \
  --command "neural/train/reproduce.sh $FAMILY (N=$N COUNT=$COUNT LABEL_TIME=$LABEL_TIME STEPS=$STEPS BATCH=$BATCH D=$D LAYERS=$LAYERS MAX_MINUTES=$MAX_MINUTES)"
.venv/bin/python -m bq.evaluate --family "$FAMILY" --n "$N" --count "$EVAL_COUNT" --seed0 900000 --ref-time 1 \
  --capacity "$CAPACITY" --out "runs/eval-${FAMILY}${N}"
