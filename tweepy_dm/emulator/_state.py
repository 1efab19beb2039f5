"""The emulator's state: users, conversations, events, media, in SQLite.

One connection, guarded by one lock: every public method of :class:`EmulatorDB`
takes it, so the server's threads and the test's back doors can share the
store. Ids are integers in the database and strings on the wire.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from typing import Any, Callable, NamedTuple, Optional

from tweepy_dm._facts import one_to_one_conversation_id
from tweepy_dm.emulator._ids import Snowflakes, snowflake_at

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, username TEXT NOT NULL, name TEXT NOT NULL,
    created_at REAL NOT NULL, access_token TEXT NOT NULL UNIQUE,
    access_token_secret TEXT NOT NULL, bearer_token TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY, is_group INTEGER NOT NULL, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS participants (
    conversation_id TEXT NOT NULL, user_id INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, user_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS participants_by_user ON participants (user_id, conversation_id);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, conversation_id TEXT NOT NULL, event_type TEXT NOT NULL,
    sender_id INTEGER NOT NULL, text TEXT, participant_ids TEXT, media_id INTEGER,
    created_at REAL NOT NULL);
-- A page of a conversation reads this index alone, newest first: it holds
-- every column the page's filters test, so no row of the table is visited.
DROP INDEX IF EXISTS events_by_conversation;
CREATE INDEX IF NOT EXISTS events_page ON events (conversation_id, id, event_type, created_at);
CREATE TABLE IF NOT EXISTS hidden (
    event_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hidden_by_user ON hidden (user_id, event_id);
CREATE TABLE IF NOT EXISTS blocks (
    user_id INTEGER NOT NULL, blocked_id INTEGER NOT NULL,
    PRIMARY KEY (user_id, blocked_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tweets (
    id INTEGER PRIMARY KEY, text TEXT NOT NULL, author_id INTEGER, created_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS media (
    id INTEGER PRIMARY KEY, media_key TEXT NOT NULL, owner_id INTEGER NOT NULL,
    category TEXT NOT NULL, media_type TEXT NOT NULL, kind TEXT NOT NULL,
    total_bytes INTEGER NOT NULL, content BLOB, resource_id TEXT NOT NULL,
    created_at REAL NOT NULL, finalized_at REAL);
-- The app's Activity API subscriptions, webhooks and Account Activity
-- subscriptions (_activity.py and _webhooks.py keep them in memory too).
CREATE TABLE IF NOT EXISTS activity_subscriptions (
    id INTEGER PRIMARY KEY, event_type TEXT NOT NULL, user_id INTEGER NOT NULL,
    direction TEXT, tag TEXT, webhook_id TEXT, created_at REAL NOT NULL,
    updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS webhooks (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL, valid INTEGER NOT NULL,
    created_at REAL NOT NULL, last_valid_at REAL NOT NULL, last_check_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS webhook_subscribers (
    webhook_id INTEGER NOT NULL, user_id INTEGER NOT NULL, position INTEGER NOT NULL,
    PRIMARY KEY (webhook_id, user_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS segments (
    media_id INTEGER NOT NULL, segment_index INTEGER NOT NULL, data BLOB NOT NULL,
    PRIMARY KEY (media_id, segment_index)) WITHOUT ROWID;
"""

EVENT_COLUMNS = (
    "id, conversation_id, event_type, sender_id, text, participant_ids, media_id, created_at"
)

#: How many events :class:`EmulatorDB` keeps in memory once read (their rows never change).
KEPT_EVENTS = 100_000
#: How many pages of event ids :class:`EmulatorDB` keeps until the next write.
KEPT_PAGES = 256


class User(NamedTuple):
    id: int
    username: str
    name: str
    created_at: float
    access_token: str
    access_token_secret: str
    bearer_token: str


class Event(NamedTuple):
    id: int
    conversation_id: str
    event_type: str
    sender_id: int
    text: Optional[str]
    participant_ids: Optional[list[int]]
    media_id: Optional[int]
    created_at: float


