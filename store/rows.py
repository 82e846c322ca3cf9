"""Reading rows by column name, so a column list and a dataclass cannot drift apart by position.

The row factory is set on one cursor, not on the connection: other code (sqlite-utils, tests,
benchmarks) keeps getting plain tuples from the same connection.
"""

from __future__ import annotations

import sqlite3


def query(conn: sqlite3.Connection, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
    """Run ``sql`` on a fresh cursor whose rows are ``sqlite3.Row`` (``row["name"]``)."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql, params)
