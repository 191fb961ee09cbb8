"""Database expressions the analytics selectors share: elapsed seconds and percentiles.

PostgreSQL computes both in SQL. SQLite (the embedded database) has no
ordered-set aggregates: `Percentile` refuses it and the selectors fall back to
`percentile_cont()` over one sorted column (see reports.analytics.selectors).
"""

from __future__ import annotations

from django.db import NotSupportedError
from django.db.models import Aggregate, F, FloatField, Func


class SecondsBetween(Func):
    """Seconds from `start` to `end` as a float; NULL when either is NULL."""

    output_field = FloatField()

    def __init__(self, start: str, end: str):
        super().__init__(F(end), F(start))

    def as_sql(self, compiler, connection, **extra_context):
        raise NotSupportedError(f"SecondsBetween is not implemented on {connection.vendor}.")

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            arg_joiner=" - ",
            template="EXTRACT(EPOCH FROM (%(expressions)s))::double precision",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        end, start = (compiler.compile(expression) for expression in self.source_expressions)
        sql = f"((julianday({end[0]}) - julianday({start[0]})) * 86400.0)"
        return sql, (*end[1], *start[1])


class Percentile(Aggregate):
    """PostgreSQL's continuous percentile: `percentile_cont(fraction) WITHIN GROUP (ORDER BY expr)`."""

    function = "PERCENTILE_CONT"
    name = "Percentile"
    output_field = FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError(f"A percentile fraction is between 0 and 1, not {fraction!r}.")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)

    def as_sql(self, compiler, connection, **extra_context):
        if connection.vendor != "postgresql":
            raise NotSupportedError("Percentile needs PostgreSQL; use analytics.selectors.percentile_cont elsewhere.")
        return super().as_sql(compiler, connection, **extra_context)


def percentile_cont(ordered: list[float], fraction: float) -> float | None:
    """The same interpolation as PostgreSQL's percentile_cont, over values sorted ascending."""
    if not ordered:
        return None
    position = fraction * (len(ordered) - 1)
    lower = int(position)
    upper = min(lower + 1, len(ordered) - 1)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)
