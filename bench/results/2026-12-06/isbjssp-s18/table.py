"""Tables of `quotient simulate --json` outputs (issue 25, session 18): mean makespan per
instance and policy at each shutdown probability, the mean over instances, the ranking, and the
increase over no failures. Usage: python3 table.py RAW_DIR > table.md"""
import json
import pathlib
import sys

raw = pathlib.Path(sys.argv[1])
runs = {}
for f in sorted(raw.glob("*.json")):
    v = json.loads(f.read_text())
    runs[(v["instance"], v["shutdown_prob"])] = v


def short(name):
    if name.startswith("schedule:"):
        base = pathlib.Path(name[len("schedule:"):]).name
        return "IG sched" if base.startswith("ig-") else "GNN sched" if base.startswith("gnn-") else base
    return name


insts = sorted({k[0] for k in runs})
probs = sorted({k[1] for k in runs})
pols = [short(r["policy"]) for r in runs[(insts[0], probs[0])]["policies"]]
means = {}  # (p, policy) -> mean over instances
print(f"Policies met the same 100 scenarios (seed 1) per instance and probability; "
      f"repair uniform in [1, R], R = the instance's mean processing time (rounded). "
      f"Every realized schedule passed the checker on its realized instance "
      f"({sum(v['verified'] for v in runs.values())} runs).\n")
for p in probs:
    print(f"### shutdown probability p = {p}\n")
    r0 = runs[(insts[0], p)]
    print(f"Mean makespan over 100 scenarios (repair bound R: "
          f"{', '.join(str(runs[(i, p)]['repair']) for i in insts)}; "
          f"mean failures per scenario: {sum(runs[(i, p)]['policies'][0]['mean_failures'] for i in insts) / len(insts):.1f} under sim-fifo)\n")
    print("| instance | " + " | ".join(pols) + " |")
    print("|---|" + "---:|" * len(pols))
    for i in insts:
        rows = runs[(i, p)]["policies"]
        print(f"| {i} | " + " | ".join(f"{r['mean']:.1f}" for r in rows) + " |")
    m = []
    for k, name in enumerate(pols):
        x = sum(runs[(i, p)]["policies"][k]["mean"] for i in insts) / len(insts)
        means[(p, name)] = x
        m.append(x)
    print("| **mean** | " + " | ".join(f"**{x:.1f}**" for x in m) + " |")
    rank = sorted(pols, key=lambda n: means[(p, n)])
    print("\nRanking (mean over instances, best first): " + " < ".join(
        f"{n} ({means[(p, n)]:.1f})" for n in rank) + "\n")
    wins = {n: 0 for n in pols}
    for i in insts:
        rows = runs[(i, p)]["policies"]
        best = min(r["mean"] for r in rows)
        for k, r in enumerate(rows):
            if r["mean"] == best:
                wins[pols[k]] += 1
    print("Best mean on an instance (ties counted for each): " + ", ".join(
        f"{n} {w}" for n, w in wins.items() if w) + "\n")

print("### Summary: mean over ta01-ta10 of the mean makespan, and its increase over p = 0\n")
print("| policy | " + " | ".join(f"p = {p}" for p in probs) + " |")
print("|---|" + "---:|" * len(probs))
for n in pols:
    base = means[(probs[0], n)]
    cells = []
    for p in probs:
        x = means[(p, n)]
        cells.append(f"{x:.1f}" if p == probs[0] else f"{x:.1f} (+{100 * (x / base - 1):.1f} %)")
    print(f"| {n} | " + " | ".join(cells) + " |")
print("\n| rank | " + " | ".join(f"p = {p}" for p in probs) + " |")
print("|---|" + "---|" * len(probs))
for k in range(len(pols)):
    print(f"| {k + 1} | " + " | ".join(sorted(pols, key=lambda n: means[(p, n)])[k] for p in probs) + " |")
