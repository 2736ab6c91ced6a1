#!/usr/bin/env bash
# One command from nothing to the blocking job shops' GNN dispatching policy (jssp.blocking-gnn):
# training venv -> expert data (jssp.blocking's iterated greedy job orders and exact
# insertion makespans, via the blocking_data example) -> imitation training (resumable) ->
# ONNX export with parity check -> evaluation on Lawrence as BJSSP and SBJSSP.
#
#   neural/train/reproduce_blocking.sh                     # the shipped model's settings
#   COUNT=2 MINUTES=1 neural/train/reproduce_blocking.sh   # a quick smoke run
#   POLICY=1 neural/train/reproduce_blocking.sh            # DAgger round: + rollouts of the
#                                                          # shipped model, expert-labelled
#
# Knobs (environment): SIZES, COUNT (instances per size and variant), IG (expert seconds per
# instance), EPS (off-expert steps in the extra rollouts), ROLLOUTS, POLICY (rollouts of the
# current model, labelled by the expert: DAgger), MINUTES, D, LAYERS, THREADS, VENV (the
# training venv; default neural/train/.venv).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(cd ../.. && pwd)
SIZES=${SIZES:-10x5,15x5,20x5,10x10,15x10,20x10,30x10,15x15}
COUNT=${COUNT:-16}
IG=${IG:-1.0}
EPS=${EPS:-0.3}
ROLLOUTS=${ROLLOUTS:-3}
POLICY=${POLICY:-0}
MINUTES=${MINUTES:-12}
D=${D:-64}
LAYERS=${LAYERS:-3}
THREADS=${THREADS:-1}
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r requirements.txt
fi
(cd "$ROOT" && cargo build --release --locked -q --bin quotient && cargo build --release --locked -q --workspace --example blocking_data)
mkdir -p data/blocking runs
"$ROOT/target/release/examples/blocking_data" "$SIZES" "$COUNT" 3000 "$IG" "$EPS" "$ROLLOUTS" \
  blocking,swap data/blocking/dispatch.bin "$POLICY" 2> data/blocking/dispatch.log
PYTHONPATH=. "$VENV/bin/python" -m gnn.train --data data/blocking/dispatch.bin --run runs/blocking \
  --features 9 --val 500 --minutes "$MINUTES" --d "$D" --layers "$LAYERS" --threads "$THREADS"
CMD="neural/train/reproduce_blocking.sh (SIZES=$SIZES COUNT=$COUNT IG=$IG EPS=$EPS ROLLOUTS=$ROLLOUTS POLICY=$POLICY MINUTES=$MINUTES D=$D LAYERS=$LAYERS)"
PYTHONPATH=. "$VENV/bin/python" -m gnn.export --ckpt runs/blocking/best.pt --name jssp_blocking_gnn \
  --trained-sizes 50 75 100 150 225 300 --command "$CMD"
BENCH="$ROOT/../shared/bench/jssp"
if [ -d "$BENCH" ]; then
  Q="$ROOT/target/release/quotient"
  for V in blocking swap; do
    "$Q" bench "$BENCH" --filter 'la*' --variant "$V" --solver jssp.blocking-gnn -t 60 --threads 1 \
      --out "runs/blocking-gnn-la-$V.csv"
  done
else
  echo "reproduce_blocking: $BENCH absent; skipping the Lawrence evaluation" >&2
fi
