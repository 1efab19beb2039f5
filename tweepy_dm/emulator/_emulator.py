"""The public face of the emulator: :class:`DMEmulator`."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Callable, Optional, Union

from tweepy_dm import _facts
from tweepy_dm._facts import (
    CHAT_COLON_ID_PATTERN,
    CHAT_CONVERSATION_ID_PATTERN,
    ID_PATTERN,
    STREAM_KEEP_ALIVE_SECONDS,
    one_to_one_conversation_id,
)
from tweepy_dm.emulator import _backends, _xchat_users
from tweepy_dm.emulator._activity import ActivityHub
from tweepy_dm.emulator._backend import (
    DMBackend,
    DMError,
    LegacyDMsEnded,
    UnknownUser,
    check_legacy_mode,
)
from tweepy_dm.emulator._bots import BotsBackend
from tweepy_dm.emulator._chat import ChatBackend, CryptographyMissing, require_cryptography
from tweepy_dm.emulator._ids import MAX_STORED_ID
from tweepy_dm.emulator._limits import RateLimiter, RateLimits
from tweepy_dm.emulator._oauth2 import OAuth2Backend
from tweepy_dm.emulator._routes import X_APP_RATE_LIMITS, X_RATE_LIMITS, App
from tweepy_dm.emulator._server import IDLE_TIMEOUT, Fault, Server, path_pattern
from tweepy_dm.emulator._state import EmulatorDB
from tweepy_dm.emulator._web import Inbox, ShiftableClock, normalize_networks
from tweepy_dm.emulator._webhooks import WebhookHub, normalize_hosts

ID = Union[int, str]


def _user_id(value: ID) -> int:
    text = str(value)
    if not ID_PATTERN.fullmatch(text) or int(text) > MAX_STORED_ID:
        raise ValueError(f"a user id is 1 to 19 digits below 2**63, not {value!r}")
    return int(text)


@contextmanager
def _rules() -> Iterator[None]:
    """A back door's refusal by the DM rules, as the ValueError a test expects."""
    try:
        yield
    except UnknownUser as error:
        raise ValueError(f"unknown user {error.value}; add_user() first") from None
    except LegacyDMsEnded as error:
        raise ValueError(
            f"legacy_dms is {error.mode!r}, so this legacy DM back door is refused: {error.message}"
        ) from None
    except DMError as error:
        raise ValueError(error.message) from None


