"""Truncating a timestamp to its hour or day in SQL, on SQLite and PostgreSQL alike.

Both give back the bucket's start; SQLite as text, PostgreSQL as a timestamp, so
``as_datetime`` folds the two before anything compares them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql._typing import _ColumnExpressionArgument
from sqlalchemy.sql.expression import FunctionElement
from sqlalchemy.types import DateTime

UNITS = {"hour": "%Y-%m-%d %H:00:00", "day": "%Y-%m-%d 00:00:00"}


class truncate(FunctionElement[Any]):
    type = DateTime()
    inherit_cache = True
    name = "truncate"

    def __init__(self, unit: str, column: _ColumnExpressionArgument[Any]) -> None:
        if unit not in UNITS:
            raise ValueError(unit)
        self.unit = unit
        super().__init__(column)


@compiles(truncate)
def _truncate_default(element: truncate, compiler: Any, **kw: Any) -> str:
    return f"date_trunc('{element.unit}', {compiler.process(element.clauses, **kw)})"


@compiles(truncate, "sqlite")
def _truncate_sqlite(element: truncate, compiler: Any, **kw: Any) -> str:
    return f"strftime('{UNITS[element.unit]}', {compiler.process(element.clauses, **kw)})"


def as_datetime(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
