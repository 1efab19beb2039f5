"""Where credentials live between processes: a file, SQLite or PostgreSQL, behind one lock.

Every store has one operation, :meth:`TokenStore.acquire`: it takes the store's
lock (across threads and processes, and released by the kernel or the database
when a process dies, even by ``kill -9``) and returns a :class:`Lease` through
which records are read and written. A record is a JSON object (an access token,
its refresh token, expiry and scopes) under a name; aliases (SHA-256 digests of
spent refresh tokens, never the tokens) let a process that starts with an old
token find the newest pair of the same lineage.

A write reaches the disk (or the database's commit) before :meth:`Lease.save`
returns, so a new pair is durable before anyone uses it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import threading
from typing import Any, Optional

#: Aliases kept per record: older spent refresh tokens are forgotten.
MAX_ALIASES = 64

_PASSWORD = re.compile(r"(://[^:/@]*):[^@]*@")


def alias(token: str) -> str:
    """The name a refresh token is known by in a store: its SHA-256, never the token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _redact(url: str) -> str:
    return _PASSWORD.sub(r"\1:***@", url)


class Lease:
    """The store's lock, held: read and write records, then :meth:`release`."""

    def load(self, name: str) -> Optional[dict[str, Any]]:
        raise NotImplementedError

    def find(self, digest: str) -> Optional[str]:
        """The name of the record whose lineage spent the refresh token ``digest``."""
        raise NotImplementedError

    def names(self) -> list[str]:
        raise NotImplementedError

    def save(self, name: str, record: dict[str, Any], aliases: tuple[str, ...] = ()) -> None:
        """Write ``record`` durably (and map ``aliases`` to it) before returning."""
        raise NotImplementedError

    def delete(self, name: str) -> None:
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError


class TokenStore:
    """Base of the stores; ``url`` is safe to show (no password)."""

    url: str = ""

    def acquire(self) -> Lease:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


# -- In memory: one process ------------------------------------------------------------


class _MemoryLease(Lease):
    def __init__(self, store: MemoryStore) -> None:
        self._store = store

    def load(self, name: str) -> Optional[dict[str, Any]]:
        record = self._store._records.get(name)
        return dict(record) if record is not None else None

    def find(self, digest: str) -> Optional[str]:
        return self._store._aliases.get(digest)

    def names(self) -> list[str]:
        return sorted(self._store._records)

    def save(self, name: str, record: dict[str, Any], aliases: tuple[str, ...] = ()) -> None:
        self._store._records[name] = dict(record)
        for digest in aliases:
            self._store._aliases[digest] = name

    def delete(self, name: str) -> None:
        self._store._records.pop(name, None)

    def release(self) -> None:
        self._store._lock.release()


class MemoryStore(TokenStore):
    """The store of a credential given none: its threads share it, other processes do not."""

    url = "memory"

    def __init__(self) -> None:
        # A Lock, not an RLock: the async client releases it from another executor thread.
        self._lock = threading.Lock()
        self._records: dict[str, dict[str, Any]] = {}
        self._aliases: dict[str, str] = {}

    def acquire(self) -> Lease:
        self._lock.acquire()
        return _MemoryLease(self)


# -- A JSON file: processes of one machine ----------------------------------------------


