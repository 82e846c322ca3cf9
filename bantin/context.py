"""What every CLI command needs: the loaded config and, lazily, the open store."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field

import click

from bantin.config import Config
from store import Store


@dataclass
class AppContext:
    config: Config
    _store: Store | None = field(default=None, repr=False)

    @property
    def store(self) -> Store:
        """The store at ``[store] path``, opened (and migrated) on first use."""
        if self._store is None:
            self._store = Store(self.config.store.path)
        return self._store

    @property
    def timezone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.config.bot.timezone)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_app = click.make_pass_decorator(AppContext)
