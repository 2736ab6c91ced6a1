"""Markdown table of the tsp-fresh summaries: quotient vs LKH-3 (checked objectives)."""
import re
import sys

rows = []
for path in sys.argv[1:]:
    for line in open(path):
        tag = line.split()[0]
        q = re.search(r"q: instance\s+\S+ \(tsp\) objective\s+(\d+)", line)
        lk = re.search(r"lkh: instance\s+\S+ \(tsp\) objective\s+(\d+)", line)
        lists = re.search(r"q says: \S+ \S+ \| (alpha lists|nearest \+ quadrant lists)", line)
        qv = int(q.group(1))
        lv = int(lk.group(1)) if lk else None
        rows.append((tag, qv, lv, lists.group(1) if lists else "?"))
print("| instance, limit | quotient | LKH-3 | quotient vs LKH-3 | quotient's lists |")
print("|---|---:|---:|---:|---|")
for tag, qv, lv, lists in rows:
    d = f"{100 * (qv - lv) / lv:+.3f} %" if lv else "LKH-3: no tour"
    print(f"| {tag} | {qv} | {lv if lv else '-'} | {d} | {lists} |")
