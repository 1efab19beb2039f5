"""A test kit for DM bots: scripted users talk to a real DMBot on the emulator, on simulated time.

:class:`DMChat` (the ``dm_chat`` pytest fixture) points a :class:`~tweepy_dm.DMBot`
at an in-process :class:`~tweepy_dm.emulator.DMEmulator` that enforces X's
rate limits, on a :class:`SimulatedClock` shared by both, and hands out
:class:`ScriptedUser` objects that send to the bot and wait for its replies.
The bot runs as in production: its store (SQLite, in memory by default),
its inbox fed by X's webhooks (or its :class:`~tweepy_dm.DMPoller`), its
workers and its outbox with its budgets and send-then-check; only the waiting
is simulated. Nothing of the bot is replaced: the kit gives it clients
signed in as an emulator user (:meth:`~tweepy_dm.DMBot.use_clients`), a store
(:meth:`~tweepy_dm.DMBot.use_store`) and the clock, then calls its
:meth:`~tweepy_dm.DMBot.work_once` until it is idle at each simulated instant.

.. versionadded:: 0.2
"""

from __future__ import annotations

import functools
import logging
import math
import os
import re
import sqlite3
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any, Optional

from tweepy_dm._activity import ActivityEvent
from tweepy_dm._models import DirectMessageEvent

__all__ = ["DMChat", "ScriptedUser", "SimulatedClock"]

#: Where simulated time starts (2026-01-01T00:00:00Z), so that runs repeat.
START = 1_767_225_600.0
#: The bot user's id in the emulator, and its scripted users' first id.
BOT_ID = "1000"
FIRST_USER_ID = 2000
#: X's handles: 1 to 15 letters, digits or underscores.
_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
#: Whose warnings a failure message shows: the bot's, and its webhook receiver's.
_LOGGERS = ("tweepy_dm.bot", "tweepy_dm.webhooks")


@functools.cache
def _memdb() -> bool:
    """Whether this SQLite shares a database in memory between connections (3.36+)."""
    try:
        sqlite3.connect(f"file:/tweepy-dm-probe-{uuid.uuid4().hex}?vfs=memdb", uri=True).close()
    except sqlite3.Error:
        return False
    return True


class SimulatedClock:
    """Epoch seconds that move only when told: the kit's, the emulator's and the bot's clock.

    .. versionadded:: 0.2
    """

    def __init__(self, start: float = START) -> None:
        self.now = float(start)

    def __call__(self) -> float:
        return self.now

    def __repr__(self) -> str:
        return f"<SimulatedClock now={self.now}>"

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (not negative)."""
        if seconds < 0:
            raise ValueError(f"time moves forward only: seconds must be >= 0, not {seconds}")
        self.now += seconds


def _local(client: Any, emulator: Any) -> Any:
    """``client``, talking to ``emulator`` in process when it can.

    A synchronous client's requests are answered by the emulator's server code
    in the calling thread, without a socket (an AsyncClient's aiohttp session
    still connects). Neither looks for proxies in the environment: requests
    reads the proxy variables on every request, a few milliseconds each.
    """
    import requests

    from tweepy_dm.emulator._in_process import connect_in_process

    session = getattr(client, "session", None)
    if session is not None:
        session.trust_env = False
    if isinstance(session, requests.Session):
        connect_in_process(emulator, session)
    return client


class _Recorder(logging.Handler):
    """Keeps the bot's warnings (a failing handler, a 429, a failed delivery) for failures."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


