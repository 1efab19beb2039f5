"""The bot's durable state, in SQL that SQLite and PostgreSQL both run.

One :class:`BotStore` class holds every query; :mod:`._sqlite` and :mod:`._postgres`
only open connections and say how a transaction that claims rows starts
(SQLite: ``BEGIN IMMEDIATE``, one writer at a time; PostgreSQL:
``SELECT … FOR UPDATE SKIP LOCKED``, claimers skip each other's rows).

Tables: ``meta`` (creation time, poller checkpoints), ``inbox`` (one row per
DM event id), ``outbox`` (replies), ``budgets`` (X's send budgets per scope,
and who is sending on it), ``fairness`` (when each conversation was last
served), ``conversations`` (each conversation's state, data and timeout),
``leases`` (leaders) and ``leader_log`` (every change of leader).
Times are epoch seconds from the caller's clock.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple, Optional

from tweepy_dm.bot import _outbox

#: Inbox states.
PENDING, RUNNING, DONE, DEAD = "pending", "running", "done", "dead"
#: Outbox states besides pending and dead.
SENDING, UNKNOWN, CHECKING, SENT = "sending", "unknown", "checking", "sent"

#: The scope of the app-wide send budget.
APP_SCOPE = "app"
#: The tables' layout, kept in ``meta``: a later version that changes it migrates
#: stores that say an older one, and this one refuses stores that say another.
SCHEMA_VERSION = "1"


class StoreLost(RuntimeError):
    """The store is gone for good (its SQLite file was deleted or replaced).

    Carrying on would handle and answer into a store that no one will read
    again, and a restart would answer the same messages once more: the bot
    stops instead.

    .. versionadded:: 0.2
    """


class InboxRow(NamedTuple):
    event_id: str
    bot_id: str
    sender_id: str
    conversation_id: str
    payload: dict[str, Any]
    attempts: int
    source: str
    #: Whether the message came as an XChat message request, as its source knew it
    #: (None: the source did not say).
    message_request: Optional[bool] = None


#: Where a row's ``message_request`` is kept: beside X's fields in the payload's JSON (X
#: names none like it), so that stores made before it need no new column.
_MESSAGE_REQUEST = "_tweepy_dm_message_request"


def _stored_payload(row: Mapping[str, Any]) -> str:
    payload = dict(row["payload"])
    if row.get("message_request") is not None:
        payload[_MESSAGE_REQUEST] = bool(row["message_request"])
    return json.dumps(payload)


def _loaded_payload(text: str) -> tuple[dict[str, Any], Optional[bool]]:
    payload = json.loads(text)
    return payload, payload.pop(_MESSAGE_REQUEST, None)


class QueuedReply(NamedTuple):
    """A message a handler queued: to a conversation, or to a participant."""

    bot_id: str
    text: str
    conversation_id: Optional[str] = None
    participant_id: Optional[str] = None
    media_id: Optional[str] = None


class OutboxRow(NamedTuple):
    id: int
    bot_id: str
    scope: str
    text: str
    conversation_id: Optional[str]
    participant_id: Optional[str]
    media_id: Optional[str]
    state: str  # what the claim is for: SENDING or CHECKING
    attempt_at: Optional[float]  # when the send whose outcome is unknown began


class ConversationRow(NamedTuple):
    """A conversation's state (None outside any), its JSON data, when its state times out."""

    bot_id: str
    conversation_id: str
    state: Optional[str]
    data: dict[str, Any]
    expires_at: Optional[float]


# Snowflake ids count milliseconds from X's epoch in their high bits.
_SNOWFLAKE_EPOCH_MS = 1288834974657


def position(payload: Mapping[str, Any], now: float) -> int:
    """Where a message stands in its conversation: its id, for X's ids grow with time
    (DM event ids are snowflakes, XChat's sequence ids count up); else a snowflake of
    when it arrived."""
    message_id = str(payload.get("id", ""))
    if message_id.isdigit() and int(message_id) < 2**63:
        return int(message_id)
    return max(0, int(now * 1000) - _SNOWFLAKE_EPOCH_MS) << 22


# Where an event may be claimed in its conversation (parameters: _in_order_parameters): first
# of its conversation's unfinished ones, none other of it leased, its conversation's
# timeout neither running nor due before the event arrived.
_IN_ORDER = (
    " LEFT JOIN conversations c ON c.bot_id = i.bot_id AND c.conversation_id = i.conversation_id"
    # One probe of inbox_unfinished per event looked at (a correlated subquery: the
    # planner cannot make it a join of every pair of a conversation's events).
    " WHERE i.event_id = (SELECT e.event_id FROM inbox e WHERE e.bot_id = i.bot_id"
    " AND e.conversation_id = i.conversation_id AND e.state IN ('pending', 'running')"
    " ORDER BY e.position, e.event_id LIMIT 1)"
    # Read in inbox_running (a literal state, so that the partial index applies): not
    # every unfinished event of a conversation with a backlog.
    " AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.bot_id = i.bot_id"
    " AND e.conversation_id = i.conversation_id AND e.state = 'running'"
    " AND e.lease_until >= ? AND e.event_id <> i.event_id)"
    " AND (c.expires_at IS NULL OR c.expires_at > i.received_at)"
    " AND (c.lease_until IS NULL OR c.lease_until < ?)"
)


