"""Tests of the Python package against the examples in instances/ (run by scripts/test)."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import quotient

ROOT = Path(__file__).resolve().parents[2]
INSTANCES = ROOT / "instances"
SQUARE = (
    "NAME: square\nTYPE: TSP\nDIMENSION: 4\nEDGE_WEIGHT_TYPE: EUC_2D\n"
    "NODE_COORD_SECTION\n1 0 0\n2 10 0\n3 10 10\n4 0 10\nEOF\n"
)


def test_read_every_family_from_files():
    tsp = quotient.read(INSTANCES / "tsp" / "uniform-n200-s1.tsp")
    assert isinstance(tsp, quotient.Tsp) and isinstance(tsp, quotient.Instance)
    assert (tsp.family, tsp.n, tsp.kind, tsp.metric) == ("tsp", 200, "tsp", "EUC_2D")
    cvrp = quotient.read(str(INSTANCES / "cvrp" / "X-style-n100-s1.vrp"))
    assert isinstance(cvrp, quotient.Cvrp) and cvrp.n == 101 and cvrp.depot == 0
    assert cvrp.demands[0] == 0 and cvrp.capacity > 0
    jssp = quotient.read(INSTANCES / "jssp" / "ta-style-10x10-s1.txt", family="jssp")
    assert isinstance(jssp, quotient.JobShop)
    assert jssp.machines.shape == (10, 10) and jssp.durations.shape == (10, 10)
    assert sorted(jssp.machines[0].tolist()) == list(range(10))
    fjsp = quotient.read(INSTANCES / "fjsp" / "fjsp-10x6-f0.5-s1.txt", family="fjsp")
    assert isinstance(fjsp, quotient.FlexibleJobShop) and fjsp.num_jobs == 10
    assert all(0 <= m < fjsp.num_machines and t > 0 for job in fjsp.operations for op in job for m, t in op)
    milp = quotient.read(INSTANCES / "milp" / "setcover-100x200-s1.mps")
    assert isinstance(milp, quotient.Milp)
    assert (milp.num_vars, milp.num_rows, milp.sense) == (200, 100, "min")
    indptr, indices, data = milp.csr()
    assert indptr.shape == (101,) and indices.shape == data.shape == (indptr[-1],)
    assert milp.integrality.all() and (milp.upper == 1).all()


def test_read_text_and_bytes_and_round_trip():
    inst = quotient.read(SQUARE)
    assert inst.name == "square" and inst.n == 4
    again = quotient.read(inst.to_text().encode(), format="tsplib")
    assert again.coords.tolist() == inst.coords.tolist()
    from_json = quotient.read(inst.to_json())
    assert isinstance(from_json, quotient.Tsp) and from_json.distance(0, 2) == 14


def test_arrays_are_read_only_views_without_copies():
    inst = quotient.read(INSTANCES / "cvrp" / "X-style-n100-s1.vrp")
    a, b = inst.coords, inst.coords
    assert a.shape == (101, 2) and a.dtype == np.float64
    # Two reads share the instance's memory: no copy was made.
    assert np.shares_memory(a, b)
    assert not a.flags.writeable and not inst.demands.flags.writeable
    with pytest.raises(ValueError):
        a[0, 0] = 1.0
    # The view keeps the instance alive.
    coords = quotient.read(SQUARE).coords
    assert coords.tolist()[2] == [10.0, 10.0]


def test_constructors_from_numpy():
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 1000, size=(30, 2))
    tsp = quotient.Tsp.from_coords(xy)
    assert tsp.n == 30 and np.array_equal(tsp.coords, xy)
    m = np.array([[0, 1, 9], [2, 0, 1], [1, 9, 0]])
    atsp = quotient.Tsp.from_matrix(m)
    assert atsp.kind == "atsp" and atsp.matrix.tolist() == m.tolist()
    cvrp = quotient.Cvrp(xy[:10], [5] * 10, capacity=20, depot=3)
    assert cvrp.demands[0] == 0 and cvrp.original_index.tolist()[:2] == [3, 0]
    assert np.array_equal(cvrp.coords[0], xy[3])
    shop = quotient.JobShop([[0, 1], [1, 0]], [[3, 2], [4, 1]], name="tiny")
    assert shop.num_machines == 2 and shop.durations.tolist() == [[3, 2], [4, 1]]
    res = quotient.solve(shop, time_limit=1, threads=1)
    assert res.status == "optimal" or res.objective == 6


def test_constructor_errors_name_the_field():
    with pytest.raises(quotient.InvalidInput) as e:
        quotient.Tsp.from_coords([[0, 0], [1, float("nan")]])
    assert e.value.field == "xy" and e.value.code == "input.invalid" and "(1, 1)" in str(e.value)
    with pytest.raises(quotient.InvalidInput) as e:
        quotient.Cvrp([[0, 0], [1, 1]], [0, 1, 2], capacity=5)
    assert e.value.field == "demands"
    with pytest.raises(quotient.InvalidInput) as e:
        quotient.JobShop([[0, 1]], [[1.5, 2]])
    assert e.value.field == "durations[0]"
    with pytest.raises(quotient.InvalidInput) as e:
        quotient.Tsp.from_coords([[0, 0]], metric="FOO")
    assert e.value.field == "metric"
    with pytest.raises(quotient.ParseError) as e:
        quotient.Cvrp([[0, 0], [1, 1]], [0, -5], capacity=10)  # checked as a read instance is
    assert "non-negative" in str(e.value)


def test_parse_errors_carry_code_and_line():
    bad = SQUARE.replace("3 10 10", "3 10 x")
    with pytest.raises(quotient.ParseError) as e:
        quotient.read(bad)
    assert e.value.code == "parse.invalid_number" and e.value.line == 8
    assert isinstance(e.value, ValueError) and isinstance(e.value, quotient.QuotientError)
    assert e.value.kind["found"] == "x"
    with pytest.raises(OSError):
        quotient.read("/nonexistent/file.tsp")
    with pytest.raises(quotient.InvalidInput):
        quotient.read(SQUARE, format="nope")


def test_solve_tsp_and_check():
    inst = quotient.read(INSTANCES / "tsp" / "uniform-n200-s1.tsp")
    res = quotient.solve(inst, solver="tsp.ils", time_limit=1.0, seed=1, threads=1)
    assert res.status in ("feasible", "optimal") and res.solver == "tsp.ils"
    tour = res.solution.tour
    assert sorted(tour.tolist()) == list(range(200))
    rep = quotient.check(inst, tour)
    assert rep.feasible and rep.objective == res.objective
    assert quotient.check(inst, res).objective == res.objective
    assert quotient.check(inst, res.solution.to_text()).objective == res.objective
    doc = json.loads(res.to_json())
    assert doc["objective"] == res.objective and len(doc["solution"]["tour"]) == 200
    # Same seed, one thread: the same answer.
    again = quotient.solve(inst, solver="tsp.ils", time_limit=1.0, seed=1, threads=1)
    assert 0.9 * res.objective <= again.objective <= 1.1 * res.objective


def test_check_reports_violations_as_records():
    inst = quotient.read(INSTANCES / "cvrp" / "X-style-n100-s1.vrp")
    everyone = list(range(1, inst.n))
    rep = quotient.check(inst, [everyone])
    assert not rep.feasible
    kinds = {v["kind"] for v in rep.violations}
    assert "capacity_exceeded" in kinds
    cap = next(v for v in rep.violations if v["kind"] == "capacity_exceeded")
    assert cap["load"] == int(inst.demands.sum()) and cap["capacity"] == inst.capacity
    missing = quotient.check(inst, [everyone[:-1]])
    last = everyone[-1]
    assert {"kind": "missing_customer", "customer": last} in missing.violations, missing.violations


def test_solve_every_family_returns_checked_solutions():
    cases = [
        (INSTANCES / "cvrp" / "X-style-n100-s1.vrp", None, "routes"),
        (INSTANCES / "jssp" / "ta-style-10x10-s1.txt", "jssp", "start"),
        (INSTANCES / "fjsp" / "fjsp-10x6-f0.5-s1.txt", "fjsp", "machine"),
        (INSTANCES / "milp" / "setcover-100x200-s1.mps", None, "values"),
    ]
    for path, family, field in cases:
        inst = quotient.read(path, family=family)
        res = quotient.solve(inst, time_limit=1.0, threads=1)
        assert res.solution is not None, (path, res)
        getattr(res.solution, field)
        rep = quotient.check(inst, res.solution)
        assert rep.feasible and rep.objective == res.objective
        with pytest.raises(AttributeError):
            res.solution.tour


def test_warm_start_and_params_and_solve_errors():
    inst = quotient.read(SQUARE)
    res = quotient.solve(inst, solver="tsp.ils", time_limit=0.2, initial=[0, 2, 1, 3], threads=1)
    assert res.objective == 40
    with pytest.raises(quotient.SolveError) as e:
        quotient.solve(inst, solver="nope")
    assert e.value.code == "solve.unknown_solver"
    with pytest.raises(quotient.SolveError) as e:
        quotient.solve(inst, solver="cvrp.sisr")
    assert e.value.code == "solve.wrong_family"
    with pytest.raises(quotient.SolveError) as e:
        quotient.solve(inst, time_limit=-1)
    assert e.value.code == "solve.invalid_option" and e.value.field == "time_limit"
    with pytest.raises(quotient.SolveError) as e:
        quotient.solve(inst, solver="tsp.nn", params={"beam": 2})
    assert e.value.field == "params"
    with pytest.raises(quotient.SolveError) as e:
        quotient.solve(inst, initial=[0, 1, 2, 7])
    assert e.value.code == "solve.bad_initial"
    with pytest.raises(quotient.InvalidInput):
        quotient.solve("not an instance")


def test_on_improvement_is_called_and_its_exception_stops_the_solve():
    inst = quotient.read(INSTANCES / "tsp" / "uniform-n200-s1.tsp")
    seen: list[quotient.Improvement] = []
    res = quotient.solve(inst, solver="tsp.ils", time_limit=0.5, threads=1, on_improvement=seen.append)
    assert seen and seen[-1].objective >= res.objective - 1e-9
    assert all(a.objective >= b.objective for a, b in zip(seen, seen[1:]))

    class Stop(Exception):
        pass

    def stop(_event):
        raise Stop("enough")

    t0 = time.monotonic()
    with pytest.raises(Stop):
        quotient.solve(inst, solver="tsp.ils", time_limit=30, threads=1, on_improvement=stop)
    assert time.monotonic() - t0 < 10


def test_the_gil_is_released_while_solving():
    inst = quotient.read(INSTANCES / "tsp" / "uniform-n200-s1.tsp")
    ticks = 0
    done = threading.Event()

    def count():
        nonlocal ticks
        while not done.is_set():
            ticks += 1
            time.sleep(0.001)

    t = threading.Thread(target=count)
    t.start()
    quotient.solve(inst, solver="tsp.ils", time_limit=0.6, threads=1)
    done.set()
    t.join()
    assert ticks > 50, ticks


@pytest.mark.skipif(os.name != "posix", reason="SIGINT to self")
def test_ctrl_c_stops_the_solve_and_returns_the_best_so_far():
    inst = quotient.read(INSTANCES / "tsp" / "clustered-n1000-s1.tsp")
    # Python's own Ctrl-C handler, as an interactive session has it: a process started in the
    # background by a non-interactive shell (nohup, `cmd &`) inherits SIGINT ignored, and
    # Python then leaves it ignored (the solve rightly runs on; this test ran its 60 s).
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        timer = threading.Timer(0.8, lambda: os.kill(os.getpid(), signal.SIGINT))
        timer.start()
        t0 = time.monotonic()
        res = quotient.solve(inst, solver="tsp.ils", time_limit=60, threads=1)
        timer.join()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert res.interrupted and time.monotonic() - t0 < 10
    assert res.solution is not None and quotient.check(inst, res.solution).feasible


def test_plot_and_solvers():
    inst = quotient.read(SQUARE)
    res = quotient.solve(inst, time_limit=0.2, threads=1)
    svg = quotient.plot(inst, res.solution, title="square")
    assert svg.startswith("<svg") and "square" in svg and svg._repr_svg_() == svg
    milp = quotient.read(INSTANCES / "milp" / "setcover-100x200-s1.mps")
    with pytest.raises(quotient.PlotError) as e:
        quotient.plot(milp, np.zeros(milp.num_vars))
    assert e.value.code.startswith("plot.")
    names = {s["name"]: s for s in quotient.solvers()}
    assert {"tsp.ils", "cvrp.sisr", "jssp.tabu", "fjsp.tabu", "milp.alns"} <= names.keys()
    assert names["tsp.ils"]["available"] and names["tsp.ils"]["family"] == "tsp"


def test_readme_example_runs():
    """The README's Python example, run as written (from the repository root)."""
    readme = (ROOT / "README.md").read_text()
    start = readme.index("```python\n", readme.index("## Python")) + len("```python\n")
    code = readme[start : readme.index("```", start)]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
