"""The bot's store in an SQLite file: the default, for one machine."""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import unquote

from tweepy_dm.bot._store import Store


def _path(url: str) -> str:
    """The file of ``sqlite:///relative/path`` or ``sqlite:////absolute/path`` (as SQLAlchemy)."""
    path = unquote(url[len("sqlite:///") :]) if url.startswith("sqlite:///") else url
    if url.startswith("sqlite://") and not url.startswith("sqlite:///"):
        path = ""
    if not path or path == ":memory:":
        raise ValueError(
            "an SQLite store must be a file that workers and processes share, "
            f"not {url!r}: use sqlite:///relative/path.db or sqlite:////absolute/path.db"
        )
    return path


class SQLiteStore(Store):
    """``sqlite:///path``: one writer at a time (``BEGIN IMMEDIATE``), WAL journal.

    Several processes on one machine may share the file; several machines may
    not (use PostgreSQL).
    """

    def __init__(self, url: str) -> None:
        super().__init__()
        self.path = _path(url)
        self.url = f"sqlite:///{self.path}"

    def _connect(self) -> Any:
        connection = sqlite3.connect(
            self.path, timeout=60, isolation_level=None, check_same_thread=False
        )
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        return connection

    def _begin(self, connection: Any) -> None:
        connection.execute("BEGIN IMMEDIATE")
