"""The store's named exceptions: callers catch these, never sqlite3's."""


class StoreError(Exception):
    """The database cannot be used: not SQLite, too new, or unreadable."""


class NotFound(StoreError):
    """A row that was asked for by id does not exist."""