class ScriptedUser:
    """A user of the emulator who talks to the bot, made by :meth:`DMChat.user`.

    They send over the bot's transport (legacy DMs, or XChat, encrypted, when
    the bot's clients have ``xchat_key``) and see the bot's messages as X
    pushes them to a user's webhook, in order.

    .. versionadded:: 0.2

    Attributes
    ----------
    id : str
        The user's id.
    username : str
        Their handle.
    received : list[DirectMessageEvent]
        Every message the bot sent them, oldest first.
    """

    def __init__(self, chat: DMChat, user_id: str, username: str) -> None:
        self._chat = chat
        self.id = user_id
        self.username = username
        self.received: list[DirectMessageEvent] = []
        self._read = 0
        self._transcript: list[tuple[float, str, str]] = []
        self._client: Any = None

    def __repr__(self) -> str:
        return f"<ScriptedUser {self.username} id={self.id}>"

    def send(self, text: str) -> None:
        """Send ``text`` to the bot, now (on the simulated clock).

        Legacy DMs count against the user's own budget at X, as they would.

        Raises
        ------
        TypeError, ValueError
            ``text`` is not a non-empty str.
        RuntimeError
            The bot is not running (:meth:`DMChat.run` first), or it talks
            legacy DMs and the emulator's are off.
        tweepy.TooManyRequests
            The user has used up X's send budget.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        if not text:
            raise ValueError("text must not be empty")
        chat = self._chat
        chat._running()
        if not chat.xchat and chat.emulator.legacy_dms != "on":
            raise RuntimeError(
                f"legacy DMs are {chat.emulator.legacy_dms!r} in the emulator and the bot's "
                "clients have no xchat_key, so no one can write to it: give the bot a client "
                "made with xchat_key to test it over XChat, or keep legacy_dms 'on'"
            )
        if chat.xchat:
            chat.emulator.send_chat(self.id, chat.bot_id, text)
        else:
            self._client.create_dm(participant_id=chat.bot_id, text=text)
        self._transcript.append((chat.clock.now, self.username, text))
        chat._deliveries()

    def expect_reply(self, *, within: float) -> DirectMessageEvent:
        """The bot's next message to this user, waiting up to ``within`` simulated seconds.

        Simulated time moves forward while the bot works, until the message
        arrives; each message is returned once, oldest first.

        Raises
        ------
        AssertionError
            Nothing came within ``within`` seconds; the message shows what
            the user saw and what the bot logged.
        """
        deadline = self._chat._deadline(within)
        while True:
            self._chat._settle()
            if self._read < len(self.received):
                self._read += 1
                return self.received[self._read - 1]
            if not self._chat._tick(deadline):
                raise AssertionError(
                    f"{self.username} got no reply within {within:g} simulated seconds."
                    + self._chat._report(self)
                )

    def expect_no_reply(self, *, within: float) -> None:
        """Let ``within`` simulated seconds pass; fail if the bot sends this user anything.

        Raises
        ------
        AssertionError
            A message came; the message shows it and what the user saw.
        """
        deadline = self._chat._deadline(within)
        while True:
            self._chat._settle()
            if self._read < len(self.received):
                message = self.received[self._read]
                self._read += 1
                raise AssertionError(
                    f"{self.username} expected no reply within {within:g} simulated seconds, "
                    f"got {message.text!r}." + self._chat._report(self)
                )
            if not self._chat._tick(deadline):
                return

    def _saw(self, message: DirectMessageEvent) -> None:
        if all(str(seen.id) != str(message.id) for seen in self.received):
            self.received.append(message)
            self._transcript.append((self._chat.clock.now, "bot", message.text or ""))


class DMChat:
    """A DMBot on the emulator with scripted users, on simulated time: the ``dm_chat`` fixture.

    The emulator enforces X's documented rate limits, so the bot's replies
    wait for its budgets as they would at X, and a message is handled and
    answered once however often X delivers it. Simulated time moves only
    while a :class:`ScriptedUser` waits (:meth:`ScriptedUser.expect_reply`,
    :meth:`~ScriptedUser.expect_no_reply`) or on :meth:`advance`, by ``tick``
    seconds at a time, the bot working until idle at each instant.

    .. versionadded:: 0.2

    Parameters
    ----------
    directory : str | os.PathLike | None
        Where the bot's SQLite store goes. By default it is in memory (an
        SQLite database the kit's threads share, gone on :meth:`close`), or in a
        temporary directory where this SQLite lacks the ``memdb`` VFS (before
        3.36).

        .. versionchanged:: 0.2
           In memory by default, not in a temporary directory.
    start : float
        The simulated epoch seconds the test starts at.
    tick : float
        Simulated seconds between two looks at the bot while waiting.
    rate_limits : bool | Mapping
        The emulator's ``rate_limits``: X's documented limits by default.

    Attributes
    ----------
    clock : SimulatedClock
        The simulated time, shared by the emulator and the bot.
    emulator : tweepy_dm.emulator.DMEmulator
        The emulator (its back doors: faults, ``legacy_dms``, follows, …).
    bot : tweepy_dm.DMBot | None
        The bot given to :meth:`run`.
    bot_id : str
        The bot user's id.
    xchat : bool
        Whether the bot talks XChat (its clients have ``xchat_key``).

    Examples
    --------
    >>> def test_greets_by_name(dm_chat):  # doctest: +SKIP
    ...     dm_chat.run(bot)
    ...     alice = dm_chat.user("alice")
    ...     alice.send("hi")
    ...     assert "name" in alice.expect_reply(within=5).text
    """

    def __init__(
        self,
        *,
        directory: Any = None,
        start: float = START,
        tick: float = 1.0,
        rate_limits: Any = True,
    ) -> None:
        from tweepy_dm.emulator import DMEmulator

        if isinstance(tick, bool) or not isinstance(tick, (int, float)):
            raise TypeError(f"tick must be seconds (a number), not {type(tick).__name__}")
        if not tick > 0:
            raise ValueError(f"tick must be more than 0 seconds, not {tick}")
        self._tmp: Optional[tempfile.TemporaryDirectory[str]] = None
        if directory is None and _memdb():
            # No file, no WAL and no fsync on close: the store's SQL is the same.
            self._store_url = f"sqlite:///file:/tweepy-dm-chat-{uuid.uuid4().hex}?vfs=memdb"
        else:
            if directory is None:
                self._tmp = tempfile.TemporaryDirectory(prefix="tweepy-dm-chat-")
                directory = self._tmp.name
            os.makedirs(directory, exist_ok=True)
            self._store_url = f"sqlite:///{directory}/bot.db"
        self.clock = SimulatedClock(start)
        self._start = self.clock.now
        self.tick = float(tick)
        self.emulator = DMEmulator(clock=self.clock, rate_limits=rate_limits)
        self.emulator.webhooks.retry_delays = (0.0, 0.0, 0.0)
        self.bot: Any = None
        self.bot_id = BOT_ID
        self.xchat = False
        self._users: dict[str, ScriptedUser] = {}
        self._by_id: dict[str, ScriptedUser] = {}
        self._pollers: list[list[Any]] = []  # [poller, due, failure streak]
        self._webhook_id: Optional[str] = None
        self._receiver: Any = None
        self._decrypters: dict[str, Any] = {}  # the XChat users' receivers, by user id
        self._log = _Recorder()
        # Until then the bot, idle, has nothing that time alone makes due: no need to look.
        self._quiet_until = -math.inf
        self._bot_client: Any = None
        self._given_back: Any = None

    def __repr__(self) -> str:
        return f"<DMChat bot={self.bot!r} users={sorted(self._users)} now={self.clock.now}>"

    def __enter__(self) -> DMChat:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- setting up --------------------------------------------------------------

    def run(
        self, bot: Any, *, source: str = "webhook", allow_dms_from: Optional[str] = None
    ) -> None:
        """Point ``bot`` at the emulator and start feeding it (it runs as the test waits).

        The bot keeps its handler and settings; it gets a store in
        ``directory``, the simulated clock, and clients signed in as the
        emulator's bot user, of the kinds it was given (``Client`` or
        ``AsyncClient``, with an XChat key if its clients had ``xchat_key``).
        :meth:`close` gives it back its own store, clients and clock, so the
        same bot object can run in the next test. A bot of several users runs
        here as one (``bot_id``).

        Parameters
        ----------
        bot : tweepy_dm.DMBot
            The bot, with its handler registered and its store not yet open.
        source : str
            ``"webhook"`` (X pushes each DM to the bot's
            :attr:`~tweepy_dm.DMBot.webhook_handler`, as the Activity API
            stream does: the default) or ``"poll"`` (a
            :class:`~tweepy_dm.DMPoller`, paced by X's read budget: a new
            message may wait a minute).
        allow_dms_from : str | None
            The bot user's XChat ``allow_dms_from`` (``"all"``,
            ``"verified"``, ``"following"``): first messages from users it
            does not allow arrive as message requests. XChat bots only.

        Raises
        ------
        TypeError, ValueError
            A bad ``bot``, ``source`` or ``allow_dms_from``.
        RuntimeError
            A bot already runs here, or ``bot``'s store is already open.
        ImportError
            An XChat bot without chatxdk (Python 3.10+) installed.
        """
        import tweepy_dm
        from tweepy_dm import webhooks
        from tweepy_dm.bot import DMBot, DMPoller
        from tweepy_dm.bot._drivers import is_async

        if not isinstance(bot, DMBot):
            raise TypeError(f"bot must be a tweepy_dm.DMBot, not {type(bot).__name__}")
        if source not in ("webhook", "poll"):
            raise ValueError(f"source must be 'webhook' or 'poll', not {source!r}")
        if self.bot is not None:
            raise RuntimeError("this DMChat already runs a bot; use one DMChat per bot")
        if bot._store is not None:
            raise RuntimeError("the bot's store is open: give DMChat a bot that has not run")
        given = [*bot._clients.values(), *bot._unresolved]
        # Given back on close, so that the module's bot can run in the next test too.
        self._given_back = (
            bot.store_url,
            dict(bot._clients) if bot._clients else bot._unresolved[0],
            bot.clock,
        )
        self.xchat = any(client.__dict__.get("_xchat_keys") is not None for client in given)
        if allow_dms_from is not None and not self.xchat:
            raise ValueError(
                "allow_dms_from is an XChat setting: give the bot a client made with xchat_key"
            )
        kind = tweepy_dm.AsyncClient if any(is_async(c) for c in given) else tweepy_dm.Client
        credentials = self.emulator.add_user(self.bot_id, "bot", "Bot", xchat=self.xchat)
        emulator = self.emulator
        self._bot_client = _local(tweepy_dm.Client(api_url=emulator.url, **credentials), emulator)
        bot.use_clients(
            {self.bot_id: _local(kind(**self._options(self.bot_id, credentials)), emulator)}
        )
        bot.use_store(self._store_url)
        bot.clock = self.clock
        self.bot = bot
        for logger in _LOGGERS:
            logging.getLogger(logger).addHandler(self._log)
        if allow_dms_from is not None:
            self._bot_client.update_chat_settings(allow_dms_from=allow_dms_from)

        # A real receiver with X's signatures, called by the emulator's delivery
        # thread in process: no server, socket or thread of the kit's own.
        self._receiver = webhooks.wsgi_app(credentials["consumer_secret"], self._delivered)
        url = f"{emulator.url}/tweepy-dm-chat/webhook"
        emulator.webhooks.serve_in_process(url, self._receiver)
        app = _local(
            tweepy_dm.Client(api_url=emulator.url, bearer_token=emulator.app_bearer_token),
            emulator,
        )
        self._webhook_id = str(app.create_webhook(url).data["id"])
        if source == "webhook":
            self._subscribe(self.bot_id, credentials)
        else:
            from tweepy_dm.bot._leader import FailureStreak
            from tweepy_dm.bot._runtime import STORE_RETRY

            self._poll_retry = STORE_RETRY

            poller = DMPoller(bot.clients[self.bot_id], user_id=self.bot_id)
            self._pollers.append([poller, self.clock.now, FailureStreak(f"Polling {poller!r}")])

    def user(self, username: str, *, followed: bool = False) -> ScriptedUser:
        """The scripted user ``username`` (made on first use, the same object after).

        Parameters
        ----------
        username : str
            Their handle, without ``@``.
        followed : bool
            Whether the bot user follows them: with ``allow_dms_from="following"``
            a user it does not follow starts with a message request.

        Raises
        ------
        TypeError, ValueError
            ``username`` is not a handle (1 to 15 letters, digits or ``_``), or
            ``followed`` is not a bool.
        RuntimeError
            The bot is not running (:meth:`run` first).
        """
        import tweepy_dm

        if not isinstance(username, str):
            raise TypeError(f"username must be a str, not {type(username).__name__}")
        if not _HANDLE.fullmatch(username):
            raise ValueError(
                f"username must be 1 to 15 letters, digits or _ (no @), not {username!r}"
            )
        if not isinstance(followed, bool):
            raise TypeError(f"followed must be True or False, not {followed!r}")
        self._running()
        if username in self._users:
            return self._users[username]
        user_id = str(FIRST_USER_ID + len(self._users))
        credentials = self.emulator.add_user(user_id, username, username.title(), xchat=self.xchat)
        user = ScriptedUser(self, user_id, username)
        user._client = _local(
            tweepy_dm.Client(api_url=self.emulator.url, **credentials), self.emulator
        )
        if self.xchat:
            from tweepy_dm._xchat_dm import Receivers

            keyed = _local(tweepy_dm.Client(**self._options(user_id, credentials)), self.emulator)
            self._decrypters[user_id] = Receivers(keyed)
        if followed:
            self.emulator.follow(self.bot_id, user_id)
        self._users[username] = user
        self._by_id[user_id] = user
        self._subscribe(user_id, credentials)
        return user

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of simulated time pass, the bot working as it does."""
        deadline = self._deadline(seconds)
        self._settle()
        while self._tick(deadline):
            self._settle()

    def close(self) -> None:
        """Stop the webhook receiver and the emulator, close the bot's store."""
        for logger in _LOGGERS:
            logging.getLogger(logger).removeHandler(self._log)
        if self.bot is not None:
            self.bot.close()
            store_url, clients, clock = self._given_back
            self.bot.use_store(store_url)
            self.bot.use_clients(clients)
            self.bot.clock = clock
        self.emulator.close()
        if self._tmp is not None:
            self._tmp.cleanup()

    # -- the simulation ----------------------------------------------------------

    def _options(self, user_id: str, credentials: dict[str, str]) -> dict[str, Any]:
        options: dict[str, Any] = {"api_url": self.emulator.url, **credentials}
        if self.xchat:
            options.update(xchat_key=self.emulator.xchat_key_blob(user_id), xchat_user_id=user_id)
        return options

    def _subscribe(self, user_id: str, credentials: dict[str, str]) -> None:
        """Have X push the DMs ``user_id`` receives to the kit's webhook (the Activity API)."""
        import tweepy_dm

        user = _local(
            tweepy_dm.Client(api_url=self.emulator.url, bearer_token=credentials["bearer_token"]),
            self.emulator,
        )
        user.create_activity_subscription(
            event_type="chat.received" if self.xchat else "dm.received",
            user_id=user_id,
            webhook_id=self._webhook_id,
        )

    def _delivered(self, event: ActivityEvent) -> None:
        """The webhook receiver's handler: the bot's events to the bot, the users' to them."""
        user_id = str(event.user_id)
        if user_id == self.bot_id:
            self.bot.webhook_handler(event)
            return
        user = self._by_id.get(user_id)
        if user is not None and event.direct_message is None and user_id in self._decrypters:
            self._decrypters[user_id].decrypt(event)  # as the user's XChat app would
        message = event.direct_message
        if user is not None and message is not None and str(message.sender_id) == self.bot_id:
            user._saw(message)

    def _deliveries(self) -> None:
        self._quiet_until = -math.inf  # what arrives may be work
        if not self.emulator.webhooks.wait_idle():
            raise RuntimeError("the emulator's webhook deliveries did not finish in 30 s")

    def _running(self) -> None:
        if self.bot is None:
            raise RuntimeError("no bot runs yet: call dm_chat.run(bot) first")

    def _deadline(self, within: float) -> float:
        if isinstance(within, bool) or not isinstance(within, (int, float)):
            raise TypeError(f"within must be seconds (a number), not {type(within).__name__}")
        if within < 0:
            raise ValueError(f"within must not be negative, not {within}")
        self._running()
        self._quiet_until = -math.inf  # the test may have changed anything since
        return self.clock.now + within

    def _tick(self, deadline: float) -> bool:
        """Move to the next instant to look at, up to ``deadline``; False once past it."""
        if self.clock.now >= deadline:
            return False
        self.clock.advance(min(self.tick, deadline - self.clock.now))
        return True

    def _settle(self) -> None:
        """Run the bot's sources and workers at this instant until nothing is left to do.

        Then, until the store's next due time (or a poller's), later instants
        are skipped: looking would find nothing, as nothing else changes while
        a test waits. The clock still moves ``tick`` by ``tick``.
        """
        bot = self.bot
        if self.clock.now < self._quiet_until:
            return
        while True:
            busy = False
            for entry in self._pollers:
                poller, due, streak = entry
                if self.clock.now >= due:
                    # As the bot's polling leader does: a failed poll waits and tries again.
                    try:
                        wait = poller.poll(bot, clock=self.clock)
                        streak.succeeded()
                    except Exception as error:
                        wait = self._poll_retry.delay(streak.failed(error))
                    entry[1] = self.clock.now + wait
            while bot.work_once():
                busy = True
                self._deliveries()
            if not busy:
                break
        self._deliveries()
        due = bot.store.next_due()
        for _poller, poll_due, _streak in self._pollers:
            due = poll_due if due is None else min(due, poll_due)
        self._quiet_until = math.inf if due is None else due

    def _report(self, user: ScriptedUser) -> str:
        start = self._start
        lines = [f"\nWhat {user.username} saw (simulated seconds since the start):"]
        lines += [f"  {at - start:8.1f}  {who}: {text!r}" for at, who, text in user._transcript]
        if len(lines) == 1:
            lines.append("  nothing")
        status = self.bot.status()
        lines.append(
            f"The bot's inbox: {status['inbox']}, outbox: {status['outbox']}, "
            f"dead letters: {len(status['dead_letters'])}"
        )
        for letter in status["dead_letters"][:5]:
            lines.append(f"  dead letter: {letter}")
        if self._log.lines:
            lines.append("The bot logged:")
            lines += [f"  {line}" for line in self._log.lines[-10:]]
        return "\n".join(lines)


def dm_chat_fixture() -> Iterator[DMChat]:
    """The ``dm_chat`` fixture's body: a :class:`DMChat` with its store in memory."""
    with DMChat() as chat:
        yield chat
