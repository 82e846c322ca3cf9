"""Reading rows by column name, so a column list and a dataclass cannot drift apart by position.

The row factory is set on one cursor, not on the connection: other code (sqlite-utils, tests,
benchmarks) keeps getting plain tuples from the same connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

# What sqlite3 binds: a sequence for ``?`` marks (a tuple, a list of ids), a mapping for ``:name``.
Params = Sequence[Any] | Mapping[str, Any]


def query(conn: sqlite3.Connection, sql: str, params: Params = ()) -> sqlite3.Cursor:
    """Run ``sql`` on a fresh cursor whose rows are ``sqlite3.Row`` (``row["name"]``)."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params)


def inserted_id(cursor: sqlite3.Cursor) -> int:
    """The rowid of the row an ``INSERT`` on ``cursor`` just made.

    sqlite3 types ``lastrowid`` as optional (a cursor that has run nothing has none); after an
    insert it is always set, and a missing one is a bug worth a clear error, not ``int(None)``.
    """
    rowid = cursor.lastrowid
    if rowid is None:
        raise RuntimeError("the statement inserted no row")
    return rowid
