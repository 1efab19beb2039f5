"""The bot's store in PostgreSQL (psycopg 3): any number of processes on any number of machines."""

from __future__ import annotations

from typing import Any

from tweepy_dm.bot._store import BotStore, redact

psycopg: Any
try:
    import psycopg
except ImportError:  # pragma: no cover - depends on the environment
    psycopg = None


class PostgresStore(BotStore):
    """``postgresql://user:password@host:port/database``, or a libpq key=value DSN.

    Workers claim rows with ``SELECT … FOR UPDATE SKIP LOCKED``, so that they
    never wait for each other's events; transactions are short (no request to
    X is made inside one).
    """

    claim_lock = " FOR UPDATE SKIP LOCKED"
    serial = "BIGSERIAL PRIMARY KEY"
    placeholder = "%s"

    def __init__(self, url: str) -> None:
        if psycopg is None:
            raise ImportError(
                "a postgresql:// store needs psycopg 3: pip install 'tweepy-dm[postgres]'"
            )
        super().__init__()
        self._dsn = url
        self.url = redact(url)

    def __repr__(self) -> str:
        return f"<PostgresStore {self.url}>"

    def _connect(self) -> Any:
        # No prepared statements: a generic plan of the inbox's claim (its time and
        # position unknown) reads every ready event; a plan for the values stops at 8.
        return psycopg.connect(self._dsn, autocommit=False, prepare_threshold=None)

    def _scan_in_order(self, cursor: Any) -> None:
        # The inbox grows faster than autovacuum's ANALYZE follows: planned on stale
        # statistics (a few pending events), the claim became a bitmap scan that
        # tested whether each of thousands of pending events was first in its
        # conversation, then sorted them, 45 ms per claim at 4,000 pending. Read in
        # the index's order, it stops at the first 8 that are (5 ms).
        cursor.execute("SET LOCAL enable_bitmapscan = off")

    def _broken(self, connection: Any) -> bool:
        return bool(connection.closed or getattr(connection, "broken", False))

    def _begin(self, connection: Any) -> None:
        pass  # psycopg opens a transaction with the first statement

    def _setup_lock(self, cursor: Any) -> None:
        # CREATE TABLE IF NOT EXISTS races between processes starting together.
        cursor.execute("SELECT pg_advisory_xact_lock(7140014)")
