"""Request builders of X's bot accounts (``/2/bots``): create, list, update, tokens, delete."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Optional

from tweepy_dm import _facts, _validation
from tweepy_dm._bot_models import BotAccount
from tweepy_dm._endpoints._common import ID, Fields, Request, _merge_fields, _query

_HANDLE = re.compile(_facts.BOT_HANDLE_PATTERN)
_ALLOWED_SCOPES = (*_facts.BOT_DEFAULT_SCOPES, *_facts.BOT_BROADCAST_SCOPES)


def _scopes(scopes: Optional[Iterable[str]]) -> Optional[list[str]]:
    if scopes is None:
        return None
    if isinstance(scopes, str) or not all(isinstance(s, str) for s in scopes):
        raise TypeError("scopes must be a list of str, such as ['dm.read', 'dm.write']")
    chosen = list(scopes)
    if not chosen:
        raise ValueError(
            "scopes must name at least one scope of "
            f"{', '.join(_facts.BOT_DEFAULT_SCOPES)}, or be None for all of them"
        )
    unknown = [scope for scope in chosen if scope not in _ALLOWED_SCOPES]
    if unknown:
        raise ValueError(f"scopes must be among {', '.join(_ALLOWED_SCOPES)}; unknown: {unknown!r}")
    return chosen


def _handle(handle: Any) -> str:
    return _validation.check_string(
        "handle", handle, _HANDLE, "5 to 15 letters, digits or underscores (X's bot handle)"
    )


def _display_name(display_name: Any) -> str:
    _validation.check_str("display_name", display_name)
    low, high = _facts.BOT_DISPLAY_NAME_LENGTH
    if not low <= len(display_name) <= high:
        raise ValueError(
            f"display_name must be {low} to {high} characters, got {len(display_name)}"
        )
    _validation.check_no_surrogates("display_name", display_name)
    return display_name


def create_bot(
    handle: str,
    *,
    display_name: Optional[str] = None,
    scopes: Optional[Iterable[str]] = None,
    user_auth: bool = False,
) -> Request:
    """Create a bot account in the app's project, and return its first ``xcbot_`` token.

    The bot is a real X account, labelled "Automated by @owner", without a
    password: its token is the only way to act as it. X shows the token once.
    Creating a handle the project already has is safe to retry: it returns
    the same bot with a fresh token (revoking the old one) and applies
    ``display_name`` again.

    {app_token_note}

    .. versionadded:: 0.2

    Parameters
    ----------
    handle : str
        The bot's username: 5 to 15 letters, digits or underscores.
    display_name : str | None
        1 to 50 characters; the handle by default.
    scopes : list[str] | None
        Narrow the token to these scopes, a subset of the default ones
        (``dm.read``, ``dm.write``, ``tweet.read``, ``users.read``,
        ``media.write``); all of them by default.
    {user_auth_app}

    {raises_type}
    ValueError
        If ``handle`` or ``display_name`` break X's rules, or ``scopes`` is
        empty or names an unknown scope. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a :class:`BotAccount` with its ``token``, ``scopes`` and
        ``expires_at``.

    References
    ----------
    https://docs.x.com/x-api/bots/create-a-bot
    """
    body: dict[str, Any] = {"handle": _handle(handle)}
    if display_name is not None:
        body["display_name"] = _display_name(display_name)
    chosen = _scopes(scopes)
    if chosen is not None:
        body["scopes"] = chosen
    return Request("POST", "/2/bots", json=body, data_type=BotAccount, user_auth=user_auth)


def get_bots(
    *,
    expansions: Fields | None = None,
    tweet_fields: Fields | None = None,
    post_fields: Fields | None = None,
    user_fields: Fields | None = None,
    user_auth: bool = False,
) -> Request:
    """Return the bot accounts of the app's project; ``meta`` has ``max_bots``.

    {app_token_note}

    .. versionadded:: 0.2

    Parameters
    ----------
    expansions : list[str] | str | None
        User expansions, such as ``pinned_tweet_id``, to fill ``includes``.
    tweet_fields : list[str] | str | None
        Fields of the Tweet objects in ``includes``.
    post_fields : list[str] | str | None
        The same as ``tweet_fields``, under the spec's name; merged into it.
    user_fields : list[str] | str | None
        Extra fields of each bot (a user), such as ``description``.
    {user_auth_app}

    {raises_type}
    ValueError
        If a field or expansion is not one of X's. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a list of :class:`BotAccount` (without tokens) and its
        ``meta`` holds ``max_bots`` and ``result_count``.

    References
    ----------
    https://docs.x.com/x-api/bots/get-bots
    """
    _validation.check_known_names("expansions", expansions, _facts.USER_EXPANSIONS)
    _validation.check_known_names("user_fields", user_fields, _facts.USER_FIELDS)
    tweets = _merge_fields(tweet_fields, post_fields)
    _validation.check_known_names("tweet_fields", tweets, _facts.TWEET_FIELDS)
    params = _query(expansions=expansions, tweet_fields=tweets, user_fields=user_fields)
    return Request(
        "GET",
        "/2/bots",
        params=params,
        endpoint_parameters=_facts.USER_LOOKUP_PARAMETERS,  # a user lookup's (spec 2.170)
        data_type=BotAccount,
        user_auth=user_auth,
    )


def update_bot(
    bot_id: ID,
    *,
    display_name: Optional[str] = None,
    handle: Optional[str] = None,
    dm_permission: Optional[str] = None,
    user_auth: bool = False,
) -> Request:
    """Change a bot's display name, handle or who may DM it; what you leave out is kept.

    {app_token_note}

    .. versionadded:: 0.2

    Parameters
    ----------
    bot_id : int | str
        The bot's user id.
    display_name : str | None
        1 to 50 characters.
    handle : str | None
        5 to 15 letters, digits or underscores.
    dm_permission : str | None
        Who may DM the bot: ``everyone``, ``premium`` or ``no_one``.
    {user_auth_app}

    {raises_type}
    ValueError
        If nothing is set, ``bot_id`` is not 1 to 19 digits, or a value
        breaks X's rules. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"updated": True}``.

    References
    ----------
    https://docs.x.com/x-api/bots/update-bot
    """
    _validation.check_id("bot_id", bot_id)
    body: dict[str, Any] = {}
    if display_name is not None:
        body["display_name"] = _display_name(display_name)
    if handle is not None:
        body["handle"] = _handle(handle)
    if dm_permission is not None:
        _validation.check_str("dm_permission", dm_permission)
        if dm_permission not in _facts.BOT_DM_PERMISSIONS:
            raise ValueError(
                f"dm_permission must be one of {', '.join(_facts.BOT_DM_PERMISSIONS)}, "
                f"got {dm_permission!r}"
            )
        body["dm_permission"] = dm_permission
    if not body:
        raise ValueError("update_bot needs one or more of display_name, handle, dm_permission")
    return Request("PUT", f"/2/bots/{bot_id}", json=body, user_auth=user_auth)


def delete_bot(bot_id: ID, *, user_auth: bool = False) -> Request:
    """Delete a bot: revoke its token and destroy its X account, for good.

    {app_token_note}

    .. versionadded:: 0.2

    Parameters
    ----------
    bot_id : int | str
        The bot's user id.
    {user_auth_app}

    {raises_type}
    ValueError
        If ``bot_id`` is not 1 to 19 digits. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"deleted": True}``.

    References
    ----------
    https://docs.x.com/x-api/bots/delete-bot
    """
    _validation.check_id("bot_id", bot_id)
    return Request("DELETE", f"/2/bots/{bot_id}", user_auth=user_auth)


def rotate_bot_token(
    bot_id: ID, *, scopes: Optional[Iterable[str]] = None, user_auth: bool = False
) -> Request:
    """Mint a new ``xcbot_`` token for a bot account, revoking every earlier one.

    X shows the token once. :class:`tweepy_dm.auth.BotToken` calls this by
    itself before its token expires, and keeps the answer in its store.
    Rotating a revoked bot reactivates it.

    {app_token_note}

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
        If ``bot_id`` is not 1 to 19 digits or ``scopes`` is empty or names an
        unknown scope. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; a :class:`tweepy.Response`'s
        ``data`` is a :class:`BotAccount` with its ``token``, ``scopes`` and
        ``expires_at``.

    References
    ----------
    https://docs.x.com/x-api/bots/rotate-bot-token
    """
    _validation.check_id("bot_id", bot_id)
    body: dict[str, Any] = {}
    chosen = _scopes(scopes)
    if chosen is not None:
        body["scopes"] = chosen
    return Request(
        "POST", f"/2/bots/{bot_id}/token", json=body, data_type=BotAccount, user_auth=user_auth
    )


def revoke_bot_token(bot_id: ID, *, user_auth: bool = False) -> Request:
    """Revoke a bot's token; the account stays, and :meth:`rotate_bot_token` reactivates it.

    {app_token_note}

    .. versionadded:: 0.2

    Parameters
    ----------
    bot_id : int | str
        The bot's user id.
    {user_auth_app}

    {raises_type}
    ValueError
        If ``bot_id`` is not 1 to 19 digits. Nothing is sent.

    {returns}
        As the client's ``return_type`` says; ``data`` is ``{"revoked": True}``.

    References
    ----------
    https://docs.x.com/x-api/bots/revoke-bot-token
    """
    _validation.check_id("bot_id", bot_id)
    return Request("DELETE", f"/2/bots/{bot_id}/token", user_auth=user_auth)