_CLAIM = (
    "SELECT i.event_id, i.bot_id, i.sender_id, i.conversation_id, i.payload,"
    " i.attempts, i.source, i.state FROM inbox i" + _IN_ORDER
)
_EXPIRED = " AND i.state = ? AND i.lease_until < ? ORDER BY i.lease_until LIMIT 8"
# inbox_pending's order: read in it, the scan stops at the first 8 claimable events.
_READY = (
    " AND i.state = 'pending' AND i.next_at <= ? ORDER BY i.next_at, i.position, i.event_id LIMIT 8"
)


def _in_order_parameters(now: float) -> tuple[Any, ...]:
    return (now, now)


_USERINFO_PASSWORD = re.compile(r"^(\w+://[^:/@?#]*):[^@/?#]*@")
_QUERY_PASSWORD = re.compile(r"([?&]password=)[^&#]*", re.IGNORECASE)
_DSN_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|\S*)", re.IGNORECASE)


def redact(url: str) -> str:
    """A store's URL or DSN without its password, for reprs, status and logs.

    Covers ``scheme://user:password@host``, ``?password=`` in the query, and a
    key=value DSN's ``password=`` (quoted or not).
    """
    if "://" in url:
        return _QUERY_PASSWORD.sub(r"\1***", _USERINFO_PASSWORD.sub(r"\1:***@", url))
    return _DSN_PASSWORD.sub(r"\1***", url)


def _storable(error: str) -> str:
    """An error's text as PostgreSQL's text can hold it (no NUL)."""
    return error.replace("\x00", "\\x00")


