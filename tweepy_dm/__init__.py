"""tweepy-dm: X API v2 Direct Messages for tweepy's clients.

>>> import tweepy_dm
>>> client = tweepy_dm.Client(consumer_key=..., consumer_secret=...,
...                           access_token=..., access_token_secret=...)
>>> client.create_dm(participant_id=12345, text="Hello")  # doctest: +SKIP

Importing this package changes nothing in tweepy; see :func:`install` for code
that must keep building plain ``tweepy.Client`` objects.
"""

from __future__ import annotations

from typing import Any

from tweepy_dm._activity import ActivityEvent, ActivitySubscription
from tweepy_dm._async_client import AsyncDirectMessagesMixin
from tweepy_dm._bot_models import BotAccount
from tweepy_dm._chat_media import ChatMedia
from tweepy_dm._chat_models import (
    CHAT_CONVERSATION_FIELDS,
    CHAT_MESSAGE_EVENT_FIELDS,
    PUBLIC_KEY_FIELDS,
    ChatConversation,
    ChatMessageEvent,
    ChatMessageRequest,
    ChatSettings,
    PublicKey,
)
from tweepy_dm._client import Client, DirectMessagesMixin
from tweepy_dm._exceptions import LegacyDMsEnded, MediaProcessingError, RecipientNotMessageable
from tweepy_dm._install import install, is_installed, uninstall
from tweepy_dm._media import DMMedia
from tweepy_dm._models import (
    DIRECT_MESSAGE_EVENT_FIELDS,
    DM_EVENT_FIELDS,
    DirectMessageEvent,
    ReferencedTweet,
)
from tweepy_dm._stream import StreamStats
from tweepy_dm._stream_client import ActivityStream, AsyncActivityStream
from tweepy_dm._version import __version__

__all__ = [
    "ActivityEvent",
    "ActivityStream",
    "ActivitySubscription",
    "AsyncActivityStream",
    "BotAccount",
    "StreamStats",
    "CHAT_CONVERSATION_FIELDS",
    "CHAT_MESSAGE_EVENT_FIELDS",
    "ChatConversation",
    "ChatMedia",
    "ChatMessageEvent",
    "ChatMessageRequest",
    "ChatSettings",
    "PUBLIC_KEY_FIELDS",
    "PublicKey",
    "DIRECT_MESSAGE_EVENT_FIELDS",
    "DM_EVENT_FIELDS",
    "AsyncClient",
    "AsyncDirectMessagesMixin",
    "Client",
    "DMBot",
    "DMMedia",
    "DMPoller",
    "DirectMessageEvent",
    "DirectMessagesMixin",
    "LegacyDMsEnded",
    "MediaProcessingError",
    "RecipientNotMessageable",
    "ReferencedTweet",
    "__version__",
    "install",
    "is_installed",
    "uninstall",
]


def __getattr__(name: str) -> Any:
    # AsyncClient is built on first use so that importing tweepy_dm does not
    # import aiohttp (and works without it).
    if name == "AsyncClient":
        from tweepy_dm import _async_client

        return _async_client.AsyncClient
    if name in ("DMBot", "DMPoller"):
        # The bot runtime is loaded on first use: most users of the client never need it.
        from tweepy_dm import bot

        return getattr(bot, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
