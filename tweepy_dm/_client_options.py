"""The options both clients take besides tweepy's: ``api_url``, ``timeout``, ``xchat_key``."""

from __future__ import annotations

import inspect
from typing import Any, Callable, Optional, TypeVar

import tweepy

from tweepy_dm import _logging
from tweepy_dm._credentials import credential_of, normalize_credential
from tweepy_dm._exceptions import WrongTypeError

T = TypeVar("T")

#: The host tweepy hard-codes, and the default ``api_url``.
DEFAULT_API_URL = "https://api.twitter.com"
#: Seconds to wait for a connection and for each read, by default.
DEFAULT_TIMEOUT = 60.0


def normalize_api_url(api_url: str) -> str:
    if not isinstance(api_url, str):
        raise WrongTypeError(f"api_url must be a str, not {type(api_url).__name__}: {api_url!r}")
    if not api_url.startswith(("http://", "https://")):
        raise ValueError(f"api_url must be an http:// or https:// URL, got {api_url!r}")
    return api_url.rstrip("/")


def normalize_timeout(timeout: Optional[float]) -> Optional[float]:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise WrongTypeError(
            f"timeout must be a number of seconds or None, not {type(timeout).__name__}: "
            f"{timeout!r}"
        )
    if not timeout > 0:  # also refuses NaN
        raise ValueError(f"timeout must be a positive number of seconds or None, got {timeout!r}")
    return float(timeout)


# -- Credentials that renew themselves (tweepy_dm.auth) ---------------------------------


def _api_url(client: Any) -> str:
    return getattr(client, "api_url", DEFAULT_API_URL)


def renewing(client: Any, user_auth: bool, send: Callable[[], T], *, again: bool = True) -> T:
    """``send()``, with a fresh token, and once more after a 401 with a renewed one.

    X's 401 does not say why; any 401 of a renewable credential renews it
    once (a pair another process saved is used without asking X), and the
    second answer is final: no loop. ``again=False`` for a body that cannot
    be sent twice (a streamed upload): the 401 still renews, for the next call.
    """
    credential = credential_of(client, user_auth)
    if credential is None:
        return send()
    sent = credential.token(_api_url(client))
    try:
        return send()
    except tweepy.Unauthorized:
        credential.renew(_api_url(client), rejected=sent)
        if not again:
            raise
    return send()


async def afresh_token(client: Any, user_auth: bool) -> Optional[str]:
    """For the async client: a renewing credential's fresh token (None without one)."""
    credential = credential_of(client, user_auth)
    return None if credential is None else await credential.atoken(_api_url(client))


async def arenew_after_401(client: Any, user_auth: bool, sent: Optional[str], again: bool) -> bool:
    """For the async client, after X answered 401 to ``sent``: renew a renewing credential
    (see :func:`renewing`); True if the request is to be sent once more."""
    credential = credential_of(client, user_auth)
    if credential is None or sent is None:
        return False
    await credential.arenew(_api_url(client), rejected=sent)
    return again


class ClientOptions:
    """Takes ``api_url`` and ``timeout`` before tweepy's client ``__init__`` runs.

    Put it between the DM mixin and tweepy's client class. Subclasses set up
    their transport in :meth:`_open_transport`, once tweepy's ``__init__``
    has run; the client's credentials are then kept out of log lines.
    """

    api_url: str
    timeout: Optional[float]

    def __init__(
        self,
        bearer_token: Optional[str] = None,
        consumer_key: Optional[str] = None,
        consumer_secret: Optional[str] = None,
        access_token: Optional[str] = None,
        access_token_secret: Optional[str] = None,
        *,
        api_url: str = DEFAULT_API_URL,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        xchat_key: Any = None,
        xchat_user_id: Any = None,
        **kwargs: Any,
    ) -> None:
        self.api_url = normalize_api_url(api_url)
        self.timeout = normalize_timeout(timeout)
        from tweepy_dm import _xchat_dm  # only clients made with xchat_key need it

        # The legacy DM methods go over XChat with these keys (the blob stays in the SDK).
        self._xchat_keys = _xchat_dm.keys(xchat_key, xchat_user_id)
        credentials = {
            name: normalize_credential(name, value)
            for name, value in zip(
                _logging.CREDENTIAL_NAMES,
                (bearer_token, consumer_key, consumer_secret, access_token, access_token_secret),
            )
        }
        super().__init__(*credentials.values(), **kwargs)  # type: ignore[call-arg]
        _logging.protect_client(self)
        self._open_transport()

    def _open_transport(self) -> None:
        raise NotImplementedError


_CLIENT_DOC_TAIL = """

Surrounding whitespace (the newline at the end of a token read from a file)
is stripped from each credential. A request that needs a credential the
client lacks raises ``TypeError`` naming it, and one that could not go in a
header ``ValueError``, before anything is sent. An empty credential is sent
as tweepy sends it (as tweepy's tests do when replaying recordings). No error and no log line
quotes a credential: at DEBUG level, the ``Authorization`` header, OAuth
signatures and this client's credentials are redacted from the log lines of
tweepy and the HTTP and OAuth libraries.

.. versionadded:: 0.1

Parameters
----------
api_url : str
    Where every request goes, DM or not: ``https://api.twitter.com`` (as in
    tweepy) by default; ``https://api.x.com``, a proxy, or a
    :class:`tweepy_dm.emulator.DMEmulator`'s ``url``.
timeout : float | None
    Seconds to wait to connect and for each read before raising
    ``{timeout_error}``; ``None`` waits forever, as tweepy does.
xchat_key : bytes | str | os.PathLike | None
    The user's XChat key blob (bytes), or the path of the file holding it:
    the legacy DM methods (``create_dm``, ``create_dm_conversation``,
    ``get_dm_events``, ``get_dm_event``, ``delete_dm_event``) then send and
    read end-to-end encrypted DMs over ``/2/chat``, in the legacy shapes
    (:doc:`xchat`). Needs the ``xchat`` extra and Python 3.10+
    (``ImportError`` otherwise). The blob is never kept in an attribute,
    shown in a repr or put in a log line or an error.

    .. versionadded:: 0.2
xchat_user_id : int | str | None
    The id of the user whose key it is; looked up once with ``get_me`` when
    not given.

    .. versionadded:: 0.2

Attributes
----------
api_url : str
    The base URL requests go to, without a trailing slash.
timeout : float | None
    The connect and read timeout, in seconds.
"""


def client_doc(head: str, timeout_error: str) -> str:
    """A client class's docstring: its own ``head``, then what both clients share."""
    return inspect.cleandoc(head) + _CLIENT_DOC_TAIL.format(timeout_error=timeout_error)