def _create_private(path: str) -> None:
    """Create ``path`` readable and writable by its owner only, if it does not exist."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


class _FileLease(Lease):
    def __init__(self, store: FileStore, descriptor: int) -> None:
        self._store = store
        self._descriptor = descriptor
        self._data = store._read()

    def load(self, name: str) -> Optional[dict[str, Any]]:
        record = self._data["tokens"].get(name)
        return dict(record) if record is not None else None

    def find(self, digest: str) -> Optional[str]:
        return self._data["aliases"].get(digest)  # type: ignore[no-any-return]

    def names(self) -> list[str]:
        return sorted(self._data["tokens"])

    def save(self, name: str, record: dict[str, Any], aliases: tuple[str, ...] = ()) -> None:
        data = self._data
        data["tokens"][name] = dict(record)
        mapped = data["aliases"]
        for digest in aliases:
            mapped[digest] = name
        mine = [digest for digest, owner in mapped.items() if owner == name]
        for digest in mine[:-MAX_ALIASES]:
            del mapped[digest]
        self._store._write(data)

    def delete(self, name: str) -> None:
        self._data["tokens"].pop(name, None)
        self._data["aliases"] = {d: n for d, n in self._data["aliases"].items() if n != name}
        self._store._write(self._data)

    def release(self) -> None:
        self._store._unlock(self._descriptor)


class FileStore(TokenStore):
    """A JSON file, created 0600, locked through ``PATH.lock`` beside it.

    Each write goes to a temporary file in the same directory, is flushed to
    the disk, and replaces the file atomically: a reader sees the old pair or
    the new one, never half of either, even after a crash.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.url = self.path

    def acquire(self) -> Lease:
        directory = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(directory, exist_ok=True)
        descriptor = self._lock()
        try:
            _create_private(self.path)
            return _FileLease(self, descriptor)
        except BaseException:
            self._unlock(descriptor)
            raise

    def _lock(self) -> int:
        descriptor = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock_file(descriptor)
        except BaseException:
            os.close(descriptor)
            raise
        return descriptor

    def _unlock(self, descriptor: int) -> None:
        # Closing the descriptor releases the lock; the lock file stays (removing
        # it would let a waiter lock a file no one else can see).
        os.close(descriptor)

    def _read(self) -> dict[str, Any]:
        with open(self.path, encoding="utf-8") as file:
            text = file.read()
        if not text.strip():
            return {"tokens": {}, "aliases": {}}
        try:
            data = json.loads(text)
        except ValueError:
            raise ValueError(
                f"the token store {self.path} is not a tweepy-dm token file (not JSON); "
                "give another path, or remove it"
            ) from None
        if not isinstance(data, dict) or not isinstance(data.get("tokens"), dict):
            raise ValueError(
                f"the token store {self.path} is not a tweepy-dm token file "
                '(no "tokens" object); give another path, or remove it'
            )
        data.setdefault("aliases", {})
        return data

    def _write(self, data: dict[str, Any]) -> None:
        directory = os.path.dirname(os.path.abspath(self.path))
        descriptor, temporary = tempfile.mkstemp(prefix=".tokens-", dir=directory)
        try:
            os.fchmod(descriptor, 0o600) if hasattr(os, "fchmod") else None
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                json.dump(data, file, indent=1, sort_keys=True)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _fsync_directory(directory)


if os.name == "nt":  # pragma: no cover - Windows
    import msvcrt

    def _lock_file(descriptor: int) -> None:
        msvcrt.locking(descriptor, msvcrt.LK_LOCK, 1)

    def _fsync_directory(directory: str) -> None:
        pass

else:
    import fcntl

    def _lock_file(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX)

    def _fsync_directory(directory: str) -> None:
        # The rename itself is durable only once the directory is.
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# -- SQL: SQLite (BEGIN IMMEDIATE) and PostgreSQL (an advisory lock) ---------------------

_TABLES = (
    "CREATE TABLE IF NOT EXISTS tweepy_dm_tokens (name TEXT PRIMARY KEY, record TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS tweepy_dm_token_aliases "
    "(alias TEXT PRIMARY KEY, name TEXT NOT NULL)",
)


class _SQLLease(Lease):
    placeholder = "?"

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def _execute(self, sql: str, args: tuple[Any, ...] = ()) -> Any:
        cursor = self._connection.cursor()
        cursor.execute(sql.replace("?", self.placeholder), args)
        return cursor

    def load(self, name: str) -> Optional[dict[str, Any]]:
        row = self._execute("SELECT record FROM tweepy_dm_tokens WHERE name = ?", (name,))
        found = row.fetchone()
        return json.loads(found[0]) if found else None

    def find(self, digest: str) -> Optional[str]:
        row = self._execute("SELECT name FROM tweepy_dm_token_aliases WHERE alias = ?", (digest,))
        found = row.fetchone()
        return found[0] if found else None

    def names(self) -> list[str]:
        rows = self._execute("SELECT name FROM tweepy_dm_tokens ORDER BY name").fetchall()
        return [row[0] for row in rows]

    def save(self, name: str, record: dict[str, Any], aliases: tuple[str, ...] = ()) -> None:
        self._execute("DELETE FROM tweepy_dm_tokens WHERE name = ?", (name,))
        self._execute(
            "INSERT INTO tweepy_dm_tokens (name, record) VALUES (?, ?)",
            (name, json.dumps(record, sort_keys=True)),
        )
        for digest in aliases:
            self._execute("DELETE FROM tweepy_dm_token_aliases WHERE alias = ?", (digest,))
            self._execute(
                "INSERT INTO tweepy_dm_token_aliases (alias, name) VALUES (?, ?)", (digest, name)
            )
        self._commit()

    def delete(self, name: str) -> None:
        self._execute("DELETE FROM tweepy_dm_tokens WHERE name = ?", (name,))
        self._execute("DELETE FROM tweepy_dm_token_aliases WHERE name = ?", (name,))
        self._commit()

    def _commit(self) -> None:
        raise NotImplementedError