class Media(NamedTuple):
    id: int
    media_key: str
    owner_id: int
    category: str
    media_type: str
    kind: str  # photo, animated_gif or video, as X names media types
    total_bytes: int
    content: Optional[bytes]
    resource_id: str
    created_at: float
    finalized_at: Optional[float]


def _event(row: Sequence[Any]) -> Event:
    ids = json.loads(row[5]) if row[5] else None
    return Event(row[0], row[1], row[2], row[3], row[4], ids, row[6], row[7])


#: The tables save_row, delete_row and rows may name.
APP_TABLES = frozenset({"activity_subscriptions", "webhooks"})


def _app_table(table: str) -> str:
    if table not in APP_TABLES:  # a name goes into SQL text: only ours
        raise ValueError(f"not an app table: {table!r}")
    return table


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#: The bytes below this map evenly onto the alphabet (4 x 62); the others are drawn again.
_EVEN = 256 - 256 % len(_ALPHABET)


def _token(length: int) -> str:
    # X's keys and tokens are alphanumeric; so are these. One read of the system's
    # randomness per token, not one per character as secrets.choice.
    chosen: list[str] = []
    while len(chosen) < length:
        chosen += [
            _ALPHABET[byte % len(_ALPHABET)] for byte in secrets.token_bytes(length) if byte < _EVEN
        ]
    return "".join(chosen[:length])


_template: Optional[sqlite3.Connection] = None
_template_lock = threading.Lock()


def _empty_copy(db: sqlite3.Connection) -> None:
    """Give the in-memory ``db`` the schema: a copy of an empty database made once per process.

    (Copying the pages is a few times faster than running the schema's statements.)
    """
    global _template
    with _template_lock:
        if _template is None:
            template = sqlite3.connect(":memory:", check_same_thread=False)
            template.executescript(SCHEMA)
            _template = template
        _template.backup(db)


