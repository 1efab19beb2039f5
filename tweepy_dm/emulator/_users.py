"""Test helpers: a registered user with clients pointed at the emulator."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from tweepy_dm.emulator._emulator import DMEmulator


class EmulatorUser(NamedTuple):
    """A user registered with a :class:`DMEmulator`, ready to make clients.

    Attributes
    ----------
    id : str
        The user id.
    username : str
        The handle.
    name : str
        The display name.
    credentials : Mapping
        What :meth:`DMEmulator.add_user` returned.
    api_url : str
        The emulator's URL.
    """

    id: str
    username: str
    name: str
    credentials: Mapping[str, str]
    api_url: str

    @classmethod
    def register(cls, emulator: DMEmulator, id: Any, username: str, name: str) -> EmulatorUser:
        """Add the user to ``emulator`` and wrap the credentials."""
        credentials = emulator.add_user(id, username, name)
        return cls(str(id), username, name, credentials, emulator.url)

    def client(self, **kwargs: Any) -> Any:
        """A :class:`tweepy_dm.Client` for this user; ``kwargs`` go to the client.

        It has both the OAuth 1.0a keys and the OAuth 2.0 user token: methods
        use OAuth 1.0a by default and the token with ``user_auth=False``.
        """
        import tweepy_dm  # lazily: the pytest plugin must stay light

        return tweepy_dm.Client(**{"api_url": self.api_url, **self.credentials, **kwargs})

    def async_client(self, **kwargs: Any) -> Any:
        """A ``tweepy_dm.AsyncClient`` for this user (needs tweepy 4.10+ and aiohttp)."""
        import tweepy_dm

        return tweepy_dm.AsyncClient(**{"api_url": self.api_url, **self.credentials, **kwargs})