class DMEmulator:
    """An offline X API v2 Direct Messages server for tests and benchmarks.

    A real HTTP/1.1 server on ``host`` in a background thread, answering
    every DM endpoint, the v2 media-upload endpoints and the user lookups
    tweepy's ``get_me``, ``get_user`` and ``get_users`` make, with X's semantics:
    OAuth 1.0a signatures checked against the registered secrets, OAuth 2.0
    user tokens, X's error bodies and rate-limit headers. Point a client at
    it with ``api_url=emulator.url``.

    Parameters
    ----------
    host : str
        The address to listen on.
    port : int
        The port; 0 picks a free one.
    db : str or os.PathLike or None
        An SQLite file for the state (users, conversations, events, media,
        blocks, the app's keys, its Activity API subscriptions, webhooks and
        Account Activity subscriptions), so that it survives a restart. In
        memory when None. Open streams, webhook deliveries still to be retried
        and what the webhooks were sent (for replay) are not kept.
    webhook_hosts : Iterable[str]
        Host names besides this machine's (127.0.0.0/8, ``::1``, ``localhost``)
        that webhooks may be registered at, and so be sent CRCs and signed
        DMs, e.g. ``["abc.ngrok.app"]``. By default none: another URL is
        refused with X's ``400``, as an offline emulator talks to loopback only.

        .. versionadded:: 0.2
    rate_limits : bool or Mapping
        ``False`` (the default) counts nothing and never answers 429.
        ``True`` enforces X's documented per-user limits
        (:data:`X_RATE_LIMITS`). A mapping enforces your own: keys are
        endpoints as in :data:`X_RATE_LIMITS` (``"GET /2/dm_events"``) or
        ``"*"`` for every other endpoint, values ``(limit, seconds)`` or a
        list of such windows.
    clock : Callable or None
        Returns the time in epoch seconds; ``time.time`` by default. Event
        times and ids, rate-limit windows, the 30-day lookback, media expiry
        and video processing all follow it, so a test can move time forward.
        The inbox page's clock buttons move the emulator's time ahead of it.
    stream_heartbeat : float
        Seconds between the keep-alive blank lines of ``GET /2/activity/stream``
        (X's 20 by default), in real time.

        .. versionadded:: 0.2
    idle_timeout : float or None
        Seconds, in real time, before an idle keep-alive connection is closed
        (75 by default, longer than clients keep pooled connections); None
        never closes one. A streamed answer never times out.

        .. versionadded:: 0.2
    legacy_dms : str
        The legacy DM API (``/2/dm_events*``, ``/2/dm_conversations*``) as
        before X's cutover to XChat (``"on"``, the default), as after it with
        the history still readable (``"read-only"``: sends, group creation and
        deletes answer 403 and no ``dm.*`` event is sent), or gone (``"off"``:
        every legacy DM route answers 403). The 403 is an assumption (X's
        answer is unconfirmed); see :attr:`legacy_dms` and the emulator docs.

        .. versionadded:: 0.2
    inbox_from : Iterable[str]
        IP addresses or networks besides loopback (``"192.168.1.0/24"``;
        ``"0.0.0.0/0"`` for any IPv4 address) from which the inbox page at
        ``url + "/"`` may be used. By default none: the page and its API
        answer 403 to any other caller, as it sends as any user.

        .. versionadded:: 0.2

    Examples
    --------
    >>> import tweepy_dm
    >>> from tweepy_dm.emulator import DMEmulator
    >>> with DMEmulator() as emulator:  # doctest: +SKIP
    ...     alice = emulator.add_user(1, "alice", "Alice")
    ...     emulator.add_user(2, "bob", "Bob")
    ...     client = tweepy_dm.Client(api_url=emulator.url, **alice)
    ...     client.create_dm(participant_id=2, text="Hi Bob")

    Notes
    -----
    Not X: everything is accepted from ``127.0.0.1`` over plain HTTP; there
    is no follower graph, so anyone may message anyone who has not blocked
    them; tweets exist only through :meth:`add_tweet`. As X does, every
    endpoint answers a query parameter it does not take, a parameter given
    twice or a malformed value with ``400 Invalid Request``.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        db: Optional[Any] = None,
        webhook_hosts: Iterable[str] = (),
        rate_limits: RateLimits = False,
        clock: Optional[Callable[[], float]] = None,
        stream_heartbeat: float = STREAM_KEEP_ALIVE_SECONDS,
        idle_timeout: Optional[float] = IDLE_TIMEOUT,
        legacy_dms: str = "on",
        inbox_from: Iterable[str] = (),
    ) -> None:
        check_legacy_mode(legacy_dms)
        if idle_timeout is not None and (
            isinstance(idle_timeout, bool) or not isinstance(idle_timeout, (int, float))
        ):
            raise TypeError(
                "idle_timeout must be a number of seconds or None, "
                f"not {type(idle_timeout).__name__}"
            )
        if idle_timeout is not None and not idle_timeout > 0:
            raise ValueError(
                f"idle_timeout must be more than 0 seconds or None, not {idle_timeout!r}"
            )
        hosts = normalize_hosts(webhook_hosts)
        networks = normalize_networks(inbox_from)
        # The inbox page's clock buttons move it forward; until then it is ``clock``.
        self._clock = ShiftableClock(clock or time.time)
        self._store = EmulatorDB(str(db) if db is not None else None, self._clock)
        try:
            self._limiter = RateLimiter(rate_limits, self._clock, X_RATE_LIMITS, X_APP_RATE_LIMITS)
            # Every service at once, on one event bus: the routes and back doors below
            # reach each through a typed reference, none is made on first use.
            backends = _backends.build(
                self._store,
                webhook_hosts=hosts,
                heartbeat=stream_heartbeat,
                legacy_dms=legacy_dms,
            )
            self._backends = backends
            self._backend: DMBackend = backends.dms
            self._activity: ActivityHub = backends.activity
            self._webhooks: WebhookHub = backends.webhooks
            self._chat_backend: ChatBackend = backends.chat
            self._oauth: OAuth2Backend = backends.oauth
            self._bots: BotsBackend = backends.bots
            #: XChat key blobs of the users added with ``xchat=True``, by user id.
            self._xchat: dict[int, _xchat_users.ChatIdentity] = {}
            self._inbox = Inbox(self, self._clock, self._xchat, networks)
            self._server = Server(
                (host, port),
                lambda url: App(self._store, self._limiter, url, backends, self._inbox),
                idle_timeout=idle_timeout,
            )
        except BaseException:
            self._store.close()
            raise
        self._backend.base_url = self._server.url
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.02},
            name=f"DMEmulator {self._server.url}",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    # Lifecycle

    @property
    def url(self) -> str:
        """The base URL to pass as ``api_url``, e.g. ``http://127.0.0.1:50123``."""
        return self._server.url

    def close(self) -> None:
        """Stop the server, drop its connections and close the database."""
        if self._closed:
            return
        self._closed = True
        self._inbox.close()
        self._server.shutdown()
        self._server.server_close()
        self._server.close_connections()
        self._thread.join()
        self._backends.close()
        self._store.close()

    def __enter__(self) -> DMEmulator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else self.url
        return f"<DMEmulator {state}>"

    @property
    def legacy_dms(self) -> str:
        """The legacy DM API's mode, ``"on"``, ``"read-only"`` or ``"off"`` (a back door).

        Set it to play X's cutover to XChat in the middle of a test: what was
        stored stays, and the next request sees the new mode.

        ``"read-only"``: the ``GET`` routes of ``/2/dm_events*`` and
        ``/2/dm_conversations*`` (the media download too) return the history;
        sends, group creation and deletes answer ``403`` with
        ``tweepy_dm._facts.LEGACY_DM_ENDED_DETAIL``; no ``dm.*`` event reaches a
        stream or a webhook. ``"off"``: every legacy DM route answers that
        403. Blocks (``/2/users/{id}/dm/block``), the media upload and
        ``/2/chat`` work in every mode. The back doors that make legacy DMs
        (:meth:`create_group`, :meth:`leave_conversation`, :meth:`mark_read`,
        :meth:`typing`) raise ``ValueError`` unless ``"on"``; :meth:`seed_messages`
        (history from before the cutover) works in ``"read-only"`` too,
        announcing nothing.

        .. versionadded:: 0.2

        Raises
        ------
        TypeError, ValueError
            If set to anything but one of the three modes.
        """
        return self._backend.legacy_dms

    @legacy_dms.setter
    def legacy_dms(self, mode: str) -> None:
        self._backend.legacy_dms = check_legacy_mode(mode)

    def redirect(self) -> Any:
        """Send every request to X's hosts to this emulator while active.

        For code that builds its own ``tweepy.Client``, ``AsyncClient`` or
        ``tweepy_dm`` client without ``api_url``: inside, requests to X's
        API hosts (``api.twitter.com``, ``api.x.com``, ``upload.twitter.com``,
        ``upload.x.com``, ``stream.twitter.com``) go here, through requests
        and through aiohttp, whoever makes them. OAuth 1.0a signatures are
        checked against the URL the client signed (``https://api.twitter.com/...``).
        Clients already pointed at an emulator with ``api_url`` are not touched.

        .. versionadded:: 0.2

        Returns
        -------
        Redirect
            A context manager (``with`` or ``async with``; ``as`` gives this
            emulator) and a decorator, for ``def`` and ``async def`` functions.

        Notes
        -----
        It patches ``requests.adapters.HTTPAdapter.send`` and
        ``aiohttp.ClientSession._request`` while any redirect is active,
        and puts back the very same attributes when the last one ends,
        exception or not. The redirect is process-wide, not per thread or
        task: requests from every thread go here while it is active.
        Redirects nest: the innermost (the latest entered) wins, and when
        it ends the one around it applies again, so two emulators in one
        process each get the requests made inside their own ``with``.

        Examples
        --------
        >>> with DMEmulator() as emulator, emulator.redirect():  # doctest: +SKIP
        ...     alice = emulator.add_user(1, "alice", "Alice")
        ...     emulator.add_user(2, "bob", "Bob")
        ...     tweepy.Client(**alice).create_direct_message(participant_id=2, text="Hi")
        """
        from tweepy_dm.emulator._redirect import Redirect

        return Redirect(self.url, value=self)

    # Users and credentials

    def add_user(
        self, id: ID, username: str, name: str, *, xchat: bool = False, system: bool = False
    ) -> dict[str, str]:
        """Register a user and return their credentials.

        Adding a user that exists updates the names and returns the same
        credentials, so a test can get them back after a restart.

        Parameters
        ----------
        id : int or str
            The user id, 1 to 19 digits.
        username : str
            The handle, without ``@``; mentions of it resolve to this user.
        name : str
            The display name.
        xchat : bool
            Also give the user XChat keys, made with X's SDK (chatxdk), and
            register their public keys, as ``POST /2/users/{id}/public_keys``
            would: :meth:`xchat_key_blob` gives the key blob for
            ``tweepy_dm.xchat.XChat``, and :meth:`send_chat` sends as the
            user. A user who has them keeps them. The keys live in memory,
            like the rest of XChat's state, even with ``db``.

            .. versionadded:: 0.2
        system : bool
            A system (notification) account: it may send, but an XChat message to
            it answers X's ``recipient-not-messageable`` 403
            (``tweepy_dm.RecipientNotMessageable``). ``False`` makes it an ordinary
            user again. Kept in memory, like XChat's state.

            .. versionadded:: 0.2

        Returns
        -------
        dict
            ``consumer_key``, ``consumer_secret`` (the emulator's app, the
            same for every user), ``access_token``, ``access_token_secret``
            (OAuth 1.0a) and ``bearer_token`` (an OAuth 2.0 user access token):
            ``tweepy_dm.Client(api_url=emulator.url, **credentials)``.

        Raises
        ------
        ImportError
            With ``xchat=True``, if chatxdk (the ``xchat`` extra, Python 3.10+)
            or ``cryptography`` is not installed; the user is not added.
        """
        if not isinstance(xchat, bool):
            raise TypeError(f"xchat must be True or False, not {xchat!r}")
        if not isinstance(system, bool):
            raise TypeError(f"system must be True or False, not {system!r}")
        user_id = _user_id(id)
        if xchat:
            self._chat()  # both raise ImportError before the user is added
            _xchat_users.require_chatxdk()
        user = self._store.add_user(user_id, username, name)
        self._chat_backend.set_system(user.id, system)
        if xchat and user.id not in self._xchat:
            version = str(round(self._clock() * 1000))
            self._xchat[user.id] = _xchat_users.register(self._chat(), user.id, version)
        return self._credentials(user)

    def xchat_key_blob(self, id: ID) -> bytes:
        """The XChat key blob of a user added with ``xchat=True``: the user's private keys.

        For ``tweepy_dm.xchat.XChat(client, key_blob=..., user_id=...)``; a
        secret, like any key blob (this one only opens the emulator's
        messages).

        .. versionadded:: 0.2

        Raises
        ------
        KeyError
            If the user has no keys from :meth:`add_user`.
        """
        return self._xchat[_user_id(id)].blob

    def send_chat(self, sender_id: ID, conversation_id: ID, text: str) -> str:
        """Back door: ``sender_id`` sends an end-to-end encrypted DM, as their XChat client would.

        The sender must have been added with ``xchat=True``. The text is
        encrypted and signed with chatxdk and stored through the same rules
        as ``POST /2/chat/conversations/{id}/messages``, so ``chat.sent`` and
        ``chat.received`` reach subscribed streams and webhooks, and the
        recipients decrypt it with ``tweepy_dm.xchat.XChat``. A 1:1 without a
        conversation key gets one first, posted as a client posts it (the
        other user needs registered keys). Legacy DMs' mode does not matter:
        this is XChat.

        .. versionadded:: 0.2

        Parameters
        ----------
        sender_id : int or str
            Who sends.
        conversation_id : int or str
            A user id (the 1:1 with them), ``LOW-HIGH``, ``LOW:HIGH`` or a
            group's ``g…`` id the sender is in.
        text : str
            The message, not empty.

        Returns
        -------
        str
            The message's id (``ChatMessage.id`` on the reading side).

        Raises
        ------
        TypeError
            If ``text`` is not a ``str``.
        ValueError
            If the text is empty, the conversation id is malformed, or the
            rules refuse (a conversation the sender is not in, a user
            without keys, a group without a key).
        KeyError
            If the sender has no keys from :meth:`add_user`.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, not {type(text).__name__}")
        if not text:
            raise ValueError("text must not be empty")
        sender = _user_id(sender_id)
        given = str(conversation_id)
        if not (
            CHAT_CONVERSATION_ID_PATTERN.fullmatch(given) or CHAT_COLON_ID_PATTERN.fullmatch(given)
        ):
            raise ValueError(
                "conversation_id must be a user id, LOW-HIGH, LOW:HIGH or a group's g... id, "
                f"not {conversation_id!r}"
            )
        identity = self._xchat[sender]
        chat = self._chat()
        with _rules():
            canonical = chat.canonical(sender, given.replace(":", "-"))
            event = _xchat_users.send_as(chat, identity, canonical, text)
        return event.message_id

    def follow(self, follower_id: ID, followed_id: ID, *, following: bool = True) -> None:
        """Back door: ``follower_id`` follows ``followed_id`` (or stops, ``following=False``).

        Users follow no one until a test makes them. Follows decide XChat
        message requests: a user whose ``allow_dms_from`` is ``following``
        gets a first message from someone they do not follow as a request,
        and with ``dm_quality_filter`` ``enabled`` a request from a sender no
        one they follow follows lands in the ``low_quality`` inbox.

        .. versionadded:: 0.2
        """
        self._chat().follow(_user_id(follower_id), _user_id(followed_id), following)

    def set_verified(self, user_id: ID, verified: bool = True) -> None:
        """Back door: mark a user verified, for ``allow_dms_from`` ``verified``.

        .. versionadded:: 0.2
        """
        self._chat().set_verified(_user_id(user_id), verified)

    def close_inbox(self, user_id: ID, *, closed: bool = True) -> None:
        """Back door: close the user's inbox (``closed=False`` opens it again).

        An XChat message to a user whose inbox is closed answers X's
        ``recipient-not-messageable`` 403, which the clients raise as
        ``tweepy_dm.RecipientNotMessageable``, as for a system account
        (``add_user(..., system=True)``) or a 1:1 block (``block_dms``).
        Kept in memory, like XChat's state.

        .. versionadded:: 0.2

        Raises
        ------
        KeyError
            If there is no such user.
        TypeError
            If ``closed`` is not a bool.
        """
        if not isinstance(closed, bool):
            raise TypeError(f"closed must be True or False, not {closed!r}")
        user = self._store.user(_user_id(user_id))
        if user is None:
            raise KeyError(user_id)
        self._chat_backend.close_inbox(user.id, closed)

    def _chat(self) -> ChatBackend:
        try:
            require_cryptography()
        except CryptographyMissing as error:
            raise ImportError(str(error)) from None
        return self._chat_backend

    def credentials(self, id: ID) -> dict[str, str]:
        """The credentials of a registered user, as :meth:`add_user` returned them.

        Raises
        ------
        KeyError
            If there is no such user.
        """
        user = self._store.user(_user_id(id))
        if user is None:
            raise KeyError(id)
        return self._credentials(user)

    def _credentials(self, user: Any) -> dict[str, str]:
        return {
            "consumer_key": self._store.app["consumer_key"],
            "consumer_secret": self._store.app["consumer_secret"],
            "access_token": user.access_token,
            "access_token_secret": user.access_token_secret,
            "bearer_token": user.bearer_token,
        }

    @property
    def app_bearer_token(self) -> str:
        """The app's app-only bearer token; DM endpoints refuse it with 403, as X does."""
        return self._store.app["app_bearer_token"]

    # OAuth 2.0 (tweepy_dm.emulator._oauth2)

    @property
    def oauth2_client_id(self) -> str:
        """The app's OAuth 2.0 Client ID (a confidential client).

        Authorize at ``url + "/2/oauth2/authorize"``; tokens at ``/2/oauth2/token``.

        .. versionadded:: 0.2
        """
        return self._oauth.client_id

    @property
    def oauth2_client_secret(self) -> str:
        """The app's OAuth 2.0 Client Secret.

        .. versionadded:: 0.2
        """
        return self._oauth.client_secret

    @property
    def oauth2_access_token_seconds(self) -> float:
        """How long the access tokens the OAuth routes issue live, on the emulator's clock:
        X's two hours by default. Settable; applies to tokens issued afterwards.

        .. versionadded:: 0.2
        """
        return self._oauth.access_token_seconds

    @oauth2_access_token_seconds.setter
    def oauth2_access_token_seconds(self, seconds: float) -> None:
        if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not seconds > 0:
            raise ValueError(
                f"oauth2_access_token_seconds must be a positive number, not {seconds!r}"
            )
        self._oauth.access_token_seconds = float(seconds)

    @property
    def oauth2_stats(self) -> dict[str, int]:
        """How often the token endpoint refreshed a token (``refreshes``), exchanged an
        OAuth 1.0a one (``exchanges``) and was shown a spent refresh token again
        (``refresh_token_reuse``).

        .. versionadded:: 0.2
        """
        oauth = self._oauth
        return {
            "refreshes": oauth.refreshes,
            "exchanges": oauth.exchanges,
            "refresh_token_reuse": oauth.refresh_token_reuse,
        }

    def add_bot(
        self, id: ID, username: str, name: str, *, scopes: Optional[Iterable[str]] = None
    ) -> dict[str, Any]:
        """A back door: register a bot account of the app, with a fresh ``xcbot_`` token.

        Unlike ``POST /2/bots`` it takes any id and ignores ``max_bots``.

        .. versionadded:: 0.2

        Returns
        -------
        dict
            As X's ``POST /2/bots`` data: ``id``, ``username``, ``name``,
            ``token``, ``token_expires_at_ms``, ``scopes``.
        """
        user = self._store.add_user(_user_id(id), username, name)
        chosen = frozenset(scopes if scopes is not None else _facts.BOT_DEFAULT_SCOPES)
        return self._bots.add(user, chosen)

    def configure_bots(
        self, *, owner: Optional[str] = None, max_bots: Optional[int] = None
    ) -> None:
        """Set the app's project for ``/2/bots``: the owner's handle in each bot's
        "Automated by @owner" label, and how many bots the plan allows (X's default: 1).

        .. versionadded:: 0.2
        """
        if max_bots is not None and (isinstance(max_bots, bool) or not isinstance(max_bots, int)):
            raise TypeError(f"max_bots must be an int, not {type(max_bots).__name__}")
        if max_bots is not None and max_bots < 0:
            raise ValueError(f"max_bots must be 0 or more, got {max_bots}")
        if owner is not None and not isinstance(owner, str):
            raise TypeError(f"owner must be a username (str), not {type(owner).__name__}")
        self._bots.configure(owner=owner, max_bots=max_bots)

    # Back doors: state without HTTP, for tests and benchmarks

    def seed_messages(
        self,
        dm_conversation_id: str,
        count: int,
        *,
        sender_ids: Optional[Iterable[ID]] = None,
        text: str = "Message {i}",
        start: Optional[float] = None,
        interval: float = 1.0,
    ) -> list[str]:
        """Back door: insert ``count`` messages straight into the database.

        For tests and benchmarks that need a long history: tens of thousands
        of events take well under a second, with no HTTP, no auth and no rate
        limits. A 1:1 conversation (``"LOW-HIGH"``, this spelling only) is
        created if need be; a group must exist (see :meth:`create_group`).
        The senders must be participants.

        Parameters
        ----------
        dm_conversation_id : str
            The conversation, e.g. ``DMEmulator.conversation_id(1, 2)``.
        count : int
            How many messages.
        sender_ids : Iterable or None
            The ids of who sends them (int or str), in turn; the
            participants by default.
        text : str
            Each message's text, formatted with ``i``, the message's index.
        start : float or None
            Epoch seconds of the first (oldest) message; by default the
            messages end at the clock's current time.
        interval : float
            Seconds between consecutive messages.

        Returns
        -------
        list of str
            The event ids, oldest first; ids increase with the times.

        Raises
        ------
        ValueError
            If the rules refuse, or :attr:`legacy_dms` is ``"off"`` (in
            ``"read-only"`` the messages are history: stored, announced to
            no stream or webhook).
        """
        pair = self._backend.one_to_one(dm_conversation_id)
        if pair is not None and (
            dm_conversation_id != one_to_one_conversation_id(*pair) or pair[0] == pair[1]
        ):
            raise ValueError(f"not a 1:1 conversation id: {dm_conversation_id!r}")
        senders = [_user_id(sender) for sender in sender_ids or ()]
        first = start if start is not None else self._clock() - interval * max(count - 1, 0)
        times = [first + interval * index for index in range(count)]
        texts = (text.format(i=index) for index in range(count))
        with _rules():
            ids = self._backend.seed_messages(dm_conversation_id, senders, texts, times)
        return [str(event_id) for event_id in ids]

    def create_group(self, creator_id: ID, participant_ids: Iterable[ID]) -> str:
        """Back door: create a group conversation without a first message.

        Each member, the creator too, gets a ParticipantsJoin event sent by
        the creator, as ``POST /2/dm_conversations`` makes them; the same
        rules apply (2 to 49 distinct registered users besides the creator,
        none of whom blocks the creator).

        Raises
        ------
        ValueError
            If the rules refuse the group.

        Returns
        -------
        str
            The new group's id.
        """
        with _rules():
            group, _ = self._backend.create_group(
                _user_id(creator_id),
                [_user_id(member) for member in participant_ids],
                first_message=False,
            )
        return group

    def leave_conversation(self, dm_conversation_id: str, user_id: ID) -> str:
        """Back door: a user leaves a group (X has no endpoint for it).

        Returns
        -------
        str
            The id of the ParticipantsLeave event.
        """
        with _rules():
            return str(self._backend.leave(dm_conversation_id, _user_id(user_id)))

    def add_tweet(self, id: ID, text: str, author_id: Optional[ID] = None) -> None:
        """Back door: a tweet that DMs can link to, for the ``referenced_tweets.id`` expansion.

        A message whose text links to ``https://x.com/<user>/status/<id>``
        references that tweet; tweets not added here come back as
        ``Not Found Error`` items in the answer's ``errors``.
        """
        self._store.add_tweet(
            _user_id(id), text, _user_id(author_id) if author_id is not None else None
        )

    def inject_fault(
        self,
        status: Optional[int] = 503,
        *,
        count: int = 1,
        path: Optional[str] = None,
        method: Optional[str] = None,
        drop: bool = False,
        headers: Optional[Mapping[str, str]] = None,
    ) -> None:
        """Back door: make the next ``count`` matching requests fail.

        Faults are used up in the order they were injected, each by the
        first request it matches, before authentication and rate limits.

        Parameters
        ----------
        status : int or None
            The status to answer, e.g. 429, 500 or 503, with a problem body
            and rate-limit headers (for 429: ``remaining`` 0 and ``reset``
            now, so that a client waiting on the rate limit retries at once).
        count : int
            How many requests.
        path : str or None
            Only requests for this path, without the query; ``*`` stands for
            any part of one path segment, as in
            ``"/2/dm_conversations/*/messages"``. Any path by default.
        method : str or None
            Only requests with this HTTP method.
        drop : bool
            Close the connection without answering instead.
        headers : Mapping or None
            Extra headers for the answer (say, ``retry-after``).
        """
        extra = dict(headers or {})
        if status == 429:
            extra = {
                "x-rate-limit-remaining": "0",
                "x-rate-limit-reset": str(math.ceil(self._clock())),
                **extra,
            }
        fault = Fault(
            None if drop else status,
            path_pattern(path) if path is not None else None,
            method.upper() if method else None,
            extra,
        )
        self._server.faults.add(fault, count)

    def clear_faults(self) -> None:
        """Back door: forget the faults not used yet."""
        self._server.faults.clear()

    @property
    def pending_faults(self) -> int:
        """How many injected faults are still waiting for a request."""
        return len(self._server.faults)

    def reset_rate_limits(self) -> None:
        """Back door: start every rate-limit window afresh."""
        self._limiter.reset()

    # Back doors of the X Activity API

    def mark_read(self, user_id: ID, dm_conversation_id: str) -> None:
        """Back door: the user reads the conversation, a ``dm.read`` for the others' subscriptions.

        .. versionadded:: 0.2

        Raises
        ------
        ValueError
            If the user is not in the conversation.
        """
        with _rules():
            self._backend.mark_read(_user_id(user_id), dm_conversation_id)

    def typing(self, user_id: ID, dm_conversation_id: str) -> None:
        """Back door: the user types in the conversation, a ``dm.indicate_typing`` for the others.

        .. versionadded:: 0.2

        Raises
        ------
        ValueError
            If the user is not in the conversation.
        """
        with _rules():
            self._backend.typing(_user_id(user_id), dm_conversation_id)

    def disconnect_streams(self) -> None:
        """Back door: cut every open ``GET /2/activity/stream`` connection, mid-line.

        Each stream sends half of a line and the connection closes without the
        end of its chunked body, as a network failure would; a client must
        reconnect, with ``backfill_minutes`` to get what it missed.

        .. versionadded:: 0.2
        """
        self._activity.disconnect_streams()

    @property
    def webhooks(self) -> WebhookHub:
        """The app's webhooks, their Account Activity subscribers and deliveries (a back door).

        ``emulator.webhooks.deliveries()`` lists every POST made to a webhook
        (each with its body, ``event_uuid``,
        attempt number, replay or not, the receiver's status);
        ``wait_idle()`` waits until queued deliveries and retries are done;
        ``retry_delays`` sets the real seconds before each retry (0 in tests);
        ``check_due()`` runs the periodic CRC checks due on the clock;
        ``invalidate(webhook_id)`` marks a webhook invalid.

        .. versionadded:: 0.2
        """
        return self._webhooks

    @staticmethod
    def conversation_id(user_a: ID, user_b: ID) -> str:
        """The id of the 1:1 conversation of two users (smaller id first, by value)."""
        return one_to_one_conversation_id(_user_id(user_a), _user_id(user_b))