class EmulatorDB:
    """Everything the emulator remembers, in one SQLite database."""

    def __init__(self, path: Optional[str], clock: Callable[[], float]) -> None:
        self.clock = clock
        self.lock = threading.RLock()
        self._event_rows: dict[int, Event] = {}  # see _events_by_id
        self._pages: dict[tuple[Any, ...], list[Event]] = {}  # see list_events
        self._pages_written: Optional[tuple[int, int]] = None
        # Every request authenticates: users by token, read once. Only
        # add_user changes a stored user (a token never changes hands).
        self._users_by_token: dict[tuple[str, str], User] = {}
        self.db = sqlite3.connect(path or ":memory:", check_same_thread=False)
        if path is None:
            _empty_copy(self.db)
        else:
            self.db.executescript(SCHEMA)
        self.app = self._app_credentials()
        last = 0
        for table in ("events", "media"):
            last = max(
                last, self.db.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
            )
        groups = self.db.execute("SELECT id FROM conversations WHERE is_group = 1").fetchall()
        last = max([last, *(int(group) for (group,) in groups)])
        self.ids = Snowflakes(clock, last)

    def close(self) -> None:
        with self.lock:
            self.db.close()

    def _app_credentials(self) -> dict[str, str]:
        # Kept in the database so that credentials survive a restart.
        with self.db:
            stored = dict(self.db.execute("SELECT key, value FROM meta"))
            wanted = {
                "consumer_key": lambda: _token(25),
                "consumer_secret": lambda: _token(50),
                # X's app-only tokens start with a run of "A"s.
                "app_bearer_token": lambda: "A" * 22 + _token(90),
            }
            for key, make in wanted.items():
                if key not in stored:
                    stored[key] = make()
                    self.db.execute("INSERT INTO meta VALUES (?, ?)", (key, stored[key]))
        return stored

    # Users

    def add_user(self, user_id: int, username: str, name: str) -> User:
        with self.lock, self.db:
            existing = self.user(user_id)
            if existing is not None:
                self.db.execute(
                    "UPDATE users SET username = ?, name = ? WHERE id = ?",
                    (username, name, user_id),
                )
                self._users_by_token.clear()
                return existing._replace(username=username, name=name)
            user = User(
                user_id,
                username,
                name,
                self.clock(),
                f"{user_id}-{_token(40)}",
                _token(45),
                _token(80),
            )
            self.db.execute("INSERT INTO users VALUES (?, ?, ?, ?, ?, ?, ?)", user)
            return user

    def remove_user(self, user_id: int) -> None:
        """The account is gone (a deleted bot); what it sent stays, as on X."""
        with self.lock, self.db:
            self.db.execute("DELETE FROM users WHERE id = ?", (user_id,))
            self._users_by_token.clear()

    def user(self, user_id: Optional[int]) -> Optional[User]:
        with self.lock:
            row = self.db.execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone()
            return User(*row) if row else None

    def users(self, user_ids: Iterable[int]) -> list[User]:
        return [user for user in map(self.user, user_ids) if user is not None]

    def all_users(self) -> list[User]:
        """Every registered user, by id (the inbox page lists them)."""
        with self.lock:
            return [User(*row) for row in self.db.execute("SELECT * FROM users ORDER BY id")]

    def user_by_access_token(self, token: str) -> Optional[User]:
        return self._user_by_token("access_token", token)

    def user_by_bearer_token(self, token: str) -> Optional[User]:
        return self._user_by_token("bearer_token", token)

    def _user_by_token(self, column: str, token: str) -> Optional[User]:
        user = self._users_by_token.get((column, token))
        if user is None:
            with self.lock:
                row = self.db.execute(
                    f"SELECT * FROM users WHERE {column} = ?", (token,)
                ).fetchone()
                if row is None:
                    return None  # unknown tokens are not kept: anyone can send many
                user = self._users_by_token[column, token] = User(*row)
        return user

    def user_by_username(self, username: str) -> Optional[User]:
        with self.lock:
            row = self.db.execute(
                "SELECT * FROM users WHERE lower(username) = lower(?)", (username,)
            ).fetchone()
            return User(*row) if row else None

    # Blocks

    def set_block(self, user_id: int, blocked_id: int, blocked: bool) -> None:
        with self.lock, self.db:
            if blocked:
                self.db.execute("INSERT OR IGNORE INTO blocks VALUES (?, ?)", (user_id, blocked_id))
            else:
                self.db.execute(
                    "DELETE FROM blocks WHERE user_id = ? AND blocked_id = ?", (user_id, blocked_id)
                )

    def blocks(self, user_id: int, blocked_id: int) -> bool:
        with self.lock:
            return bool(
                self.db.execute(
                    "SELECT 1 FROM blocks WHERE user_id = ? AND blocked_id = ?",
                    (user_id, blocked_id),
                ).fetchone()
            )

    # Conversations and events

    def participants(self, conversation_id: str) -> list[int]:
        with self.lock:
            rows = self.db.execute(
                "SELECT user_id FROM participants WHERE conversation_id = ? ORDER BY user_id",
                (conversation_id,),
            )
            return [user_id for (user_id,) in rows]

    def is_participant(self, conversation_id: str, user_id: int) -> bool:
        with self.lock:
            return bool(
                self.db.execute(
                    "SELECT 1 FROM participants WHERE conversation_id = ? AND user_id = ?",
                    (conversation_id, user_id),
                ).fetchone()
            )

    def conversation_exists(self, conversation_id: str) -> bool:
        with self.lock:
            return bool(
                self.db.execute(
                    "SELECT 1 FROM conversations WHERE id = ?", (conversation_id,)
                ).fetchone()
            )

    def ensure_one_to_one(self, user_a: int, user_b: int) -> str:
        conversation_id = one_to_one_conversation_id(user_a, user_b)
        with self.lock, self.db:
            if not self.conversation_exists(conversation_id):
                self.db.execute(
                    "INSERT INTO conversations VALUES (?, 0, ?)", (conversation_id, self.clock())
                )
                self.db.executemany(
                    "INSERT INTO participants VALUES (?, ?)",
                    [(conversation_id, user_a), (conversation_id, user_b)],
                )
        return conversation_id

    def create_group(self, creator_id: int, member_ids: Sequence[int]) -> str:
        """A group of the creator and members, with a Join event for each."""
        with self.lock, self.db:
            conversation_id = str(self.ids.next())
            now = self.clock()
            self.db.execute("INSERT INTO conversations VALUES (?, 1, ?)", (conversation_id, now))
            for user_id in (creator_id, *member_ids):
                self.db.execute(
                    "INSERT INTO participants VALUES (?, ?)", (conversation_id, user_id)
                )
                # X adds every member, the creator too, with one Join event each.
                self._insert_event(
                    conversation_id, "ParticipantsJoin", creator_id, participant_ids=[user_id]
                )
            return conversation_id

    def leave(self, conversation_id: str, user_id: int) -> int:
        with self.lock, self.db:
            event_id = self._insert_event(
                conversation_id, "ParticipantsLeave", user_id, participant_ids=[user_id]
            )
            self.db.execute(
                "DELETE FROM participants WHERE conversation_id = ? AND user_id = ?",
                (conversation_id, user_id),
            )
            return event_id

    def add_message(
        self, conversation_id: str, sender_id: int, text: Optional[str], media_id: Optional[int]
    ) -> int:
        with self.lock, self.db:
            return self._insert_event(
                conversation_id, "MessageCreate", sender_id, text=text, media_id=media_id
            )

    def _insert_event(
        self,
        conversation_id: str,
        event_type: str,
        sender_id: int,
        *,
        text: Optional[str] = None,
        participant_ids: Optional[list[int]] = None,
        media_id: Optional[int] = None,
    ) -> int:
        event_id = self.ids.next()
        ids = json.dumps(participant_ids) if participant_ids is not None else None
        self.db.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (event_id, conversation_id, event_type, sender_id, text, ids, media_id, self.clock()),
        )
        return event_id

    def seed_messages(
        self,
        conversation_id: str,
        sender_ids: Sequence[int],
        texts: Iterable[str],
        times: Sequence[float],
    ) -> list[int]:
        """Insert messages in one transaction, with ids taken from their times."""
        if not times:
            return []
        with self.lock, self.db:
            low, high = snowflake_at(min(times)), snowflake_at(max(times) + 0.001)
            taken = {
                event_id
                for (event_id,) in self.db.execute(
                    "SELECT id FROM events WHERE id >= ? AND id < ?", (low, high)
                )
            }
            rows, ids, previous = [], [], 0
            for index, (text, when) in enumerate(zip(texts, times)):
                event_id = max(snowflake_at(when), previous + 1)
                while event_id in taken:
                    event_id += 1
                previous = event_id
                ids.append(event_id)
                sender = sender_ids[index % len(sender_ids)]
                rows.append(
                    (event_id, conversation_id, "MessageCreate", sender, text, None, None, when)
                )
            self.db.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
            self.ids.observe(max(ids))
            return ids

    def event(self, event_id: int) -> Optional[Event]:
        with self.lock:
            row = self.db.execute(
                f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,)
            ).fetchone()
            return _event(row) if row else None

    def hide(self, event_id: int, user_id: int) -> None:
        with self.lock, self.db:
            self.db.execute("INSERT OR IGNORE INTO hidden VALUES (?, ?)", (event_id, user_id))

    def is_hidden(self, event_id: int, user_id: int) -> bool:
        with self.lock:
            return bool(
                self.db.execute(
                    "SELECT 1 FROM hidden WHERE event_id = ? AND user_id = ?", (event_id, user_id)
                ).fetchone()
            )

    def list_events(
        self,
        viewer_id: int,
        *,
        conversation_id: Optional[str],
        event_types: Sequence[str],
        since: Optional[float],
        older_than: Optional[int],
        newer_than: Optional[int],
        limit: int,
    ) -> list[Event]:
        """A page of events the viewer can see, newest first.

        With ``newer_than`` the page is the ``limit`` events just after it (the
        previous page); otherwise the ``limit`` events before ``older_than``.
        """
        with self.lock:
            # A poller asks for the same newest page again and again; its answer
            # can only change with a write, and every page kept is dropped on one.
            written = self._written()
            if written != self._pages_written:
                self._pages.clear()
                self._pages_written = written
            query = (viewer_id, conversation_id, tuple(event_types), older_than, newer_than, limit)
            events = self._pages.get(query)
            if events is None:
                events = self._page(*query, since=None)
                if len(self._pages) >= KEPT_PAGES:
                    self._pages.clear()
                self._pages[query] = events
            # Kept without the time window (it moves with every request): when no
            # event of the page is older than the window's start, the window
            # removes none of the page, so the page is also the windowed one.
            if since is not None and any(event.created_at < since for event in events):
                return self._page(*query, since=since)
        return list(events)

    def _page(
        self,
        viewer_id: int,
        conversation_id: Optional[str],
        event_types: tuple[str, ...],
        older_than: Optional[int],
        newer_than: Optional[int],
        limit: int,
        *,
        since: Optional[float],
    ) -> list[Event]:
        where = [f"event_type IN ({', '.join('?' * len(event_types))})"]
        args: list[Any] = list(event_types)
        if conversation_id is None:
            where.append(
                "conversation_id IN (SELECT conversation_id FROM participants WHERE user_id = ?)"
            )
            args.append(viewer_id)
        else:
            where.append("conversation_id = ?")
            args.append(conversation_id)
        if since is not None:
            where.append("created_at >= ?")
            args.append(since)
        if older_than is not None:
            where.append("id < ?")
            args.append(older_than)
        if newer_than is not None:
            where.append("id > ?")
            args.append(newer_than)
        # One list of the viewer's hidden events, not a lookup per event.
        where.append("id NOT IN (SELECT event_id FROM hidden WHERE user_id = ?)")
        args.append(viewer_id)
        order = "ASC" if newer_than is not None else "DESC"
        sql = f"SELECT id FROM events WHERE {' AND '.join(where)} ORDER BY id {order} LIMIT ?"
        ids = [event_id for (event_id,) in self.db.execute(sql, (*args, limit))]
        events = self._events_by_id(ids)
        if newer_than is not None:
            events.reverse()
        return events

    def _written(self) -> tuple[int, int]:
        # Rows changed through this connection, and SQLite's counter of commits
        # made through any other connection to the same file.
        (version,) = self.db.execute("PRAGMA data_version").fetchone()
        return self.db.total_changes, version

    def _events_by_id(self, ids: list[int]) -> list[Event]:
        # The page's ids come from the query above on every call; the rows
        # behind them are read once, since a stored event never changes.
        known = self._event_rows
        missing = [event_id for event_id in ids if event_id not in known]
        if missing:
            if len(known) + len(missing) > KEPT_EVENTS:
                known.clear()
            for start in range(0, len(missing), 500):
                chunk = missing[start : start + 500]
                marks = ", ".join("?" * len(chunk))
                for row in self.db.execute(
                    f"SELECT {EVENT_COLUMNS} FROM events WHERE id IN ({marks})", chunk
                ):
                    known[row[0]] = _event(row)
        return [known[event_id] for event_id in ids]

    # The app's subscriptions and webhooks: rows kept for the hubs that own them

    def next_id(self, name: str, first: int) -> int:
        """The next id of a kind (``first`` the first time); never handed out twice."""
        key = f"next_{name}_id"
        with self.lock, self.db:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
            value = int(row[0]) if row else first
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, str(value + 1)))
            return value

    def save_row(self, table: str, row: Sequence[Any]) -> None:
        """Insert or replace one row of one of the app tables, keyed by its first column."""
        marks = ", ".join("?" * len(row))
        with self.lock, self.db:
            self.db.execute(f"INSERT OR REPLACE INTO {_app_table(table)} VALUES ({marks})", row)

    def delete_row(self, table: str, key: Any) -> None:
        with self.lock, self.db:
            self.db.execute(f"DELETE FROM {_app_table(table)} WHERE id = ?", (key,))

    def rows(self, table: str) -> list[tuple[Any, ...]]:
        with self.lock:
            return self.db.execute(f"SELECT * FROM {_app_table(table)} ORDER BY id").fetchall()

    def subscribers(self) -> dict[int, list[int]]:
        """Account Activity subscriptions: each webhook's user ids, in subscription order."""
        found: dict[int, list[int]] = {}
        with self.lock:
            for webhook_id, user_id in self.db.execute(
                "SELECT webhook_id, user_id FROM webhook_subscribers ORDER BY webhook_id, position"
            ):
                found.setdefault(webhook_id, []).append(user_id)
        return found

    def subscribe(self, webhook_id: int, user_id: int) -> None:
        with self.lock, self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO webhook_subscribers VALUES (?, ?, (SELECT "
                "coalesce(max(position), 0) + 1 FROM webhook_subscribers WHERE webhook_id = ?))",
                (webhook_id, user_id, webhook_id),
            )

    def unsubscribe(self, webhook_id: int, user_id: Optional[int] = None) -> None:
        """Remove one user's subscription, or every one of the webhook's when None."""
        with self.lock, self.db:
            if user_id is None:
                self.db.execute(
                    "DELETE FROM webhook_subscribers WHERE webhook_id = ?", (webhook_id,)
                )
            else:
                self.db.execute(
                    "DELETE FROM webhook_subscribers WHERE webhook_id = ? AND user_id = ?",
                    (webhook_id, user_id),
                )

    # Tweets (only for the referenced_tweets.id expansion)

    def add_tweet(self, tweet_id: int, text: str, author_id: Optional[int]) -> None:
        with self.lock, self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO tweets VALUES (?, ?, ?, ?)",
                (tweet_id, text, author_id, self.clock()),
            )

    def tweet(self, tweet_id: int) -> Optional[tuple[int, str, Optional[int], float]]:
        with self.lock:
            return self.db.execute("SELECT * FROM tweets WHERE id = ?", (tweet_id,)).fetchone()

    # Media

    def create_media(
        self,
        owner_id: int,
        category: str,
        media_type: str,
        kind: str,
        total_bytes: int,
        content: Optional[bytes],
        finalized: bool,
    ) -> Media:
        with self.lock, self.db:
            media_id = self.ids.next()
            prefix = {"photo": 3, "video": 7, "animated_gif": 16}.get(kind, 3)
            now = self.clock()
            media = Media(
                media_id,
                f"{prefix}_{media_id}",
                owner_id,
                category,
                media_type,
                kind,
                total_bytes,
                content,
                secrets.token_hex(8),
                now,
                now if finalized else None,
            )
            self.db.execute("INSERT INTO media VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", media)
            return media

    def media(self, media_id: Optional[int]) -> Optional[Media]:
        with self.lock:
            row = self.db.execute("SELECT * FROM media WHERE id = ?", (media_id,)).fetchone()
            return Media(*row) if row else None

    def append_segment(self, media_id: int, index: int, data: bytes) -> None:
        with self.lock, self.db:
            self.db.execute(
                "INSERT OR REPLACE INTO segments VALUES (?, ?, ?)", (media_id, index, data)
            )

    def segments_size(self, media_id: int) -> int:
        with self.lock:
            return self.db.execute(
                "SELECT coalesce(sum(length(data)), 0) FROM segments WHERE media_id = ?",
                (media_id,),
            ).fetchone()[0]

    def finalize_media(self, media_id: int) -> Media:
        with self.lock, self.db:
            content = b"".join(
                data
                for (data,) in self.db.execute(
                    "SELECT data FROM segments WHERE media_id = ? ORDER BY segment_index",
                    (media_id,),
                )
            )
            self.db.execute(
                "UPDATE media SET content = ?, finalized_at = ? WHERE id = ?",
                (content, self.clock(), media_id),
            )
            self.db.execute("DELETE FROM segments WHERE media_id = ?", (media_id,))
            media = self.media(media_id)
            assert media is not None
            return media
