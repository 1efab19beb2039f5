"""The model of an X bot account (``/2/bots``), behaving like tweepy's own models."""

from __future__ import annotations

import datetime
from typing import Any, Optional

from tweepy.mixins import DataMapping, HashableID

__all__ = ["BotAccount"]


def _expires_at(data: dict[str, Any]) -> Optional[datetime.datetime]:
    # The spec names it token_expires_at_ms, xchat/bots.mdx expires_at: both are epoch ms.
    value = data.get("token_expires_at_ms", data.get("expires_at"))
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return datetime.datetime.fromtimestamp(value / 1000, tz=datetime.timezone.utc)


class BotAccount(HashableID, DataMapping):
    """One of the app's bot accounts, as ``/2/bots`` returns it.

    Creating a bot or rotating its token returns its ``xcbot_`` token, once:
    keep it (``token``) or rotate again. The token is never in the repr.

    .. versionadded:: 0.2

    Attributes
    ----------
    data : dict
        The JSON data, as X sent it (the token included, when X sent one).
    id : int
        The bot's user id.
    username : str | None
        Its handle.
    name : str | None
        Its display name.
    scopes : list[str] | None
        The scopes of the token just minted (create and rotate only).
    token : str | None
        The ``xcbot_`` token just minted (create and rotate only), to pass
        as ``bearer_token=`` or to :class:`tweepy_dm.auth.BotToken`.
    expires_at : datetime.datetime | None
        When that token expires (X's ``token_expires_at_ms``, or
        ``expires_at`` as xchat/bots.mdx names it), aware UTC.

    References
    ----------
    https://docs.x.com/x-api/bots/create-a-bot
    https://docs.x.com/xchat/bots
    """

    __slots__ = ("data", "id", "username", "name", "scopes", "token", "expires_at")

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.id = int(data["id"])
        self.username: Optional[str] = data.get("username")
        self.name: Optional[str] = data.get("name")
        self.scopes: Optional[list[str]] = data.get("scopes")
        self.token: Optional[str] = data.get("token")
        self.expires_at = _expires_at(data)

    def __repr__(self) -> str:
        token = " token=<hidden>" if self.token is not None else ""
        return f"<BotAccount id={self.id} username={self.username}{token}>"

    def __str__(self) -> str:
        return f"@{self.username}" if self.username else str(self.id)
