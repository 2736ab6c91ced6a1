"""quotient: combinatorial optimisation from Python.

TSP / ATSP, CVRP, job shop, flexible job shop and MILP instances in their standard formats,
the solvers of the quotient service (``quotient.solvers()``; ``"auto"`` picks one by family and
size), an independent checker that every returned solution has passed, and pictures as SVG.

    >>> import quotient
    >>> inst = quotient.read("X-n101-k25.vrp")              # or quotient.Cvrp(coords, demands, capacity)
    >>> res = quotient.solve(inst, time_limit=10, seed=1)   # the GIL is released; Ctrl-C stops it
    >>> res.status, res.objective, res.solution.routes[:2]
    >>> quotient.check(inst, res.solution).feasible
    True
    >>> quotient.plot(inst, res.solution)                   # SVG, shown inline by Jupyter

Errors are exceptions with the library's stable ``code`` (``quotient.QuotientError`` and its
subclasses ``ParseError`` with the ``line``, ``InvalidInput`` and ``SolveError`` with the
``field``, ``PlotError``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from os import PathLike
from typing import Any

from . import _quotient
from ._errors import InvalidInput, ParseError, PlotError, QuotientError, SolveError
from ._quotient import (
    Cvrp,
    FlexibleJobShop,
    Improvement,
    Instance,
    JobShop,
    Milp,
    Report,
    Result,
    Solution,
    Tsp,
)

__version__: str = _quotient.__version__

SolutionLike = Any
"""A ``Solution``, a ``Result``, solution text (native format or JSON), a dict of the JSON shape,
or the family's plain data: a tour (TSP), a list of routes (CVRP), a table of start times (job
shop), ``(machine, start)`` (flexible job shop), a vector of values (MILP)."""


def read(
    source: str | bytes | PathLike[str],
    format: str | None = None,
    *,
    family: str | None = None,
    name: str | None = None,
) -> Instance:
    """Read an instance.

    Args:
        source: a path (``str`` without a line break, or ``os.PathLike``; ``.gz`` allowed), the
            instance text itself, or its bytes.
        format: ``"tsplib"``, ``"cvrplib"``, ``"jssp"`` (OR-Library), ``"taillard"``, ``"fjsp"``
            (Brandimarte / Hurink), ``"mps"``, ``"lp"`` or ``"json"``; by default detected from
            the file name and the content.
        family: ``"tsp"``, ``"cvrp"``, ``"jssp"``, ``"fjsp"`` or ``"milp"`` when the content
            cannot tell.
        name: the instance's name (default: from the file or the content).

    Returns:
        a ``Tsp``, ``Cvrp``, ``JobShop``, ``FlexibleJobShop`` or ``Milp``.

    Raises:
        ParseError: the content is malformed (``line`` says where); OSError: the file cannot be
        read.
    """
    return _quotient.read(source, format, family, name)


def solve(
    instance: Instance,
    solver: str = "auto",
    time_limit: float | None = None,
    seed: int = 1,
    threads: int | None = None,
    initial: SolutionLike | None = None,
    params: Mapping[str, int | str] | None = None,
    on_improvement: Callable[[Improvement], object] | None = None,
) -> Result:
    """Solve ``instance``.

    Args:
        instance: an instance from ``read`` or a constructor.
        solver: a name from ``solvers()`` or ``"auto"`` (by family and size).
        time_limit: seconds; ``None`` lets the solver decide (improvement heuristics stop after
            10 s, constructions and exact solvers when done).
        seed: the random seed (same seed, same threads, same answer for the deterministic solvers).
        threads: worker threads (``None``: all cores).
        initial: a warm start (see ``SolutionLike``).
        params: the solver's own parameters (``solvers()`` lists them).
        on_improvement: called with an ``Improvement`` on every new best, from a worker thread;
            an exception it raises stops the solve and is raised by ``solve``.

    Returns:
        a ``Result``: ``status``, ``objective`` (the checker's), ``bound``, ``solution``,
        ``elapsed`` (seconds), ``solver``, ``message``, ``interrupted``.

    The GIL is released while solving. Ctrl-C (KeyboardInterrupt) stops the solve and returns
    the best solution so far with ``interrupted=True``.

    Raises:
        SolveError: unknown solver, wrong family, invalid option (``field``), a warm start that
        does not fit, a solver failure. An infeasible instance or a time limit without any
        solution is not an error: see ``Result.status``.
    """
    return _quotient.solve(
        instance,
        solver,
        time_limit,
        seed,
        threads,
        initial,
        dict(params) if params is not None else None,
        on_improvement,
    )


def check(instance: Instance, solution: SolutionLike) -> Report:
    """Check ``solution`` with the family's independent checker.

    Returns:
        a ``Report``: ``feasible``, ``objective`` (recomputed), ``violations`` (records such as
        ``{"kind": "capacity", "route": 2, "load": 130, "capacity": 100}``).

    Raises:
        ParseError / InvalidInput: the solution cannot be read as one of this family (a node out
        of range is a violation, not an error).
    """
    return _quotient.check(instance, solution)


class Svg(str):
    """SVG text that Jupyter shows as a picture."""

    def _repr_svg_(self) -> str:
        return str(self)


def plot(
    instance: Instance,
    solution: SolutionLike,
    *,
    title: str | None = None,
    width: int | None = None,
) -> Svg:
    """The picture of ``solution``: a TSP tour, CVRP routes, or a job-shop Gantt chart with its
    critical path, as SVG text (a ``str``; Jupyter displays it inline).

    Raises:
        PlotError: a MILP, an instance without coordinates, or a solution that does not fit.
    """
    return Svg(_quotient.plot_svg(instance, solution, title, width))


def solvers() -> list[dict[str, Any]]:
    """Every solver: ``name``, ``family``, ``kind`` (exact / heuristic / neural),
    ``description``, ``available`` (and ``unavailable_reason``: e.g. no ONNX Runtime for the
    neural ones; ``pip install quotient[neural]``), ``params``."""
    return _quotient.solvers()


__all__ = [
    "Cvrp",
    "FlexibleJobShop",
    "Improvement",
    "Instance",
    "InvalidInput",
    "JobShop",
    "Milp",
    "ParseError",
    "PlotError",
    "QuotientError",
    "Report",
    "Result",
    "Solution",
    "SolveError",
    "Svg",
    "Tsp",
    "check",
    "plot",
    "read",
    "solve",
    "solvers",
    "__version__",
]
