#!/usr/bin/env bash
# One command from nothing to a registered BQ model: training venv -> labelled data (quotient's
# own solvers) -> training (resumable) -> ONNX export with parity check -> evaluation through
# quotient (ort, Rust decoding).
#
#   neural/train/reproduce.sh tsp       # the shipped TSP model's settings
#   neural/train/reproduce.sh cvrp      # the shipped CVRP model's settings
#   STEPS=200 COUNT=300 neural/train/reproduce.sh tsp   # a quick smoke run
#
# Knobs (environment): N, COUNT (labelled instances), SEED0 (first instance seed), LABEL_TIME
# (solver seconds per label), STEPS, BATCH, D, LAYERS, GEO (1: geometric features and
# distance-biased attention, model.py), MAX_MINUTES, THREADS (torch CPU threads), EVAL_COUNT,
# CAPACITY (CVRP). The defaults are the shipped models' settings (neural/models/models.json
# records the exact run, including where it was stopped and resumed).
set -euo pipefail
FAMILY=${1:?usage: reproduce.sh tsp|cvrp}
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
N=${N:-100}
if [ "$FAMILY" = tsp ]; then
  COUNT=${COUNT:-10000}; SEED0=${SEED0:-20000}; STEPS=${STEPS:-9500}; LABEL_TIME=${LABEL_TIME:-0.2}
else
  COUNT=${COUNT:-1000}; SEED0=${SEED0:-1000}; STEPS=${STEPS:-6000}; LABEL_TIME=${LABEL_TIME:-0.3}
fi
BATCH=${BATCH:-64}
D=${D:-128}
LAYERS=${LAYERS:-4}
GEO=${GEO:-1}
MAX_MINUTES=${MAX_MINUTES:-0}
THREADS=${THREADS:-0}
EVAL_COUNT=${EVAL_COUNT:-1000}
CAPACITY=${CAPACITY:-50}
DATA=data/${FAMILY}${N}-s${SEED0}-c${COUNT}.npz
GEO_FLAG=""
RUN=runs/${FAMILY}${N}-d${D}-l${LAYERS}
if [ "$GEO" = 1 ]; then GEO_FLAG=--geo; RUN=$RUN-geo; fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
fi
(cd "$ROOT" && cargo build --release --locked -q && cargo build --release --locked -q --workspace --example bq_eval)
export QUOTIENT="$ROOT/target/release/quotient"

.venv/bin/python -m bq.data "$FAMILY" --n "$N" --count "$COUNT" --seed0 "$SEED0" --time-limit "$LABEL_TIME" \
  --capacity "$CAPACITY" --out "$DATA"
.venv/bin/python -m bq.train --family "$FAMILY" --data "$DATA" --run "$RUN" \
  --steps "$STEPS" --batch "$BATCH" --d "$D" --layers "$LAYERS" $GEO_FLAG --threads "$THREADS" --max-minutes "$MAX_MINUTES"
.venv/bin/python -m bq.export --ckpt "$RUN/best.pt" --name "${FAMILY}_bq" --family "$FAMILY" --trained-sizes "$N" \
  --command "neural/train/reproduce.sh $FAMILY (N=$N COUNT=$COUNT SEED0=$SEED0 LABEL_TIME=$LABEL_TIME STEPS=$STEPS BATCH=$BATCH D=$D LAYERS=$LAYERS GEO=$GEO MAX_MINUTES=$MAX_MINUTES)"
.venv/bin/python -m bq.evaluate --family "$FAMILY" --n "$N" --count "$EVAL_COUNT" --seed0 900000 --ref-time 1 \
  --capacity "$CAPACITY" --out "runs/eval-${FAMILY}${N}"
