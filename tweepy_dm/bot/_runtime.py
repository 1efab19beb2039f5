"""DMBot, the runner: clients, sources and worker threads over an inbox and an outbox in a store."""

from __future__ import annotations

import logging
import math
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Callable, Optional, Union

from tweepy_dm import _xchat_dm
from tweepy_dm._activity import ActivityEvent
from tweepy_dm._models import DirectMessageEvent
from tweepy_dm._policy import Backoff
from tweepy_dm.bot import _inbox
from tweepy_dm.bot._drivers import Driver, is_async, user_auth
from tweepy_dm.bot._handling import Inbox
from tweepy_dm.bot._leader import FailureStreak, Leadership
from tweepy_dm.bot._poller import DMPoller
from tweepy_dm.bot._routing import Pattern, Route, Router, make_test, takes_message
from tweepy_dm.bot._sender import Outbox
from tweepy_dm.bot._store import (
    BotStore,
    StoreLost,
    redact,
)

log = logging.getLogger("tweepy_dm.bot")

#: The store of a bot that names none.
DEFAULT_STORE = "sqlite:///tweepy-dm-bot.db"
#: Retries of a failed handler: 1 s, 2 s, 4 s, … up to 5 minutes.
DEFAULT_RETRY = Backoff(attempts=0, base=1.0, maximum=300.0)

#: A worker's waits while its steps fail (the store restarting): 0.1 s doubling up to 5 s.
STORE_RETRY = Backoff(attempts=0, base=0.1, maximum=5.0)
#: How many conversations known not to be message requests a bot remembers.
_NOT_REQUESTS_KEPT = 10_000

Handler = Callable[[DirectMessageEvent, _inbox.Context], Any]


# A libpq key=value connection string ("host=db dbname=bot user=bot password=…").
_LIBPQ_DSN = re.compile(r"^\s*(host|hostaddr|port|dbname|user|password|service)\s*=")


def open_store(url: str) -> BotStore:
    """The store a URL names: ``sqlite:///path`` (or a plain path), ``postgresql://…``
    or a libpq key=value DSN (``host=… dbname=…``)."""
    if not isinstance(url, str):
        raise TypeError(f"store must be a URL (str), not {type(url).__name__}")
    if url.startswith(("postgresql://", "postgres://")) or _LIBPQ_DSN.match(url):
        from tweepy_dm.bot._postgres import PostgresStore

        return PostgresStore(url)
    if url.startswith("sqlite://") or "://" not in url:
        from tweepy_dm.bot._sqlite import SQLiteStore

        return SQLiteStore(url)
    raise ValueError(
        f"store must be sqlite:///path or postgresql://…, not a {url.split('://')[0]!r} URL"
    )


def _data(response: Any) -> Any:
    return response.get("data") if isinstance(response, dict) else response.data


