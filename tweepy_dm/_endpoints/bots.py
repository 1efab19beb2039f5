"""Request builders of X's bot accounts (``/2/bots``): rotating a bot's token."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Optional

from tweepy_dm import _facts, _validation
from tweepy_dm._endpoints._common import ID, Request


def rotate_bot_token(
    bot_id: ID, *, scopes: Optional[Iterable[str]] = None, user_auth: bool = False
) -> Request:
    """Mint a new ``xcbot_`` token for a bot account, revoking every earlier one.

    X shows the token once. :class:`tweepy_dm.auth.BotToken` calls this by
    itself before its token expires, and keeps the answer in its store.

    X wants the app's bearer token (OAuth 2.0 App Only) for this: create
    the client with ``bearer_token`` set to the app's token and keep
    ``user_auth=False``.

    .. versionadded:: 0.2

    Parameters
    ----------
    bot_id : int | str
        The bot's user id.
    scopes : list[str] | None
        Narrow the new token to these scopes, a subset of the bot's default
        ones (``dm.read``, ``dm.write``, ``tweet.read``, ``users.read``,
        ``media.write``); all of them by default.
    {user_auth_app}

    Raises
    ------
    TypeError
        If ``bot_id`` is not an id or ``scopes`` not a list of str.
    ValueError
        If ``bot_id`` is not 1 to 19 digits or ``scopes`` is empty. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"id", "token",
        "token_expires_at_ms", "scopes", …}``.

    References
    ----------
    https://docs.x.com/x-api/bots/rotate-bot-token
    """
    _validation.check_id("bot_id", bot_id)
    body: dict[str, Any] = {}
    if scopes is not None:
        if isinstance(scopes, str) or not all(isinstance(s, str) for s in scopes):
            raise TypeError("scopes must be a list of str, such as ['dm.read', 'dm.write']")
        chosen = list(scopes)
        if not chosen:
            raise ValueError(
                "scopes must name at least one scope of "
                f"{', '.join(_facts.BOT_DEFAULT_SCOPES)}, or be None for all of them"
            )
        body["scopes"] = chosen
    return Request("POST", f"/2/bots/{bot_id}/token", json=body, user_auth=user_auth)
