#!/usr/bin/env bash
# One command from nothing to the registered TSP edge heatmap: training venv -> labelled TSP100
# tours (quotient's own tsp.ils, via bq.data) -> graph records with the inference features (the
# tsp_heat_data example) -> supervised training (resumable) -> ONNX export with parity check.
#
#   neural/train/reproduce_heat.sh                    # the shipped model's settings
#   COUNT=200 MINUTES=2 neural/train/reproduce_heat.sh  # a quick smoke run
#
# Knobs (environment): COUNT (TSP100 instances), SEED0, LABEL_TIME (tsp.ils seconds per label),
# MINUTES (training), D, LAYERS, THREADS. The labels are shared with reproduce.sh's tsp100-10k set
# when the seeds match (the .jsonl is reused if present).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
COUNT=${COUNT:-10000}
SEED0=${SEED0:-20000}
LABEL_TIME=${LABEL_TIME:-0.2}
MINUTES=${MINUTES:-25}
D=${D:-48}
LAYERS=${LAYERS:-6}
THREADS=${THREADS:-1}
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
fi
(cd "$ROOT" && cargo build --release --locked -q && cargo build --release --locked -q --workspace --example tsp_heat_data)
SET="data/tsp100-heat-$COUNT-$SEED0"
[ "$COUNT" = 10000 ] && [ "$SEED0" = 20000 ] && SET=data/tsp100-10k
if [ ! -s "$SET.jsonl" ]; then
  PYTHONPATH=. .venv/bin/python -m bq.data tsp --n 100 --count "$COUNT" --seed0 "$SEED0" \
    --time-limit "$LABEL_TIME" --out "$SET.npz"
fi
"$ROOT/target/release/examples/tsp_heat_data" "$SET.jsonl" "$SET.heat.bin"
PYTHONPATH=. .venv/bin/python -m heat.train --data "$SET.heat.bin" --run runs/tsp-heat \
  --minutes "$MINUTES" --d "$D" --layers "$LAYERS" --threads "$THREADS"
CMD="neural/train/reproduce_heat.sh (COUNT=$COUNT SEED0=$SEED0 LABEL_TIME=$LABEL_TIME MINUTES=$MINUTES D=$D LAYERS=$LAYERS THREADS=$THREADS)"
METRICS=$(.venv/bin/python -c "import json,torch; print(json.dumps(torch.load('runs/tsp-heat/best.pt', weights_only=False)['metrics']))")
PYTHONPATH=. .venv/bin/python -m heat.export --ckpt runs/tsp-heat/best.pt --name tsp_heatmap_gnn \
  --trained-sizes 100 --command "$CMD" --metrics "$METRICS"
