"""The bot's store in an SQLite file: the default, for one machine."""

from __future__ import annotations

import os
import sqlite3
from typing import Any, Optional
from urllib.parse import unquote

from tweepy_dm.bot._store import BotStore, StoreLost


def _path(url: str) -> str:
    """The file of ``sqlite:///relative/path`` or ``sqlite:////absolute/path`` (as SQLAlchemy)."""
    path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else url
    if url.startswith("sqlite://") and not url.startswith("sqlite:///"):
        path = ""
    # An SQLite URI filename opened with mode=memory is each connection's own database.
    private = path.startswith("file:") and "mode=memory" in path
    if not path or path == ":memory:" or private:
        raise ValueError(
            "an SQLite store must be a file that workers and processes share, "
            f"not {url!r}: use sqlite:///relative/path.db or sqlite:////absolute/path.db"
        )
    return path


class SQLiteStore(BotStore):
    """``sqlite:///path``: one writer at a time (``BEGIN IMMEDIATE``), WAL journal.

    Several processes on one machine may share the file; several machines may
    not (use PostgreSQL). A path that starts with ``file:`` is an SQLite URI
    filename: ``sqlite:///file:/name?vfs=memdb`` is a database in memory that
    the connections of one process share, gone when the last one closes (the
    test kit's store).
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self.path = _path(url)
        self.url = f"sqlite:///{self.path}"
        self._file: Optional[tuple[int, int]] = None  # (device, inode) of the store
        self._uri = self.path.startswith("file:")
        # In memory (memdb): no file that could be deleted or replaced.
        self._in_memory = self._uri and "vfs=memdb" in self.path

    def _identity(self) -> Optional[tuple[int, int]]:
        if self._in_memory:
            return None
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return None
        return stat.st_dev, stat.st_ino

    def _connect(self) -> Any:
        connection = sqlite3.connect(
            self.path,
            timeout=60,
            isolation_level=None,
            check_same_thread=False,
            uri=self._uri,
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        if self._file is None:
            self._file = self._identity()
        return connection

    def _begin(self, connection: Any) -> None:
        # An open connection goes on working on a deleted file, unseen by anyone
        # (a restart would start afresh and answer again): stop instead.
        if self._identity() != self._file:
            raise StoreLost(
                f"the SQLite store {self.path} was deleted or replaced while the bot ran; "
                "stopping (a new store would not know what was already answered)"
            )
        connection.execute("BEGIN IMMEDIATE")
