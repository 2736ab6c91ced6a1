"""The exceptions quotient raises. Each carries the library's stable ``code`` (the same codes
as ``quotient solve --json`` and the REST service), a message, and where it applies the
``line`` of the input or the ``field`` / option at fault."""

from __future__ import annotations

from typing import Any


class QuotientError(Exception):
    """Base class of every quotient error.

    Attributes:
        code: a stable machine-readable code, e.g. ``"parse.invalid_number"``,
            ``"solve.unknown_solver"``.
        message: the human-readable message (also ``str(error)``).
        detail: structured detail (a dict) where the library has one, else ``None``.
    """

    def __init__(self, message: str, code: str, detail: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.detail = detail

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r})"


class ParseError(QuotientError, ValueError):
    """An instance or solution that cannot be read: ``line`` (1-based, 0 when the error is not
    tied to a line), ``format`` (e.g. ``"CVRPLIB"``) and ``kind`` (the parse error's kind with
    its fields: ``expected``, ``found``, ``what``, ...)."""

    def __init__(self, message: str, code: str, detail: dict[str, Any] | None = None):
        super().__init__(message, code, detail)
        detail = detail or {}
        self.line: int = int(detail.get("line", 0))
        self.format: str | None = detail.get("format")
        self.kind: dict[str, Any] = detail.get("kind", {})


class InvalidInput(QuotientError, ValueError):
    """Data given to a constructor or to ``check`` that does not fit (``field`` names it)."""

    def __init__(self, message: str, code: str, detail: dict[str, Any] | None = None):
        super().__init__(message, code, detail)
        self.field: str | None = (detail or {}).get("field")


class SolveError(QuotientError):
    """A solve that cannot be carried out (unknown solver, wrong family, invalid option, a warm
    start that does not fit, a solver failure). ``field`` names the option at fault when there
    is one. An infeasible instance or a time limit without a solution is not an error: see
    ``Result.status``."""

    def __init__(self, message: str, code: str, detail: dict[str, Any] | None = None):
        super().__init__(message, code, detail)
        self.field: str | None = (detail or {}).get("field")


class PlotError(QuotientError):
    """A picture that cannot be drawn (no coordinates, a MILP, a solution that does not fit)."""


__all__ = ["QuotientError", "ParseError", "InvalidInput", "SolveError", "PlotError"]
