"""schemathesis hooks for the contract test (tests/schemathesis.rs).

A generated instance almost never holds together (text that parses, indices in range), so
without help every generated solve and job ends at the reader's 422 and the stateful phase never
gets a job to follow its links to. For positive cases of the three instance-taking operations,
two draws in three get a small instance known to be good instead (of a family picked from the
generated body), one of them with the generated options kept, the other with none. The third
keeps everything as generated. Negative cases are never touched: what makes them invalid must
reach the server.
"""

import json
import zlib

import schemathesis

GOOD = [
    {
        "family": "tsp",
        "name": "square",
        "kind": "tsp",
        "weights": {"type": "coords", "metric": "EUC_2D", "coords": [[0, 0], [3, 0], [3, 4], [0, 4], [1, 2]]},
    },
    "NAME: five\nTYPE: TSP\nDIMENSION: 5\nEDGE_WEIGHT_TYPE: EUC_2D\nNODE_COORD_SECTION\n"
    "1 0 0\n2 10 0\n3 10 10\n4 0 10\n5 5 5\nEOF\n",
    {
        "family": "cvrp",
        "name": "tiny",
        "capacity": 10,
        "demands": [0, 4, 5, 3, 6],
        "weights": {"type": "coords", "rounding": "nearest", "coords": [[0, 0], [5, 0], [0, 5], [-5, 0], [0, -5]]},
    },
    {
        "family": "jssp",
        "name": "two",
        "machines": 2,
        "jobs": [[{"machine": 0, "duration": 3}, {"machine": 1, "duration": 2}],
                 [{"machine": 1, "duration": 4}, {"machine": 0, "duration": 1}]],
    },
    "2 2\n0 3 1 2\n1 4 0 1\n",
    {
        "family": "milp",
        "name": "knap",
        "sense": "maximize",
        "vars": [
            {"name": "x", "kind": "integer", "lower": 0, "upper": 3, "obj": 5},
            {"name": "y", "kind": "continuous", "lower": 0, "upper": None, "obj": 4},
        ],
        "rows": [{"name": "cap", "coefs": [[0, 6], [1, 4]], "lower": None, "upper": 24}],
    },
]

OPERATIONS = {("POST", "/v1/solve"), ("POST", "/v1/jobs"), ("POST", "/v1/validate")}


@schemathesis.hook
def map_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return case
    if (case.method.upper(), case.path) not in OPERATIONS or not isinstance(case.body, dict):
        return case
    # Deterministic in the generated body (Python's own hash is salted per process).
    pick = zlib.crc32(json.dumps(case.body, sort_keys=True, default=str).encode())
    variant = pick % 3
    if variant == 0:
        return case
    body = {"instance": GOOD[(pick // 3) % len(GOOD)]}
    if case.path == "/v1/validate":
        pass
    elif variant == 1 and isinstance(case.body.get("options"), dict):
        body["options"] = case.body["options"]
    else:
        body["options"] = {"time_limit": 0.5, "seed": pick % 1000}
    case.body = body
    return case