class DMBot:
    """A DM bot runtime: a durable inbox, workers running your handler, an outbox within budgets.

    Register a handler with :meth:`on_direct_message`; it gets each message
    someone else sent to a bot user (never the bot's own), once it is in the
    inbox, and a :class:`~tweepy_dm.bot.Context` to queue replies with. Sources fill the
    inbox (the Activity API stream, :class:`~tweepy_dm.DMPoller`, or
    :attr:`webhook_handler` under :func:`tweepy_dm.webhooks.wsgi_app` /
    :func:`~tweepy_dm.webhooks.asgi_app`), each deduplicated by DM event id.

    Workers claim messages with a lease, run the handler, and commit its
    replies together with the message's completion. Handling is **at least
    once**: a worker killed in the middle of a handler leaves the message to
    be handled again once its lease expires, so a handler's own side effects
    (a database write, a call to another service) may happen twice; its
    replies are sent once. A handler that raises or runs past
    ``handler_timeout`` is retried with backoff and after ``max_attempts``
    goes to the dead letters (:meth:`status`, :meth:`replay`). A conversation's
    messages are handled one at a time, in order, in every process (a message
    whose worker died is handled again before the next); different
    conversations at the same time.

    Replies are sent oldest first, taking turns between conversations,
    within X's send budgets as X's headers state them (until X's first
    answer, X's documented 15 per 15 minutes and 1,440 per 24 hours per user,
    1,440 per 24 hours per app), counted in the store across all workers and
    machines. A send whose outcome is unknown (a timeout, a reset after the
    request was written, a 5xx, a worker that died mid-send) is looked up in
    the conversation's events, back to the send's start, before it is sent
    again; and only once it can no longer land at X: the client's ``timeout``
    plus 30 seconds after it began (X states no bound; this is assumed).

    .. versionadded:: 0.2

    Parameters
    ----------
    store : str
        ``sqlite:///path`` (the default, ``sqlite:///tweepy-dm-bot.db``: one
        machine) or ``postgresql://…`` (many; needs ``tweepy-dm[postgres]``).
    clients : tweepy_dm.Client | tweepy_dm.AsyncClient | Mapping
        The bot users' clients, by user id; one client is looked up with
        ``get_me`` when first needed. Made with ``xchat_key``, a client sends
        and reads its user's DMs over XChat, encrypted. AsyncClients' requests
        run on an event loop of the bot's own. Not ``wait_on_rate_limit=True``:
        the bot waits on X's budgets itself.
    bearer_token : str | None
        The app's bearer token, for ``run(source="stream")``.
    api_url : str | None
        Where the stream connects; the first client's ``api_url`` by default.
    handler_timeout : float
        Seconds after which a running handler counts as failed.
    max_attempts : int
        Attempts before a message goes to the dead letters.
    retry : tuple
        Waits between attempts: a ``tweepy_dm._policy.Backoff(attempts, base,
        factor, maximum)``, by default 1 s doubling up to 5 minutes; its
        ``attempts`` (when not 0) also caps the attempts.
    lease : float | None
        Seconds a worker holds a message; ``handler_timeout`` + 30 by default.
        A send is held at least until it can no longer land (the client's
        ``timeout`` + 30 s), whatever ``lease`` says.
    leader_ttl : float
        Seconds a source's leadership lasts without a heartbeat.
    poll_interval : float
        Seconds an idle worker waits before looking at the store again.
    check_delay : float
        Seconds to wait before looking up a send whose outcome is unknown.
    stream_options : Mapping | None
        More arguments of the :class:`~tweepy_dm.ActivityStream` that
        ``source="stream"`` makes (``timeout``, ``http_backoff``, …).
    clock : Callable[[], float]
        Epoch seconds, for leases, budgets and retries. The ``clock``
        attribute may be replaced until the bot starts (the test kit,
        :class:`tweepy_dm.testing.DMChat`, runs a bot on simulated time).
    accept_requests : bool | Callable
        Over XChat, whether a message that came as a message request is
        accepted (the conversation moves into the bot user's inbox) before the
        handler runs and its replies are sent: ``False`` (the default: replying
        does not accept), ``True``, or a function of the handler's
        :class:`~tweepy_dm.bot.Context` (``context.message`` is the message).
        The handler sees ``context.is_message_request`` either way. Clients
        without ``xchat_key`` have no message requests.

        .. versionadded:: 0.2

    Raises
    ------
    TypeError, ValueError
        A parameter has the wrong type or value.
    ImportError
        A ``postgresql://`` store without the ``postgres`` extra (when first used).
    """

    def __init__(
        self,
        *,
        store: str = DEFAULT_STORE,
        clients: Any,
        bearer_token: Optional[str] = None,
        api_url: Optional[str] = None,
        handler_timeout: float = 30.0,
        max_attempts: int = 5,
        retry: Backoff = DEFAULT_RETRY,
        lease: Optional[float] = None,
        leader_ttl: float = 5.0,
        poll_interval: float = 0.05,
        check_delay: float = 2.0,
        stream_options: Optional[Mapping[str, Any]] = None,
        clock: Callable[[], float] = time.time,
        accept_requests: Union[bool, Callable[[_inbox.Context], bool]] = False,
    ) -> None:
        if not isinstance(store, str):
            raise TypeError(f"store must be a URL (str), not {type(store).__name__}")
        for name, value in (
            ("handler_timeout", handler_timeout),
            ("leader_ttl", leader_ttl),
            ("poll_interval", poll_interval),
            ("check_delay", check_delay),
        ):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(f"{name} must be seconds (a number), not {type(value).__name__}")
            if value <= 0 and name != "check_delay":
                raise ValueError(f"{name} must be positive, not {value}")
        if not isinstance(accept_requests, bool) and not callable(accept_requests):
            raise TypeError(
                "accept_requests must be True, False or a function of the handler's context, "
                f"not {type(accept_requests).__name__}"
            )
        if isinstance(max_attempts, bool) or not isinstance(max_attempts, int):
            raise TypeError(f"max_attempts must be an int, not {type(max_attempts).__name__}")
        if max_attempts < 1:
            raise ValueError(f"max_attempts must be at least 1, not {max_attempts}")
        if isinstance(clients, Mapping):
            if not clients:
                raise ValueError("clients is empty; give the bot users' clients by user id")
            self._clients: dict[str, Any] = {}
            for user_id, client in clients.items():
                if isinstance(user_id, bool) or not str(user_id).isdigit():
                    raise ValueError(f"clients must be keyed by user id, not {user_id!r}")
                self._clients[str(user_id)] = client
            pending: list[Any] = []
        else:
            self._clients, pending = {}, [clients]
        for client in [*self._clients.values(), *pending]:
            if not callable(getattr(client, "request", None)):
                raise TypeError(
                    "clients must be tweepy_dm.Client or AsyncClient objects (or a mapping of "
                    f"user id to them), not {type(client).__name__}"
                )
            if getattr(client, "wait_on_rate_limit", False):
                # A send that sleeps out a window inside the client outlives its claim:
                # another worker would look, find nothing and send it again.
                raise ValueError(
                    "DMBot waits on X's rate limits itself, in the store for every worker: "
                    "give it clients made with wait_on_rate_limit=False"
                )
        self._unresolved = pending
        self.store_url = store
        self.bearer_token = bearer_token
        self.api_url = api_url
        self.handler_timeout = float(handler_timeout)
        self.max_attempts = max_attempts
        self.retry = retry
        self.lease = float(lease) if lease is not None else self.handler_timeout + 30.0
        self.leader_ttl = float(leader_ttl)
        self.poll_interval = float(poll_interval)
        self.check_delay = float(check_delay)
        self.stream_options = dict(stream_options or {})
        self.clock = clock
        self.accept_requests = accept_requests
        # Conversations X said are not pending requests (a state that does not come back),
        # for messages whose source could not tell; bounded, oldest forgotten first.
        self._not_requests: dict[tuple[str, str], None] = {}
        self._not_requests_lock = threading.Lock()
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self._handler: Optional[Handler] = None
        self._router = Router()
        self._store: Optional[BotStore] = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._draining = threading.Event()
        self._workers: list[threading.Thread] = []
        self._deaths: list[tuple[str, BaseException]] = []
        # Through the attribute: a clock set after construction reaches the flows too.
        self._driver = Driver(lambda: self.clock())
        self.inbox = Inbox(self)
        self.outbox = Outbox(self)

    def __repr__(self) -> str:
        store = redact(self.store_url)
        return f"<DMBot store={store!r} users={sorted(self._clients) or '?'}>"

    # -- setup -----------------------------------------------------------------

    def on_direct_message(
        self,
        handler: Optional[Callable[..., Any]] = None,
        *,
        text: Optional[Pattern] = None,
        when: Optional[Callable[[_inbox.Context], Any]] = None,
    ) -> Any:
        """Decorator: a handler of the messages to the bot, all or those a filter picks.

        ``@bot.on_direct_message`` alone registers the handler of every message
        that no other handler takes, ``handler(message, context)`` (one such
        handler: registering another replaces it). With a filter,
        ``@bot.on_direct_message(text=REGEX)``, ``(when=PREDICATE)`` or
        ``(PREDICATE)``, it registers a handler of the messages that match.
        Handlers with a filter (these, :meth:`command` and a conversation's entry
        points) are tried in the order they were registered, and the first that
        matches handles the message; then the one without.

        A handler is a function or coroutine function, called
        ``handler(message, context)`` or, if it takes one argument,
        ``handler(context)``.

        .. versionadded:: 0.2

        Parameters
        ----------
        handler : Callable | None
            The handler (``@bot.on_direct_message`` alone), or a predicate of
            one argument, the :class:`~tweepy_dm.bot.Context`, true for the
            messages the handler below takes.
        text : str | re.Pattern | None
            A regular expression searched in the message's text; the handler
            finds the match in ``context.match``.
        when : Callable[[Context], bool] | None
            A predicate on the context.

        Returns
        -------
        Callable
            The handler, or a decorator that registers it.

        Raises
        ------
        TypeError, ValueError
            A handler or predicate that is not callable, or a bad pattern.
        """
        if handler is not None:
            if not callable(handler):
                raise TypeError(f"handler must be callable, not {type(handler).__name__}")
            if text is None and when is None and takes_message(handler):
                self._handler = handler
                return handler
            if when is not None:
                raise TypeError("give the predicate once: on_direct_message(predicate) or when=")
            # One argument: a predicate, whose handler the decorator gets next.
            when = handler
            self._router.pending.append(when)
        test = make_test(None, text, when)

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            if not callable(function):
                raise TypeError(f"handler must be callable, not {type(function).__name__}")
            if when in self._router.pending:
                self._router.pending.remove(when)
            self._router.add(Route(test, function))
            return function

        return register

    def command(self, name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        """Decorator: a handler of the messages whose first word is ``/name`` or ``name``.

        Any case matches (``/Help``, ``HELP``); the handler finds the words
        after the command in ``context.args``. Tried among the handlers with a
        filter, in the order they were registered (see :meth:`on_direct_message`).

        .. versionadded:: 0.2

        Parameters
        ----------
        name : str
            The command, one word, with or without its ``/``.

        Returns
        -------
        Callable
            A decorator that registers the handler.

        Raises
        ------
        TypeError, ValueError
            ``name`` is not one word.
        """
        test = make_test(name)

        def register(function: Callable[..., Any]) -> Callable[..., Any]:
            if not callable(function):
                raise TypeError(f"handler must be callable, not {type(function).__name__}")
            self._router.add(Route(test, function))
            return function

        return register

    def conversation(self, *, timeout: Optional[float] = None, name: Optional[str] = None) -> Any:
        """A conversation: states, their handlers, entry points, fallbacks and a timeout.

        The state of each DM conversation, and its ``context.data``, are kept in
        the bot's store: every worker and process sees them, and a restarted
        bot goes on where each user was. A conversation's messages are handled
        one at a time, in order.

        >>> flow = bot.conversation(timeout=300)  # doctest: +SKIP
        >>> @flow.entry(command="start")
        ... def start(context):
        ...     context.reply("What's your name?")
        ...     return "name"
        >>> @flow.state("name")
        ... def got_name(context):
        ...     context.reply(f"Hi {context.text}!")
        ...     return flow.END

        .. versionadded:: 0.2

        Parameters
        ----------
        timeout : float | None
            Seconds, on the bot's clock, that a state waits for the user's next
            message; then the conversation's :meth:`~tweepy_dm.bot.Conversation.on_timeout`
            handler runs and the conversation ends. None: no timeout.
        name : str | None
            What the store records the state under (``conversation1``, … in the
            order they were made, by default): keep it when the code changes.

        Returns
        -------
        Conversation
            Register its handlers with its decorators.

        Raises
        ------
        TypeError, ValueError
            A bad timeout, or a name used already.
        """
        return self._router.conversation(name, timeout)

    @property
    def store(self) -> BotStore:
        """The open store (opened, and its tables created, on first use)."""
        with self._lock:
            if self._store is None:
                store = open_store(self.store_url)
                store.setup(self.clock())
                self._store = store
            return self._store

    def use_store(self, url: str) -> None:
        """Use another store (``tweepy-dm bot run --store``); before the bot starts."""
        with self._lock:
            if self._store is not None:
                raise RuntimeError("the bot's store is already open")
            if not isinstance(url, str):
                raise TypeError(f"store must be a URL (str), not {type(url).__name__}")
            self.store_url = url

    def use_token_store(
        self, url: str, *, client_id: Optional[str] = None, client_secret: Optional[str] = None
    ) -> list[str]:
        """Give the bot users' clients their tokens from ``url`` (``bot run --token-store``).

        Each client of a user whose OAuth 2.0 token ``tweepy-dm auth login``
        (or :func:`tweepy_dm.auth.exchange_oauth1_token`) stored gets it as
        ``bearer_token``, refreshed as it expires (on the bot's clock) by one
        process at a time; clients with OAuth 1.0a keep signing with it.
        Returns the user ids.

        .. versionadded:: 0.2
        """
        from tweepy_dm import auth

        return auth.use_stored_tokens(
            self.clients, url, client_id=client_id, client_secret=client_secret, clock=self.clock
        )

    def use_xchat_key(self, key: Any) -> None:
        """Send and read the bot user's DMs over XChat (``tweepy-dm bot run --xchat-key``).

        For a bot of one user, before it starts: its client is made again with
        the same credentials and options plus ``xchat_key=key``, and
        ``source="stream"`` decrypts the user's ``chat.received`` events with it.

        .. versionadded:: 0.2

        Parameters
        ----------
        key : bytes | str | os.PathLike
            The user's XChat key blob, or the path of its file.

        Raises
        ------
        ValueError
            The bot has more than one user (make each client with its own
            ``xchat_key``), or ``key`` is not a key blob.
        RuntimeError
            The bot is running.
        """
        from tweepy_dm._async_client import AsyncClient
        from tweepy_dm._client import Client

        clients = self.clients
        if len(clients) != 1:
            raise ValueError(
                f"an XChat key is one user's, and this bot has {len(clients)} users: make each "
                "client with its own xchat_key="
            )
        ((user_id, client),) = clients.items()
        options = {
            name: getattr(client, name)
            for name in ("consumer_key", "consumer_secret", "access_token", "access_token_secret",
                         "bearer_token", "return_type", "wait_on_rate_limit", "api_url", "timeout")
            if hasattr(client, name)
        }  # fmt: skip
        kind = AsyncClient if is_async(client) else Client
        keyed = kind(**options, xchat_key=key, xchat_user_id=user_id)
        with self._lock:
            if self._workers:
                raise RuntimeError("the bot is running: give it the key before it starts")
            self._clients = {user_id: keyed}
        self.stream_options.setdefault("xchat_clients", keyed)

    def use_clients(self, clients: Any) -> None:
        """Use other clients for the bot users, before the bot starts.

        :class:`tweepy_dm.testing.DMChat` points a bot at the emulator this way.

        .. versionadded:: 0.2

        Parameters
        ----------
        clients : tweepy_dm.Client | tweepy_dm.AsyncClient | Mapping
            As the constructor's ``clients``, checked the same way.

        Raises
        ------
        TypeError, ValueError
            As the constructor's.
        RuntimeError
            The bot is running.
        """
        checked = DMBot(store=self.store_url, clients=clients)  # the constructor's checks
        with self._lock:
            if self._workers:
                raise RuntimeError("the bot is running: give it clients before it starts")
            self._clients, self._unresolved = checked._clients, checked._unresolved

    @property
    def clients(self) -> dict[str, Any]:
        """The bot users' clients by user id (looking up the ids of clients given alone)."""
        with self._lock:
            while self._unresolved:
                client = self._unresolved[0]
                self._clients[self._lookup_id(client)] = client
                self._unresolved.pop(0)
            return dict(self._clients)

    def _lookup_id(self, client: Any) -> str:
        return str(_data(self._driver.wait(client.get_me(user_auth=user_auth(client))))["id"])

    def id_of(self, client: Any) -> str:
        for user_id, known in self.clients.items():
            if known is client:
                return user_id
        return self._lookup_id(client)

    def _message_request(self, context: _inbox.Context, known: Optional[bool] = None) -> None:
        """Tell the handler whether the message came as a request; accept it if told to.

        ``known`` is what the message's source read (the poller knows which
        conversations it read from X's message requests). Only when the source
        could not tell (the stream's and webhooks' chat events do not say) is
        X asked, once per conversation that turns out not to be a request.
        Legacy DMs have no message requests; a request accepted since (X's
        404) is fine.
        """
        client = self.clients.get(context.bot_id)
        if client is None or client.__dict__.get("_xchat_keys") is None:
            return
        auth = user_auth(client)
        conversation = context.conversation_id
        seen = (context.bot_id, conversation)
        if known is None and seen not in self._not_requests:
            flow = _xchat_dm.pending_request(conversation, auth)
            known = self._driver.run(client, flow, classified=False)
            if not known:
                self._remember_not_request(seen)
        context.is_message_request = bool(known)
        if not context.is_message_request:
            return
        accept = self.accept_requests
        if accept is True or (callable(accept) and accept(context)):
            self._driver.run(client, _xchat_dm.accept_request(conversation, auth), classified=False)
            self._remember_not_request(seen)

    def _remember_not_request(self, seen: tuple[str, str]) -> None:
        with self._not_requests_lock:
            self._not_requests[seen] = None
            if len(self._not_requests) > _NOT_REQUESTS_KEPT:
                del self._not_requests[next(iter(self._not_requests))]

    def call(self, client: Any, method: str, **kwargs: Any) -> tuple[Any, dict[str, str]]:
        """Call a DM method of a client (blocking or async); its answer and the answer's headers."""
        return self._driver.call(client, method, user_auth=user_auth(client), **kwargs)

    def xchat_page(
        self,
        client: Any,
        conversation_id: str,
        *,
        max_results: int,
        pagination_token: Any,
        seen: Optional[int] = None,
    ) -> tuple[list[_xchat_dm.Polled], Optional[str]]:
        """One page of an XChat conversation for the poller (see ``_xchat_dm.poll_page``)."""
        flow = _xchat_dm.poll_page(
            client.__dict__["_xchat_keys"],
            conversation_id,
            max_results,
            pagination_token,
            user_auth(client),
            seen,
        )
        return self._driver.run_xchat(client, flow)  # type: ignore[no-any-return]

    # -- the inbox's sources ---------------------------------------------------

    def dm_row(
        self,
        dm: DirectMessageEvent,
        bot_id: str,
        source: str,
        message_request: Optional[bool] = None,
    ) -> Optional[dict[str, Any]]:
        return _inbox.dm_row(dm, bot_id, source, message_request)

    def ingest_rows(
        self, rows: Sequence[Mapping[str, Any]], checkpoint: Optional[tuple[str, str]] = None
    ) -> int:
        if not rows and checkpoint is None:
            return 0
        return self.store.ingest(rows, self.clock(), checkpoint)

    def ingest(self, events: Iterable[Any], *, source: str = "ingest") -> int:
        """Add events to the inbox: :class:`ActivityEvent` objects or DMs with their bot user.

        Messages already in the inbox (by DM event id) and the bot's own are
        skipped. Returns how many were new.

        .. versionadded:: 0.2
        """
        bot_ids = set(self.clients)
        rows = []
        for event in events:
            if isinstance(event, ActivityEvent):
                rows.extend(_inbox.activity_rows([event], bot_ids, source))
            elif isinstance(event, tuple) and len(event) == 2:
                bot_id, dm = event
                row = _inbox.dm_row(dm, str(bot_id), source)
                if row is not None:
                    rows.append(row)
            else:
                raise TypeError(
                    "ingest takes ActivityEvent objects or (bot_id, DirectMessageEvent) pairs, "
                    f"not {type(event).__name__}"
                )
        return self.ingest_rows(rows)

    def webhook_handler(self, event: ActivityEvent) -> None:
        """The handler for :func:`tweepy_dm.webhooks.wsgi_app` / ``asgi_app``: into the inbox.

        The event is stored before the receiver answers X, so a delivery is
        either in the inbox or retried by X. A ``chat.received`` event that the
        receiver did not decrypt (no ``xchat_clients``) is decrypted here with
        the bot user's client made with ``xchat_key``.

        .. versionadded:: 0.2
        """
        if event.event_type in _xchat_dm.CHAT_EVENT_TYPES and event.direct_message is None:
            keyed = self._xchat_clients()
            if keyed:
                _xchat_dm.Receivers(keyed).decrypt(event)
        self.ingest([event], source="webhook")

    def _xchat_clients(self) -> dict[str, Any]:
        """The bot users' blocking clients made with ``xchat_key``, by user id."""
        return {
            user_id: client
            for user_id, client in self.clients.items()
            if client.__dict__.get("_xchat_keys") is not None and not is_async(client)
        }

    def _stream_lead(self, make_stream: Callable[[int], Any]) -> Callable[[threading.Event], None]:
        def lead(term: threading.Event) -> None:
            # Ask X for what came while there was no leader (up to 5 minutes).
            last = self.store.get_meta("stream:last_event_at")
            gap = self.clock() - float(last) if last else 0.0
            stream = make_stream(min(5, max(1, math.ceil(gap / 60))) if last else 0)
            watcher = threading.Thread(target=lambda: (term.wait(), stream.close()), daemon=True)
            watcher.start()
            bot_ids = set(self.clients)
            try:
                for event in stream:
                    rows = _inbox.activity_rows([event], bot_ids, "stream")
                    self.ingest_rows(rows, checkpoint=("stream:last_event_at", repr(self.clock())))
                    if term.is_set():
                        break
            finally:
                stream.close()
                term.set()

        return lead

    def _make_stream(self, backfill: int) -> Any:
        from tweepy_dm._stream_client import ActivityStream

        if not self.bearer_token:
            raise ValueError("source='stream' needs the app's bearer_token (DMBot(bearer_token=…))")
        api_url = self.api_url or next(iter(self.clients.values())).api_url
        options = {"api_url": api_url, **self.stream_options}
        keyed = self._xchat_clients()
        if keyed and "xchat_clients" not in options:
            # The users' chat.received events decrypt with their own keys.
            options["xchat_clients"] = keyed
        return ActivityStream(self.bearer_token, initial_backfill_minutes=backfill, **options)

    def _poll_lead(self, poller: DMPoller) -> Callable[[threading.Event], None]:
        def lead(term: threading.Event) -> None:
            streak = FailureStreak(f"Polling {poller!r}")
            while not term.is_set():
                try:
                    wait = poller.poll(self, clock=self.clock)
                    streak.succeeded()
                except Exception as error:
                    wait = STORE_RETRY.delay(streak.failed(error))
                term.wait(wait)

        return lead

    def _leaderships(self, source: Any) -> list[Leadership]:
        if source is None:
            return []
        if isinstance(source, (list, tuple)):
            return [lead for item in source for lead in self._leaderships(item)]
        if source == "poll":
            return self._leaderships(
                [DMPoller(client, user_id=uid) for uid, client in self.clients.items()]
            )
        if source == "stream":
            lead = self._stream_lead(self._make_stream)
        elif isinstance(source, DMPoller):
            if source.user_id is None:
                source.user_id = self.id_of(source.client)
            return [self._leadership(source.lease_name, self._poll_lead(source))]
        elif hasattr(source, "__iter__") and hasattr(source, "close"):
            streams = iter([source])

            def make(backfill: int) -> Any:
                stream = next(streams, None)
                if stream is None:  # a stream object is iterated once; make one from the bot's
                    return self._make_stream(backfill)
                return stream

            lead = self._stream_lead(make)
        else:
            raise TypeError(
                "source must be 'stream', 'poll', an ActivityStream, a DMPoller, a list of "
                f"those, or None, not {source!r}"
            )
        return [self._leadership("stream", lead)]

    def _leadership(self, name: str, lead: Callable[[threading.Event], None]) -> Leadership:
        return Leadership(self.store, name, self.owner, lead, ttl=self.leader_ttl, clock=self.clock)

    # -- workers ---------------------------------------------------------------

    def work_once(self, owner: Optional[str] = None) -> bool:
        """Send (or check) one outbox message, else handle one inbox message; False if idle.

        .. versionadded:: 0.2
        """
        owner = owner or self.owner
        return self._send_one(owner) or (not self._draining.is_set() and self._handle_one(owner))

    def _handle_one(self, owner: str) -> bool:
        return self.inbox.handle_one(owner)

    def _send_one(self, owner: str) -> bool:
        return self.outbox.send_one(owner)

    def _send_lease(self) -> float:
        return self.outbox.send_lease()

    # -- running ---------------------------------------------------------------

    def run(
        self,
        *,
        source: Union[str, Any, None] = "stream",
        workers: int = 1,
        install_signals: bool = False,
    ) -> None:
        """Run ``source`` and ``workers`` worker threads in this process until :meth:`stop`.

        Several processes (on several machines, with PostgreSQL) may run the
        same bot on one store: each source has one leader among them, all work.

        .. versionadded:: 0.2

        Parameters
        ----------
        source : str | ActivityStream | DMPoller | list | None
            ``"stream"`` (the Activity API, with ``bearer_token``), ``"poll"``
            (a :class:`~tweepy_dm.DMPoller` per client), an
            :class:`~tweepy_dm.ActivityStream`, one or several
            :class:`~tweepy_dm.DMPoller`, or ``None`` when webhooks fill the inbox.
        workers : int
            Worker threads in this process.
        install_signals : bool
            Drain on SIGTERM and SIGINT (main thread only).

        Raises
        ------
        TypeError, ValueError
            A bad source or worker count.
        RuntimeError
            No handler is registered, or a worker died (the others are stopped
            first; the cause is chained).
        """
        if isinstance(workers, bool) or not isinstance(workers, int):
            raise TypeError(f"workers must be an int, not {type(workers).__name__}")
        if workers < 1:
            raise ValueError(f"workers must be at least 1, not {workers}")
        if self._router.empty(self._handler):
            raise RuntimeError("no handler: register one with @bot.on_direct_message")
        self._router.check_complete()
        if isinstance(source, str) and source not in ("stream", "poll"):
            raise ValueError(f"source must be 'stream', 'poll' or None, not {source!r}")
        self._stop.clear()
        self._draining.clear()
        leaderships = self._leaderships(source)
        if install_signals:
            import signal

            for signum in (signal.SIGTERM, signal.SIGINT):
                signal.signal(signum, lambda *_: self.stop())
        threads = [
            threading.Thread(
                target=lead.run, args=(self._stop,), name=f"lease {lead.name}", daemon=True
            )
            for lead in leaderships
        ]
        threads += [
            threading.Thread(
                target=self._work,
                args=(f"{self.owner}/{n}",),
                name=f"tweepy-dm worker {n}",
                daemon=True,
            )
            for n in range(workers)
        ]
        self._workers = threads[len(leaderships) :]
        self._deaths = []
        for thread in threads:
            thread.start()
        try:
            while any(thread.is_alive() for thread in threads):
                self._stop.wait(0.2)
                if self._stop.is_set():
                    for thread in threads:
                        thread.join()
        finally:
            self._stop.set()
            self._draining.set()
        if self._deaths:
            owner, error = self._deaths[0]
            raise RuntimeError(
                f"worker {owner} died ({type(error).__name__}: {error}); the bot stopped"
            ) from error

    def _work(self, owner: str) -> None:
        try:
            self._work_loop(owner)
        except BaseException as error:
            # A worker that dies silently would leave run() handling nothing: stop all.
            log.critical("Worker %s died; the bot stops", owner, exc_info=True)
            self._deaths.append((owner, error))
            self._draining.set()
            self._stop.set()

    def _work_loop(self, owner: str) -> None:
        streak = FailureStreak(f"Worker {owner}")
        while not self._stop.is_set():
            try:
                busy = self.work_once(owner)
                streak.succeeded()
            except StoreLost:
                raise
            except Exception as error:
                # The store may be restarting: wait longer each time, log sparingly.
                self._stop.wait(STORE_RETRY.delay(streak.failed(error)))
                busy = False
            if self._draining.is_set() and not busy:
                return
            if not busy:
                self._stop.wait(self.poll_interval)
        try:
            self.store.release(owner, self.clock())
        except Exception:  # pragma: no cover - the store is gone
            log.exception("Could not release %s's leases", owner)

    def stop(self) -> None:
        """Drain: no new claims; running handlers and sends finish, then :meth:`run` returns.

        Safe from a signal handler and from any thread.

        .. versionadded:: 0.2
        """
        self._draining.set()
        # The workers return once idle; the sources stop with them.
        threading.Thread(target=self._stop_when_idle, daemon=True).start()

    def _stop_when_idle(self) -> None:
        while not self._stop.is_set():
            if not any(thread.is_alive() for thread in self._workers):
                self._stop.set()
                return
            time.sleep(0.05)

    # -- inspection ------------------------------------------------------------

    def status(self) -> dict[str, Any]:
        """Inbox depth, leases, dead letters, budget left per user and for the app, leaders.

        .. versionadded:: 0.2
        """
        return self.store.status(self.clock())

    def replay(self, event_ids: Optional[Sequence[Any]] = None) -> int:
        """Put dead letters (all, or these DM event ids) back in the inbox; returns how many.

        .. versionadded:: 0.2
        """
        ids = None if event_ids is None else [str(event_id) for event_id in event_ids]
        return self.store.replay(ids, self.clock())

    def close(self) -> None:
        """Close the store's connections."""
        with self._lock:
            store, self._store = self._store, None
        self._driver.close()
        if store is not None:
            store.close()
