"""The transport options both clients add to tweepy's: ``api_url`` and ``timeout``."""

from __future__ import annotations

from typing import Any, Optional

from tweepy_dm import _logging

#: The host tweepy hard-codes, and the default ``api_url``.
DEFAULT_API_URL = "https://api.twitter.com"
#: Seconds to wait for a connection and for each read, by default.
DEFAULT_TIMEOUT = 60.0


def normalize_api_url(api_url: str) -> str:
    if not isinstance(api_url, str) or not api_url.startswith(("http://", "https://")):
        raise ValueError(f"api_url must be an http:// or https:// URL, got {api_url!r}")
    return api_url.rstrip("/")


def normalize_timeout(timeout: Optional[float]) -> Optional[float]:
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds or None, got {timeout!r}")
    return float(timeout)


class TransportOptions:
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
        **kwargs: Any,
    ) -> None:
        self.api_url = normalize_api_url(api_url)
        self.timeout = normalize_timeout(timeout)
        super().__init__(  # type: ignore[call-arg]
            bearer_token, consumer_key, consumer_secret, access_token, access_token_secret, **kwargs
        )
        _logging.protect(bearer_token, consumer_secret, access_token_secret)
        self._open_transport()

    def _open_transport(self) -> None:
        raise NotImplementedError
