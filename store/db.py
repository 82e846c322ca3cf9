"""Opening the SQLite file: checks, pragmas, migrations, one connection per thread."""

from __future__ import annotations

import os
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import overload

import sqlite_utils

from store import migrations
from store.errors import StoreError
from store.rows import Params, query

_SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 5000


def utcnow() -> datetime:
    return datetime.now(UTC)


@overload
def to_iso(moment: datetime) -> str: ...
@overload
def to_iso(moment: None) -> None: ...
@overload
def to_iso(moment: datetime | None) -> str | None: ...


def to_iso(moment: datetime | None) -> str | None:
    """Store times as UTC ISO-8601; a naive datetime is refused rather than guessed."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to the store; attach a time zone first")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def stored_time(value: str) -> datetime:
    """A time from a ``NOT NULL`` column: never ``None``, so dataclasses can say ``datetime``."""
    return datetime.fromisoformat(value)


def sqlite_header_ok(path: Path) -> bool:
    """Whether the file is empty or begins with SQLite's header: anything else is someone's
    other file, which must never be opened as a database or deleted. Raises ``OSError``."""
    with path.open("rb") as handle:
        header = handle.read(len(_SQLITE_MAGIC))
    return not header or header == _SQLITE_MAGIC


def application_id(path: Path) -> int | None:
    """The ``application_id`` in a SQLite file's header (bytes 68-71), or None for a file that
    is not a SQLite database. Read without opening the database, so looking cannot change a
    byte of it. Raises ``OSError``."""
    with path.open("rb") as handle:
        header = handle.read(100)
    if len(header) < 100 or header[: len(_SQLITE_MAGIC)] != _SQLITE_MAGIC:
        return None
    return int.from_bytes(header[68:72], "big")


def _check_file(path: Path) -> None:
    """Refuse a file that exists but is not a SQLite database: never overwrite it."""
    if not path.exists():
        parent = path.parent
        if not parent.exists():
            raise StoreError(f"{path}: folder {parent} does not exist")
        return
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file")
    try:
        is_sqlite = sqlite_header_ok(path)
    except OSError as error:
        raise StoreError(f"{path}: cannot be read ({error.strerror})") from error
    if not is_sqlite:
        raise StoreError(f"{path}: is not a SQLite database; refusing to touch it")


def create_private(path: Path) -> None:
    """Create ``path`` empty, readable by its owner only (0600, or stricter by the umask),
    if it does not exist: readers' chats and feedback are not for every local user. SQLite
    gives the -wal and -shm files the same mode as the database file."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as error:
        raise StoreError(f"{path}: cannot be created ({error.strerror})") from error


def connect(path: str | Path) -> sqlite3.Connection:
    """Open one connection with the pragmas every connection needs."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


class Database:
    """A SQLite file with one sqlite-utils ``Database`` per thread.

    sqlite3 connections must not be shared across threads while in use; CPU work runs in worker
    threads, so each thread lazily gets its own connection to the same WAL-mode file.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        _check_file(self.path)
        if str(self.path) != ":memory:":
            create_private(self.path)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[sqlite3.Connection] = []
        conn = self.conn
        try:
            mode = query(conn, "PRAGMA journal_mode = WAL").fetchone()["journal_mode"]
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: {error}") from error
        if str(mode).lower() != "wal" and str(self.path) != ":memory:":
            raise StoreError(f"{self.path}: could not switch to WAL mode (got {mode})")
        try:
            migrations.migrate(conn)
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path}: {error}") from error

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            self._local.conn = conn
            self._local.db = sqlite_utils.Database(conn)
            with self._lock:
                self._all.append(conn)
        return conn

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of this thread's connection."""
        self.conn  # noqa: B018 - makes sure this thread has its connection
        return self._local.db

    def execute(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        """Like ``execute``, with rows read by column name (``store.rows.query``)."""
        return query(self.conn, sql, params)

    def transaction(self) -> "_Transaction":
        """``with database.transaction():`` runs the block in one ``BEGIN IMMEDIATE``."""
        return _Transaction(self.conn)

    def set_application_id(self, value: int) -> None:
        """Write ``value`` into the file header (what ``application_id`` reads), checkpointed
        into the main file at once rather than left in the WAL."""
        self.conn.execute(f"PRAGMA application_id = {int(value)}")
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.nested = False

    def __enter__(self) -> sqlite3.Connection:
        self.nested = self.conn.in_transaction
        if not self.nested:
            self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.nested:
            return
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