def _schema(serial: str) -> list[str]:
    return [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE IF NOT EXISTS inbox (
            event_id TEXT PRIMARY KEY, bot_id TEXT NOT NULL, sender_id TEXT NOT NULL,
            conversation_id TEXT NOT NULL, payload TEXT NOT NULL, source TEXT NOT NULL,
            received_at DOUBLE PRECISION NOT NULL, state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, next_at DOUBLE PRECISION NOT NULL,
            lease_owner TEXT, lease_until DOUBLE PRECISION, last_error TEXT,
            completed_at DOUBLE PRECISION, completions INTEGER NOT NULL DEFAULT 0,
            position BIGINT NOT NULL DEFAULT 0)""",
        "CREATE INDEX IF NOT EXISTS inbox_ready ON inbox (state, next_at)",
        # The unfinished events of each conversation, in order: what a claim looks at.
        "CREATE INDEX IF NOT EXISTS inbox_unfinished ON inbox"
        " (bot_id, conversation_id, position, event_id) WHERE state IN ('pending', 'running')",
        # The claim's order: read in it, the scan stops at the first few events that
        # are first in their conversations.
        "CREATE INDEX IF NOT EXISTS inbox_pending ON inbox (state, next_at, position, event_id)",
        # The leased events of each conversation (a claim checks that it has none).
        "CREATE INDEX IF NOT EXISTS inbox_running ON inbox (bot_id, conversation_id)"
        " WHERE state = 'running'",
        # One row per conversation, made with its first message: claims lock it
        # (PostgreSQL) so that one conversation is claimed by one worker at a time.
        """CREATE TABLE IF NOT EXISTS conversations (
            bot_id TEXT NOT NULL, conversation_id TEXT NOT NULL, state TEXT,
            data TEXT NOT NULL DEFAULT '{}', expires_at DOUBLE PRECISION,
            lease_owner TEXT, lease_until DOUBLE PRECISION,
            PRIMARY KEY (bot_id, conversation_id))""",
        "CREATE INDEX IF NOT EXISTS conversations_expiry ON conversations (expires_at)",
        f"""CREATE TABLE IF NOT EXISTS outbox (
            id {serial}, bot_id TEXT NOT NULL, scope TEXT NOT NULL, fair_key TEXT NOT NULL,
            text TEXT NOT NULL, conversation_id TEXT, participant_id TEXT, media_id TEXT,
            source_event TEXT, created_at DOUBLE PRECISION NOT NULL, state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, next_at DOUBLE PRECISION NOT NULL,
            lease_owner TEXT, lease_until DOUBLE PRECISION, attempt_at DOUBLE PRECISION,
            sent_event_id TEXT, sent_at DOUBLE PRECISION, last_error TEXT)""",
        "CREATE INDEX IF NOT EXISTS outbox_ready ON outbox (state, next_at)",
        """CREATE TABLE IF NOT EXISTS budgets (
            scope TEXT PRIMARY KEY, windows TEXT NOT NULL, learned INTEGER NOT NULL,
            blocked_until DOUBLE PRECISION NOT NULL DEFAULT 0,
            busy_owner TEXT, busy_until DOUBLE PRECISION)""",
        """CREATE TABLE IF NOT EXISTS fairness (
            fair_key TEXT PRIMARY KEY, last_served DOUBLE PRECISION NOT NULL)""",
        """CREATE TABLE IF NOT EXISTS leases (
            name TEXT PRIMARY KEY, owner TEXT, expires DOUBLE PRECISION NOT NULL,
            epoch INTEGER NOT NULL)""",
        f"""CREATE TABLE IF NOT EXISTS leader_log (
            id {serial}, name TEXT NOT NULL, owner TEXT NOT NULL, epoch INTEGER NOT NULL,
            acquired_at DOUBLE PRECISION NOT NULL, previous_expired DOUBLE PRECISION)""",
    ]


class BotStore:
    """The bot's tables and every query on them.

    A store is shared by the threads of one process; each thread has its own
    connection. Subclasses set :attr:`url` (without a password) and implement
    :meth:`_connect`, :meth:`_begin` and the SQL differences below.
    """

    #: Appended to the SELECT that picks rows to claim.
    claim_lock = ""
    #: The column type of an auto-numbered primary key.
    serial = "INTEGER PRIMARY KEY"
    placeholder = "?"
    url = ""

    def __init__(self) -> None:
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()

    # -- connections and transactions (subclasses) --------------------------------

    def _connect(self) -> Any:
        raise NotImplementedError

    def _begin(self, connection: Any) -> None:
        raise NotImplementedError

    def _setup_lock(self, cursor: Any) -> None:
        """Serialize schema creation between processes (PostgreSQL)."""

    def _connection(self) -> Any:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = self._local.connection = self._connect()
            with self._lock:
                self._connections.append(connection)
        return connection

    def _broken(self, connection: Any) -> bool:
        """Whether a connection is lost for good (the server restarted, the network broke)."""
        return False

    def _forget(self, connection: Any) -> None:
        """Drop this thread's connection if it is lost, so that the next transaction
        connects anew: a server that comes back is used again."""
        if not self._broken(connection):
            return
        self._local.connection = None
        with self._lock:
            if connection in self._connections:
                self._connections.remove(connection)
        try:
            connection.close()
        except Exception:  # already unusable
            pass

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        """A cursor inside one transaction: committed on exit, rolled back on an error."""
        connection = self._connection()
        try:
            self._begin(connection)
            cursor = connection.cursor()
        except BaseException:
            self._forget(connection)
            raise
        try:
            yield _Cursor(cursor, self.placeholder)
        except BaseException:
            try:
                connection.rollback()
            except Exception:
                if not self._broken(connection):
                    raise
            self._forget(connection)
            raise
        else:
            try:
                connection.commit()
            except BaseException:
                self._forget(connection)
                raise
        finally:
            try:
                cursor.close()
            except Exception:  # the connection is gone; nothing to close
                pass

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            try:
                connection.close()
            except Exception:  # a connection of a dead thread may be unusable
                pass
        self._local = threading.local()

    def setup(self, now: float) -> None:
        """Create the tables if need be and remember when the store was created."""
        try:
            # Existing tables are left alone: even CREATE … IF NOT EXISTS takes
            # table locks that would deadlock with running workers.
            created = self.get_meta("created_at")
        except Exception:  # no tables yet (the failed transaction was rolled back)
            created = None
        if created is not None:
            schema = self.get_meta("schema")
            if schema != SCHEMA_VERSION:
                raise ValueError(
                    f"{self.url} holds a bot store of schema {schema or 'unknown'}; this "
                    f"tweepy-dm reads schema {SCHEMA_VERSION}: use the version that made it, "
                    "or start a new store"
                )
            return
        with self.transaction() as cursor:
            self._setup_lock(cursor)
            for statement in _schema(self.serial):
                cursor.execute(statement)
            cursor.execute(
                "INSERT INTO meta (key, value) VALUES ('created_at', ?), ('schema', ?)"
                " ON CONFLICT DO NOTHING",
                (repr(float(now)), SCHEMA_VERSION),
            )
            cursor.execute(
                "INSERT INTO budgets (scope, windows, learned) VALUES (?, ?, 0) "
                "ON CONFLICT DO NOTHING",
                (APP_SCOPE, json.dumps(_outbox.documented_windows(APP_SCOPE))),
            )

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"

    # -- meta ------------------------------------------------------------------

    def created_at(self) -> float:
        return float(self.get_meta("created_at") or 0.0)

    def get_meta(self, key: str) -> Optional[str]:
        with self.transaction() as cursor:
            cursor.execute("SELECT value FROM meta WHERE key = ?", (key,))
            row = cursor.fetchone()
        return row[0] if row else None

    # -- inbox -----------------------------------------------------------------

    def ingest(
        self,
        rows: Sequence[Mapping[str, Any]],
        now: float,
        checkpoint: Optional[tuple[str, str]] = None,
    ) -> int:
        """Add inbox events; an event id already there is skipped. Returns how many were new.

        ``checkpoint`` (key, value) is written to ``meta`` in the same transaction.
        """
        added = 0
        with self.transaction() as cursor:
            if checkpoint is not None:
                cursor.execute(
                    "INSERT INTO meta (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    checkpoint,
                )
            for row in rows:
                cursor.execute(
                    "INSERT INTO inbox (event_id, bot_id, sender_id, conversation_id, payload,"
                    " source, received_at, state, next_at, position)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING",
                    (
                        row["event_id"],
                        row["bot_id"],
                        row["sender_id"],
                        row["conversation_id"],
                        _stored_payload(row),
                        row["source"],
                        now,
                        PENDING,
                        now,
                        position(row["payload"], now),
                    ),
                )
                added += max(cursor.rowcount, 0)
                cursor.execute(
                    "INSERT INTO conversations (bot_id, conversation_id) VALUES (?, ?)"
                    " ON CONFLICT DO NOTHING",
                    (row["bot_id"], row["conversation_id"]),
                )
        return added

    def claim_inbox(
        self, owner: str, now: float, lease: float, max_attempts: int
    ) -> Optional[InboxRow]:
        """Lease the oldest ready event to ``owner``; events whose lease expired count too.

        A conversation's messages are claimed one at a time, in order: an event
        waits while an earlier one of its conversation is unfinished (pending,
        retrying, or leased, even to a worker that died: its lease expires and
        that event is claimed again first) or another of it is leased, while
        the conversation's timeout runs, and while a timeout that passed before
        it arrived has not run yet. Different conversations are claimed
        concurrently.

        An event whose lease expired after its last allowed attempt (its
        worker died each time) goes to the dead letters instead.
        """
        with self.transaction() as cursor:
            # Events whose worker died first (few), then the ready ones in order.
            for condition, parameters in ((_EXPIRED, (RUNNING, now)), (_READY, (now,))):
                if condition is _READY:
                    self._scan_in_order(cursor)
                cursor.execute(
                    self._claim_sql(condition), (*_in_order_parameters(now), *parameters)
                )
                for row in cursor.fetchall():
                    claimed = self._take(cursor, row, owner, now, lease, max_attempts)
                    if claimed is not None:
                        return claimed
        return None

    def claim_next(
        self,
        owner: str,
        bot_id: str,
        conversation_id: str,
        now: float,
        lease: float,
        max_attempts: int,
    ) -> Optional[InboxRow]:
        """Lease the next event of one conversation, as :meth:`claim_inbox` would lease it;
        None if it has none that may be claimed now.

        A worker that finished one of the conversation's events asks for the next at
        once: the same order and checks as :meth:`claim_inbox`, without looking at the
        rest of the inbox (a conversation's backlog behind its first event is not read).
        """
        with self.transaction() as cursor:
            cursor.execute(
                "SELECT event_id FROM inbox WHERE bot_id = ? AND conversation_id = ?"
                " AND state IN ('pending', 'running') ORDER BY position, event_id LIMIT 1",
                (bot_id, conversation_id),
            )
            first = cursor.fetchone()
            if first is None:
                return None
            cursor.execute(
                self._claim_sql(" AND i.event_id = ? AND i.state = ? AND i.next_at <= ?"),
                (*_in_order_parameters(now), first[0], PENDING, now),
            )
            row = cursor.fetchone()
            if row is None:
                return None
            return self._take(cursor, row, owner, now, lease, max_attempts)

    def _take(
        self, cursor: Any, row: Any, owner: str, now: float, lease: float, max_attempts: int
    ) -> Optional[InboxRow]:
        """Lease a row a claim found; None if it went to the dead letters or another
        worker holds its conversation."""
        event_id, attempts, state = row[0], row[5], row[7]
        if state == RUNNING and attempts >= max_attempts:
            cursor.execute(
                "UPDATE inbox SET state = ?, lease_owner = NULL, lease_until = NULL,"
                " last_error = ? WHERE event_id = ?",
                (DEAD, "its worker stopped before the handler finished", event_id),
            )
            return None
        if not self._hold_conversation(cursor, row[1], row[3], event_id, now):
            return None
        cursor.execute(
            "UPDATE inbox SET state = ?, lease_owner = ?, lease_until = ?,"
            " attempts = attempts + 1 WHERE event_id = ?",
            (RUNNING, owner, now + lease, event_id),
        )
        payload, request = _loaded_payload(row[4])
        return InboxRow(event_id, row[1], row[2], row[3], payload, attempts + 1, row[6], request)

    def _claim_sql(self, condition: str) -> str:
        lock = self.claim_lock and self.claim_lock.replace("UPDATE", "UPDATE OF i")
        return _CLAIM + condition + lock

    def _scan_in_order(self, cursor: Any) -> None:
        """Make the next query read ``inbox_pending`` in its order (the claim stops early)."""

    def _hold_conversation(
        self, cursor: Any, bot_id: str, conversation_id: str, event_id: str, now: float
    ) -> bool:
        """Lock the conversation's row, then check again that the event may be claimed.

        Under PostgreSQL's READ COMMITTED, the claim's SELECT may have seen an
        earlier state of the conversation (another worker's claim not yet
        committed, a message ingested meanwhile); whoever holds the row has
        committed by the time the check runs again. SQLite's writers take turns:
        the check holds already.
        """
        if self.claim_lock:
            cursor.execute(
                "SELECT 1 FROM conversations WHERE bot_id = ? AND conversation_id = ?"
                + self.claim_lock,
                (bot_id, conversation_id),
            )
            if cursor.fetchone() is None:
                return False  # another worker is claiming in this conversation
            cursor.execute(
                "SELECT i.event_id FROM inbox i" + _IN_ORDER + " AND i.event_id = ?"
                " AND ((i.state = ? AND i.next_at <= ?) OR (i.state = ? AND i.lease_until < ?))",
                (*_in_order_parameters(now), event_id, PENDING, now, RUNNING, now),
            )
            return cursor.fetchone() is not None
        return True

    def conversation(self, bot_id: str, conversation_id: str) -> ConversationRow:
        """A conversation's state, data and timeout (no state and empty data if none)."""
        with self.transaction() as cursor:
            cursor.execute(
                "SELECT state, data, expires_at FROM conversations"
                " WHERE bot_id = ? AND conversation_id = ?",
                (bot_id, conversation_id),
            )
            row = cursor.fetchone()
        if row is None:
            return ConversationRow(bot_id, conversation_id, None, {}, None)
        return ConversationRow(bot_id, conversation_id, row[0], json.loads(row[1]), row[2])

    def _save_conversation(self, cursor: Any, saved: ConversationRow) -> None:
        cursor.execute(
            "INSERT INTO conversations (bot_id, conversation_id, state, data, expires_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (bot_id, conversation_id) DO UPDATE SET"
            " state = excluded.state, data = excluded.data, expires_at = excluded.expires_at",
            (
                saved.bot_id,
                saved.conversation_id,
                saved.state,
                json.dumps(saved.data),
                saved.expires_at,
            ),
        )

    def claim_timeout(self, owner: str, now: float, lease: float) -> Optional[ConversationRow]:
        """Lease a conversation whose timeout passed, once the messages it got in time are handled.

        The row returned holds the state that timed out and the conversation's data.
        """
        with self.transaction() as cursor:
            cursor.execute(
                "SELECT c.bot_id, c.conversation_id, c.state, c.data, c.expires_at"
                " FROM conversations c WHERE c.expires_at <= ?"
                " AND (c.lease_until IS NULL OR c.lease_until < ?)"
                " AND NOT EXISTS (SELECT 1 FROM inbox e WHERE e.bot_id = c.bot_id"
                " AND e.conversation_id = c.conversation_id AND e.state IN (?, ?)"
                " AND e.received_at < c.expires_at)"
                " ORDER BY c.expires_at LIMIT 1" + self.claim_lock,
                (now, now, PENDING, RUNNING),
            )
            row = cursor.fetchone()
            if row is None:
                return None
            cursor.execute(
                "UPDATE conversations SET lease_owner = ?, lease_until = ?"
                " WHERE bot_id = ? AND conversation_id = ?",
                (owner, now + lease, row[0], row[1]),
            )
        return ConversationRow(row[0], row[1], row[2], json.loads(row[3]), row[4])

    def finish_timeout(
        self,
        timed_out: ConversationRow,
        owner: str,
        replies: Sequence[QueuedReply],
        now: float,
        data: Optional[Mapping[str, Any]] = None,
    ) -> bool:
        """End the conversation and queue the timeout handler's replies; False if the lease
        was lost. ``data`` None keeps the data as it was (the handler failed)."""
        with self.transaction() as cursor:
            cursor.execute(
                "UPDATE conversations SET state = NULL, expires_at = NULL, data = ?,"
                " lease_owner = NULL, lease_until = NULL"
                " WHERE bot_id = ? AND conversation_id = ? AND lease_owner = ?",
                (
                    json.dumps(timed_out.data if data is None else data),
                    timed_out.bot_id,
                    timed_out.conversation_id,
                    owner,
                ),
            )
            if cursor.rowcount != 1:
                return False
            for reply in replies:
                self._queue(cursor, reply, None, now)
        return True

    def complete(
        self,
        event_id: str,
        owner: str,
        replies: Sequence[QueuedReply],
        now: float,
        conversation: Optional[ConversationRow] = None,
    ) -> bool:
        """Mark the event done, queue its replies and save the conversation's state, together;
        False if the lease was lost."""
        with self.transaction() as cursor:
            cursor.execute(
                "UPDATE inbox SET state = ?, completed_at = ?, completions = completions + 1,"
                " lease_owner = NULL, lease_until = NULL, last_error = NULL"
                " WHERE event_id = ? AND state = ? AND lease_owner = ?",
                (DONE, now, event_id, RUNNING, owner),
            )
            if cursor.rowcount != 1:
                return False
            for reply in replies:
                self._queue(cursor, reply, event_id, now)
            if conversation is not None:
                self._save_conversation(cursor, conversation)
        return True

    def queue(self, replies: Sequence[QueuedReply], now: float) -> None:
        """Queue messages outside any handler."""
        with self.transaction() as cursor:
            for reply in replies:
                self._queue(cursor, reply, None, now)

    def _queue(
        self, cursor: Any, reply: QueuedReply, source_event: Optional[str], now: float
    ) -> None:
        scope = _outbox.scope_of(reply)
        cursor.execute(
            "INSERT INTO outbox (bot_id, scope, fair_key, text, conversation_id, participant_id,"
            " media_id, source_event, created_at, state, next_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                reply.bot_id,
                scope,
                _outbox.fair_key(reply),
                reply.text,
                reply.conversation_id,
                reply.participant_id,
                reply.media_id,
                source_event,
                now,
                PENDING,
                now,
            ),
        )
        cursor.execute(
            "INSERT INTO budgets (scope, windows, learned) VALUES (?, ?, 0) ON CONFLICT DO NOTHING",
            (scope, json.dumps(_outbox.documented_windows(scope))),
        )

    def fail(self, event_id: str, owner: str, error: str, retry_at: Optional[float]) -> bool:
        """The handler failed: retry at ``retry_at``, or dead-letter when it is None."""
        error = _storable(error)
        with self.transaction() as cursor:
            if retry_at is None:
                cursor.execute(
                    "UPDATE inbox SET state = ?, lease_owner = NULL, lease_until = NULL,"
                    " last_error = ? WHERE event_id = ? AND state = ? AND lease_owner = ?",
                    (DEAD, error, event_id, RUNNING, owner),
                )
            else:
                cursor.execute(
                    "UPDATE inbox SET state = ?, next_at = ?, lease_owner = NULL,"
                    " lease_until = NULL, last_error = ?"
                    " WHERE event_id = ? AND state = ? AND lease_owner = ?",
                    (PENDING, retry_at, error, event_id, RUNNING, owner),
                )
            return cursor.rowcount == 1

    def release(self, owner: str, now: float) -> int:
        """Give back the events ``owner`` holds without counting an attempt (a clean stop)."""
        with self.transaction() as cursor:
            cursor.execute(
                "UPDATE inbox SET state = ?, next_at = ?, attempts = attempts - 1,"
                " lease_owner = NULL, lease_until = NULL WHERE state = ? AND lease_owner = ?",
                (PENDING, now, RUNNING, owner),
            )
            return cursor.rowcount

    def replay(self, event_ids: Optional[Sequence[str]], now: float) -> int:
        """Put dead letters (all, or these ids) back in the inbox with fresh attempts."""
        with self.transaction() as cursor:
            if event_ids is None:
                cursor.execute(
                    "UPDATE inbox SET state = ?, attempts = 0, next_at = ? WHERE state = ?",
                    (PENDING, now, DEAD),
                )
                return cursor.rowcount
            count = 0
            for event_id in event_ids:
                cursor.execute(
                    "UPDATE inbox SET state = ?, attempts = 0, next_at = ?"
                    " WHERE state = ? AND event_id = ?",
                    (PENDING, now, DEAD, event_id),
                )
                count += cursor.rowcount
            return count

    def dead_letters(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.transaction() as cursor:
            cursor.execute(
                "SELECT event_id, bot_id, sender_id, attempts, last_error FROM inbox"
                " WHERE state = ? ORDER BY received_at, event_id LIMIT ?",
                (DEAD, limit),
            )
            names = ("event_id", "bot_id", "sender_id", "attempts", "error")
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    # -- outbox ----------------------------------------------------------------

    def claim_outbox(
        self, owner: str, now: float, lease: float, send_lease: Optional[float] = None
    ) -> Optional[OutboxRow]:
        """Lease the next message to send (or to check) within the budgets.

        A message claimed to be sent stays claimed ``send_lease`` seconds (by
        default ``lease``): until its send can no longer land at X, so that no
        one looks for it, or sends it again, meanwhile. Its scope waits only
        ``lease`` for the sender, as for a look-up.

        Oldest first within a conversation, and the conversation served least
        recently first, so that one busy conversation does not starve the
        others. Sends on one scope (a bot user and endpoint) go one at a time,
        so X's headers after each send are the exact budget left; the send
        budget is reserved here, in the same transaction as the claim.
        """
        with self.transaction() as cursor:
            # The app's budget row first, always: every transaction that touches
            # budgets or claimed outbox rows takes it first, so none deadlocks.
            app = self._lock_budget(cursor, APP_SCOPE)
            cursor.execute(
                "SELECT o.id, o.bot_id, o.scope, o.text, o.conversation_id, o.participant_id,"
                " o.media_id, o.state, o.attempt_at, o.fair_key FROM outbox o"
                " JOIN budgets b ON b.scope = o.scope"
                " LEFT JOIN fairness f ON f.fair_key = o.fair_key"
                " WHERE ((o.state IN (?, ?) AND o.next_at <= ?)"
                " OR (o.state IN (?, ?) AND o.lease_until < ?))"
                # Scopes with no budget left, or with a send under way, wait.
                " AND (b.busy_until IS NULL OR b.busy_until < ?)"
                " AND (b.blocked_until <= ? OR o.state <> ?)"
                " ORDER BY COALESCE(f.last_served, 0), o.id LIMIT 32"
                + (self.claim_lock and self.claim_lock.replace("UPDATE", "UPDATE OF o")),
                (PENDING, UNKNOWN, now, SENDING, CHECKING, now, now, now, PENDING),
            )
            candidates = cursor.fetchall()
            budgets: dict[str, Any] = {}
            for row in candidates:
                (row_id, bot_id, scope, text, conversation, participant, media, state) = row[:8]
                attempt_at, key = row[8], row[9]
                if scope not in budgets:
                    budgets[scope] = self._lock_budget(cursor, scope)
                budget = budgets[scope]
                if budget is None or (budget[2] is not None and budget[2] > now):
                    continue  # someone is sending on this scope
                if state == PENDING:
                    windows = _outbox.reserve(json.loads(budget[0]), now)
                    app_windows = _outbox.reserve(json.loads(app[0]), now)
                    if windows is None or app_windows is None:
                        continue
                    cursor.execute(
                        "UPDATE budgets SET windows = ? WHERE scope = ?",
                        (json.dumps(app_windows), APP_SCOPE),
                    )
                    app = (json.dumps(app_windows), *app[1:])
                    claim, attempt_at = SENDING, now
                else:
                    windows, claim = json.loads(budget[0]), CHECKING
                cursor.execute(
                    "UPDATE budgets SET windows = ?, blocked_until = ?, busy_owner = ?,"
                    " busy_until = ? WHERE scope = ?",
                    (
                        json.dumps(windows),
                        _outbox.blocked_until(windows),
                        owner,
                        now + lease,
                        scope,
                    ),
                )
                held = max(lease, send_lease or 0.0) if claim == SENDING else lease
                cursor.execute(
                    "UPDATE outbox SET state = ?, lease_owner = ?, lease_until = ?,"
                    " attempt_at = ?, attempts = attempts + ? WHERE id = ?",
                    (claim, owner, now + held, attempt_at, 1 if claim == SENDING else 0, row_id),
                )
                cursor.execute(
                    "INSERT INTO fairness (fair_key, last_served) VALUES (?, ?)"
                    " ON CONFLICT (fair_key) DO UPDATE SET last_served = excluded.last_served",
                    (key, now),
                )
                return OutboxRow(
                    row_id, bot_id, scope, text, conversation, participant, media, claim, attempt_at
                )
        return None

    def _lock_budget(self, cursor: Any, scope: str) -> Any:
        cursor.execute(
            "SELECT windows, learned, busy_until, busy_owner FROM budgets WHERE scope = ?"
            + (" FOR UPDATE" if self.claim_lock else ""),
            (scope,),
        )
        return cursor.fetchone()

    def finish_outbox(
        self,
        row: OutboxRow,
        owner: str,
        now: float,
        *,
        state: str,
        headers: Optional[Mapping[str, str]] = None,
        next_at: Optional[float] = None,
        sent_event_id: Optional[str] = None,
        error: Optional[str] = None,
    ) -> bool:
        """Record what became of a claimed message and what X said of the budgets."""
        error = None if error is None else _storable(error)
        with self.transaction() as cursor:
            app = self._lock_budget(cursor, APP_SCOPE)
            budget = self._lock_budget(cursor, row.scope)
            if headers:
                windows = _outbox.learn(
                    json.loads(budget[0]), headers, row.scope, exact=True, started=row.attempt_at
                )
                if windows is not None:
                    cursor.execute(
                        "UPDATE budgets SET windows = ?, blocked_until = ?, learned = 1"
                        " WHERE scope = ?",
                        (json.dumps(windows), _outbox.blocked_until(windows), row.scope),
                    )
                app_windows = _outbox.learn(json.loads(app[0]), headers, APP_SCOPE, exact=False)
                if app_windows is not None and (app[1] == 0 or app_windows):
                    cursor.execute(
                        "UPDATE budgets SET windows = ?, learned = 1 WHERE scope = ?",
                        (json.dumps(app_windows), APP_SCOPE),
                    )
            cursor.execute(
                "UPDATE budgets SET busy_owner = NULL, busy_until = NULL"
                " WHERE scope = ? AND busy_owner = ?",
                (row.scope, owner),
            )
            cursor.execute(
                "UPDATE outbox SET state = ?, next_at = ?, sent_event_id = ?, sent_at = ?,"
                " last_error = ?, lease_owner = NULL, lease_until = NULL"
                " WHERE id = ? AND state = ? AND lease_owner = ?",
                (
                    state,
                    next_at if next_at is not None else now,
                    sent_event_id,
                    now if state == SENT else None,
                    error,
                    row.id,
                    row.state,
                    owner,
                ),
            )
            return cursor.rowcount == 1

    def sent_event_ids(self, fair_key: str) -> set[str]:
        """Ids of the messages the outbox knows it sent in a conversation."""
        with self.transaction() as cursor:
            cursor.execute(
                "SELECT sent_event_id FROM outbox WHERE fair_key = ? AND sent_event_id IS NOT NULL",
                (fair_key,),
            )
            return {row[0] for row in cursor.fetchall()}

    # -- leases ----------------------------------------------------------------

    def acquire(self, name: str, owner: str, now: float, ttl: float) -> bool:
        """Take or renew the lease ``name`` for ``owner``; False if another holds it."""
        with self.transaction() as cursor:
            cursor.execute(
                "INSERT INTO leases (name, owner, expires, epoch) VALUES (?, NULL, 0, 0)"
                " ON CONFLICT DO NOTHING",
                (name,),
            )
            cursor.execute(
                "SELECT owner, expires, epoch FROM leases WHERE name = ?"
                + (" FOR UPDATE" if self.claim_lock else ""),
                (name,),
            )
            holder, expires, epoch = cursor.fetchone()
            if holder == owner and expires >= now:
                cursor.execute("UPDATE leases SET expires = ? WHERE name = ?", (now + ttl, name))
                return True
            if holder is not None and expires >= now:
                return False
            cursor.execute(
                "UPDATE leases SET owner = ?, expires = ?, epoch = ? WHERE name = ?",
                (owner, now + ttl, epoch + 1, name),
            )
            cursor.execute(
                "INSERT INTO leader_log (name, owner, epoch, acquired_at, previous_expired)"
                " VALUES (?, ?, ?, ?, ?)",
                (name, owner, epoch + 1, now, expires if holder is not None else None),
            )
            return True

    def give_up(self, name: str, owner: str) -> None:
        """Let the lease go at once, so that another takes over without waiting."""
        with self.transaction() as cursor:
            cursor.execute(
                "UPDATE leases SET owner = NULL, expires = 0 WHERE name = ? AND owner = ?",
                (name, owner),
            )

    def leader_log(self, name: Optional[str] = None) -> list[dict[str, Any]]:
        with self.transaction() as cursor:
            cursor.execute(
                "SELECT name, owner, epoch, acquired_at, previous_expired FROM leader_log"
                + (" WHERE name = ?" if name else "")
                + " ORDER BY id",
                (name,) if name else (),
            )
            names = ("name", "owner", "epoch", "acquired_at", "previous_expired")
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    # -- status ----------------------------------------------------------------

    def next_due(self) -> Optional[float]:
        """No earlier than this, time alone can make work due; None if nothing is unfinished.

        A lower bound: the earliest retry or look-up time (``next_at``), lease
        expiry of a running event or a message being sent or checked, and
        conversation timeout. Until then a worker that finds nothing to do at
        one moment finds nothing at the next, unless something new arrives.
        A state this does not know counts as due at once (-1).
        """
        with self.transaction() as cursor:
            cursor.execute(
                "SELECT MIN(t) FROM ("
                " SELECT MIN(CASE WHEN state = ? THEN next_at"
                " WHEN state = ? THEN COALESCE(lease_until, -1) ELSE -1 END) AS t"
                " FROM inbox WHERE state NOT IN (?, ?)"
                " UNION ALL SELECT MIN(CASE WHEN state IN (?, ?) THEN next_at"
                " WHEN state IN (?, ?) THEN COALESCE(lease_until, -1) ELSE -1 END)"
                " FROM outbox WHERE state NOT IN (?, ?)"
                " UNION ALL SELECT MIN(expires_at) FROM conversations"
                ") AS due",
                (
                    PENDING, RUNNING, DONE, DEAD,
                    PENDING, UNKNOWN, SENDING, CHECKING, SENT, DEAD,
                ),
            )  # fmt: skip
            row = cursor.fetchone()
        return None if row is None or row[0] is None else float(row[0])

    def status(self, now: float) -> dict[str, Any]:
        """Inbox depth, leases, dead letters, budgets left, leaders: the truth, as stored."""
        with self.transaction() as cursor:
            cursor.execute("SELECT state, COUNT(*) FROM inbox GROUP BY state")
            inbox = {state: count for state, count in cursor.fetchall()}
            cursor.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state")
            outbox = {state: count for state, count in cursor.fetchall()}
            cursor.execute(
                "SELECT event_id, lease_owner, lease_until FROM inbox WHERE state = ?"
                " ORDER BY lease_until",
                (RUNNING,),
            )
            running = [
                {"event_id": e, "owner": o, "expires_in": round(u - now, 3)}
                for e, o, u in cursor.fetchall()
            ]
            cursor.execute("SELECT scope, windows, learned FROM budgets ORDER BY scope")
            budgets = {
                scope: {
                    "learned_from_x": bool(learned),
                    "windows": _outbox.describe(json.loads(windows), now),
                }
                for scope, windows, learned in cursor.fetchall()
            }
            cursor.execute("SELECT name, owner, expires, epoch FROM leases ORDER BY name")
            leaders = {
                name: {
                    "owner": owner if owner and expires >= now else None,
                    "expires_in": round(expires - now, 3) if owner and expires >= now else None,
                    "epoch": epoch,
                }
                for name, owner, expires, epoch in cursor.fetchall()
            }
        return {
            "store": self.url,
            "inbox": inbox,
            "inbox_depth": inbox.get(PENDING, 0) + inbox.get(RUNNING, 0),
            "running": running,
            "dead_letters": self.dead_letters(),
            "outbox": outbox,
            "budgets": budgets,
            "leaders": leaders,
        }


class _Cursor:
    """A DB-API cursor taking ``?`` placeholders whatever the driver's style."""

    def __init__(self, cursor: Any, placeholder: str) -> None:
        self._cursor = cursor
        self._placeholder = placeholder

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> None:
        if self._placeholder != "?":
            sql = sql.replace("?", self._placeholder)
        self._cursor.execute(sql, tuple(parameters))

    @property
    def rowcount(self) -> int:
        return int(self._cursor.rowcount)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall())