class _SQLiteLease(_SQLLease):
    def _commit(self) -> None:
        # Durable at COMMIT (synchronous=FULL), then the lock is taken again
        # for the rest of the lease.
        self._connection.execute("COMMIT")
        self._connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        try:
            self._connection.execute("COMMIT")
        finally:
            self._connection.close()


class SQLiteStore(TokenStore):
    """``sqlite:///path``: the lock is SQLite's write lock (``BEGIN IMMEDIATE``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = url[len("sqlite:///") :] if url.startswith("sqlite:///") else url

    def acquire(self) -> Lease:
        if self.path != ":memory:":
            _create_private(self.path)
        # Waits up to a minute for another process's refresh (one request to X).
        connection = sqlite3.connect(
            self.path, timeout=60.0, isolation_level=None, check_same_thread=False
        )
        try:
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("BEGIN IMMEDIATE")
            for statement in _TABLES:
                connection.execute(statement)
        except BaseException:
            connection.close()
            raise
        return _SQLiteLease(connection)


# The advisory lock's key: any constant the bot's own (7140014) is not.
_PG_LOCK_KEY = 7140015


class _PostgresLease(_SQLLease):
    placeholder = "%s"

    def _commit(self) -> None:
        pass  # autocommit: each statement is durable when it returns

    def release(self) -> None:
        try:
            self._execute(f"SELECT pg_advisory_unlock({_PG_LOCK_KEY})")
        finally:
            self._connection.close()


class PostgresStore(TokenStore):
    """``postgresql://…``: a session advisory lock, released when the session ends."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg
        except ImportError:
            raise ImportError(
                "a postgresql:// token store needs psycopg 3: pip install 'tweepy-dm[postgres]'"
            ) from None
        self._psycopg = psycopg
        self._dsn = url
        self.url = _redact(url)

    def acquire(self) -> Lease:
        connection = self._psycopg.connect(self._dsn, autocommit=True)
        try:
            lease = _PostgresLease(connection)
            lease._execute(f"SELECT pg_advisory_lock({_PG_LOCK_KEY})")
            for statement in _TABLES:
                lease._execute(statement)
        except BaseException:
            connection.close()
            raise
        return lease


def open_token_store(store: Any) -> TokenStore:
    """The store ``store`` names: a :class:`TokenStore`, ``sqlite:///path``,
    ``postgresql://…`` (the bot's URLs), a plain path (a JSON file), or None (memory)."""
    if store is None:
        return MemoryStore()
    if isinstance(store, TokenStore):
        return store
    if isinstance(store, os.PathLike):
        return FileStore(store)
    if not isinstance(store, str):
        raise TypeError(
            "store must be a path, a sqlite:/// or postgresql:// URL, or None, "
            f"not {type(store).__name__}"
        )
    if not store:
        raise ValueError("store must be a path, a sqlite:/// or postgresql:// URL; got ''")
    if store.startswith(("postgresql://", "postgres://")):
        return PostgresStore(store)
    if store.startswith("sqlite:///"):
        return SQLiteStore(store)
    if "://" in store:
        raise ValueError(
            "store must be a path, sqlite:///path or postgresql://…, "
            f"not a {store.split('://')[0]!r} URL"
        )
    return FileStore(store)
