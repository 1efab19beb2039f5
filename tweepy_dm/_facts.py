"""What X publishes about its DM API, written down once.

Limits, patterns, field and expansion names, media rules and rate limits, as
X's API reference and OpenAPI specs state them (see the References of each
endpoint). Validation, models, the command line and the emulator all import
them from here, so that a change in X's rules is a change in one place. This
module holds data and pure functions only: no I/O, no tweepy.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Optional, Union

# -- Ids ------------------------------------------------------------------------

#: The largest id X issues (ids are unsigned 64-bit snowflakes, at most 19 digits).
MAX_ID = 10**19 - 1
#: A user, event or media id on the wire: 1 to 19 ASCII digits.
ID_PATTERN = re.compile(r"[0-9]{1,19}")
#: A DM conversation id: ``LOW-HIGH`` user ids (one-to-one) or 15 to 19 digits (group).
CONVERSATION_ID_PATTERN = re.compile(r"[0-9]{1,19}-[0-9]{1,19}|[0-9]{15,19}")
ONE_TO_ONE_PATTERN = re.compile(r"([0-9]{1,19})-([0-9]{1,19})")


def one_to_one_conversation_id(
    user_a: Union[int, str], user_b: Union[int, str], *, separator: str = "-"
) -> str:
    """The ``dm_conversation_id`` of two users' one-to-one conversation.

    X writes it ``LOW-HIGH``: the smaller user id (by value, not as text) first.

    .. versionadded:: 0.2

    Parameters
    ----------
    user_a, user_b : int | str
        The two participants' user ids.
    separator : str
        ``"-"``, as the DM API and XChat paths write it; ``":"`` gives the
        form inside XChat's encrypted events and media bodies.

        .. versionadded:: 0.2

    Returns
    -------
    str
        E.g. ``"1111-2222"``.
    """
    low, high = sorted((int(user_a), int(user_b)))
    return f"{low}{separator}{high}"


GROUP_ID_PATTERN = re.compile(r"[0-9]{15,19}")
#: The last segment of a DM media URL, e.g. ``AbC_12-x.jpg``.
RESOURCE_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}(\.[A-Za-z0-9]{1,8})?")

# -- Messages and conversations ---------------------------------------------------

MAX_TEXT_LENGTH = 10_000
MIN_GROUP_PARTICIPANTS = 2
MAX_GROUP_PARTICIPANTS = 49
#: Attachments one message may carry.
MAX_ATTACHMENTS = 1
EVENT_TYPES = ("MessageCreate", "ParticipantsJoin", "ParticipantsLeave")
#: How far back ``GET /2/dm_events`` looks, in seconds.
LOOKBACK_SECONDS = 30 * 24 * 60 * 60

# -- Lookups ------------------------------------------------------------------------

MIN_RESULTS = 1
MAX_RESULTS = 100
DEFAULT_MAX_RESULTS = 100

#: Every DM event field X documents (spec 2.166 and tweepy), for ``dm_event.fields``.
DM_EVENT_FIELDS = (
    "attachments",
    "created_at",
    "dm_conversation_id",
    "entities",
    "event_type",
    "id",
    "participant_ids",
    "referenced_tweets",
    "sender_id",
    "text",
)
#: Names the OpenAPI spec 2.167 introduced beside the documented ones.
DM_EVENT_FIELDS_2_167 = ("referenced_posts",)
#: Where a DM event lists the Tweets it links to: the documented key, then
#: spec 2.167's spelling of it (servers may send either).
REFERENCED_TWEETS_KEYS = ("referenced_tweets", "referenced_posts")
#: Every ``expansions`` value of the DM lookups, in both spellings (2.167 renamed
#: ``referenced_tweets.id``).
DM_EXPANSIONS = (
    "attachments.media_keys",
    "participant_ids",
    "referenced_tweets.id",
    "referenced_posts.id",
    "referenced_posts",
    "sender_id",
)
#: Query parameters of a single DM event lookup. ``post.fields`` is the 2.167
#: spelling of ``tweet.fields``.
DM_EVENT_FIELD_PARAMETERS = (
    "dm_event.fields",
    "expansions",
    "media.fields",
    "post.fields",
    "tweet.fields",
    "user.fields",
)
#: Query parameters of the DM event list lookups.
DM_EVENT_LOOKUP_PARAMETERS = tuple(
    sorted((*DM_EVENT_FIELD_PARAMETERS, "event_types", "max_results", "pagination_token"))
)

# -- Media ---------------------------------------------------------------------------

MB = 1024 * 1024
#: X's size limits, in bytes, per DM media category.
DM_MEDIA_SIZE_LIMITS: Mapping[str, int] = MappingProxyType(
    {"dm_image": 5 * MB, "dm_gif": 15 * MB, "dm_video": 512 * MB}
)
#: The media types a DM may carry, and the category each goes in by default.
DM_MEDIA_CATEGORIES: Mapping[str, str] = MappingProxyType(
    {
        "image/jpeg": "dm_image",
        "image/png": "dm_image",
        "image/webp": "dm_image",
        "image/gif": "dm_gif",
        "video/mp4": "dm_video",
        "video/quicktime": "dm_video",
    }
)
#: Every ``media_category`` of the v2 upload -> the kind of media (X's media ``type``).
MEDIA_CATEGORY_KINDS: Mapping[str, str] = MappingProxyType(
    {
        "dm_image": "photo",
        "dm_gif": "animated_gif",
        "dm_video": "video",
        "tweet_image": "photo",
        "tweet_gif": "animated_gif",
        "tweet_video": "video",
        "amplify_video": "video",
        "subtitles": "subtitles",
    }
)
#: Largest upload per kind of media, in bytes.
MEDIA_KIND_SIZE_LIMITS: Mapping[str, int] = MappingProxyType(
    {"photo": 5 * MB, "animated_gif": 15 * MB, "video": 512 * MB, "subtitles": MB}
)
#: The media types each kind of media accepts.
MEDIA_KIND_TYPES: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "photo": frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp"}),
        "animated_gif": frozenset({"image/gif"}),
        "video": frozenset({"video/mp4", "video/quicktime"}),
        "subtitles": frozenset({"text/srt", "application/x-subrip", "text/vtt"}),
    }
)
#: Segments a chunked upload may have (``segment_index`` 0 to 999).
MAX_SEGMENTS = 1000
#: How long an upload can be attached, as X says in ``expires_after_secs``.
MEDIA_LIFETIME_SECONDS = 24 * 60 * 60


def detect_media_type(head: bytes) -> Optional[str]:
    """The MIME type of a file X accepts in DMs, from its first bytes, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    return None


# -- Rate limits -------------------------------------------------------------------------

#: A limit: that many requests per that many seconds.
Window = tuple[int, float]

MINUTES_15 = 15 * 60
HOURS_24 = 24 * 60 * 60
_LOOKUP: tuple[Window, ...] = ((15, MINUTES_15),)
_CREATE: tuple[Window, ...] = ((15, MINUTES_15), (1440, HOURS_24))
_BLOCK: tuple[Window, ...] = ((10, MINUTES_15), (400, HOURS_24))
_CHUNKED: tuple[Window, ...] = ((1875, MINUTES_15),)
_USERS: tuple[Window, ...] = ((900, MINUTES_15),)
_ACTIVITY: tuple[Window, ...] = ((500, MINUTES_15),)
_ACTIVITY_STREAM: tuple[Window, ...] = ((450, MINUTES_15),)
_DELETE: tuple[Window, ...] = ((300, MINUTES_15), (1500, HOURS_24))
_DM_MEDIA: tuple[Window, ...] = ((500, MINUTES_15),)

# X's documented per-user limits of the DM, media, users and Activity API
# endpoints (2026 docs); RATE_LIMITS below adds the webhook and XChat routes.
# The media download has no documented limit.
_USER_RATE_LIMITS: Mapping[str, tuple[Window, ...]] = MappingProxyType(
    {
        "GET /2/dm_events": _LOOKUP,
        "GET /2/dm_events/{event_id}": _LOOKUP,
        "DELETE /2/dm_events/{event_id}": _DELETE,
        "GET /2/dm_conversations/with/{participant_id}/dm_events": _LOOKUP,
        "GET /2/dm_conversations/{dm_conversation_id}/dm_events": _LOOKUP,
        "POST /2/dm_conversations/with/{participant_id}/messages": _CREATE,
        "POST /2/dm_conversations/{dm_conversation_id}/messages": _CREATE,
        "POST /2/dm_conversations": _CREATE,
        "GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}": _DM_MEDIA,
        "POST /2/users/{id}/dm/block": _BLOCK,
        "POST /2/users/{id}/dm/unblock": _BLOCK,
        "POST /2/media/upload": ((500, MINUTES_15),),
        "POST /2/media/upload/initialize": _CHUNKED,
        "POST /2/media/upload/{id}/append": _CHUNKED,
        "POST /2/media/upload/{id}/finalize": _CHUNKED,
        "GET /2/media/upload": _CHUNKED,
        "GET /2/users/me": ((75, MINUTES_15),),
        "GET /2/users/{id}": _USERS,
        "GET /2/users": _USERS,
        "GET /2/users/by/username/{username}": _USERS,
        "GET /2/users/by": _USERS,
        # The Activity API's limits are per app (X lists no per-user limit);
        # the bulk delete is not in X's table: it shares the single delete's.
        "GET /2/activity/stream": _ACTIVITY_STREAM,
        "POST /2/activity/subscriptions": _ACTIVITY,
        "GET /2/activity/subscriptions": _ACTIVITY,
        "PUT /2/activity/subscriptions/{subscription_id}": _ACTIVITY,
        "DELETE /2/activity/subscriptions/{subscription_id}": _ACTIVITY,
        "DELETE /2/activity/subscriptions": _ACTIVITY,
    }
)
# X's documented per-app limits of the same endpoints, where X states one.
_APP_RATE_LIMITS: Mapping[str, tuple[Window, ...]] = MappingProxyType(
    {
        "POST /2/dm_conversations/with/{participant_id}/messages": ((1440, HOURS_24),),
        "POST /2/dm_conversations/{dm_conversation_id}/messages": ((1440, HOURS_24),),
        "POST /2/dm_conversations": ((1440, HOURS_24),),
        "DELETE /2/dm_events/{event_id}": ((4000, HOURS_24),),
        "POST /2/users/{id}/dm/block": ((25, MINUTES_15),),
        "POST /2/users/{id}/dm/unblock": ((25, MINUTES_15),),
        "GET /2/users/{id}": ((300, MINUTES_15),),
        "GET /2/users": ((300, MINUTES_15),),
        "GET /2/users/by/username/{username}": ((300, MINUTES_15),),
        "GET /2/users/by": ((300, MINUTES_15),),
        "GET /2/activity/stream": _ACTIVITY_STREAM,
        "POST /2/activity/subscriptions": _ACTIVITY,
        "GET /2/activity/subscriptions": _ACTIVITY,
        "PUT /2/activity/subscriptions/{subscription_id}": _ACTIVITY,
        "DELETE /2/activity/subscriptions/{subscription_id}": _ACTIVITY,
        "DELETE /2/activity/subscriptions": _ACTIVITY,
    }
)


# -- Users (the lookups tweepy's get_me, get_user and get_users call) ------------------

#: A username (handle) on the wire, without ``@``.
USERNAME_PATTERN = re.compile(r"[A-Za-z0-9_]{1,15}")
#: Ids or usernames one ``GET /2/users`` or ``GET /2/users/by`` may ask for.
MAX_USERS_PER_LOOKUP = 100
#: Every ``user.fields`` value of the OpenAPI specs 2.112 to 2.167.
USER_FIELDS = (
    "affiliation",
    "confirmed_email",
    "connection_status",
    "created_at",
    "description",
    "entities",
    "id",
    "is_identity_verified",
    "location",
    "most_recent_tweet_id",
    "name",
    "parody",
    "pinned_tweet_id",
    "profile_banner_url",
    "profile_image_url",
    "protected",
    "public_metrics",
    "receives_your_dm",
    "subscribes_to_you",
    "subscription",
    "subscription_type",
    "url",
    "username",
    "verified",
    "verified_followers_count",
    "verified_type",
    "withheld",
)
#: Every ``expansions`` value of the user lookups; 2.167 renamed the ``*_tweet_id``
#: ones to ``*_post_id`` and ``affiliation.user_id`` to ``affiliation``.
USER_EXPANSIONS = (
    "affiliation",
    "affiliation.user_id",
    "most_recent_post_id",
    "most_recent_tweet_id",
    "pinned_post_id",
    "pinned_tweet_id",
)
#: Every ``tweet.fields`` (2.167: ``post.fields``) value of the specs 2.112 to 2.167.
TWEET_FIELDS = (
    "article",
    "article_title",
    "attachments",
    "author_id",
    "card_uri",
    "community_id",
    "context_annotations",
    "conversation_id",
    "created_at",
    "display_text_range",
    "edit_controls",
    "edit_history_tweet_ids",
    "entities",
    "geo",
    "id",
    "in_reply_to_user_id",
    "lang",
    "matched_media_notes",
    "media_metadata",
    "non_public_metrics",
    "note_post",
    "note_request_suggestions",
    "note_tweet",
    "organic_metrics",
    "paid_partnership",
    "possibly_sensitive",
    "promoted_metrics",
    "public_metrics",
    "referenced_tweets",
    "reply_settings",
    "scopes",
    "source",
    "suggested_source_links",
    "suggested_source_links_with_counts",
    "text",
    "withheld",
)
#: Every ``media.fields`` value of the specs 2.112 to 2.167.
MEDIA_FIELDS = (
    "alt_text",
    "duration_ms",
    "height",
    "media_key",
    "non_public_metrics",
    "organic_metrics",
    "preview_image_url",
    "promoted_metrics",
    "public_metrics",
    "type",
    "url",
    "variants",
    "width",
)
#: Query parameters of the user lookups (``post.fields`` is 2.167's ``tweet.fields``).
USER_LOOKUP_PARAMETERS = ("expansions", "post.fields", "tweet.fields", "user.fields")


# -- X Activity API (openapi.json 2.167, x-api/activity/*.mdx) ---------------------------

#: Every ``event_type`` a subscription may name (2.167's enum, in its order).
#: ``chat.conversation_join`` is X's deprecated alias of ``chat.conversation.join``.
ACTIVITY_EVENT_TYPES = (
    "profile.update.bio",
    "profile.update.profile_picture",
    "profile.update.banner_picture",
    "profile.update.screenname",
    "profile.update.geo",
    "profile.update.url",
    "profile.update.verified_badge",
    "profile.update.affiliate_badge",
    "profile.update.handle",
    "news.new",
    "follow.follow",
    "follow.unfollow",
    "spaces.start",
    "spaces.end",
    "broadcast.start",
    "broadcast.end",
    "broadcast.chat",
    "chat.received",
    "chat.sent",
    "chat.conversation.join",
    "chat.conversation_join",
    "chat.conversation.member_added",
    "chat.conversation.member_removed",
    "chat.conversation.admin_added",
    "chat.conversation.admin_removed",
    "chat.update.group_name",
    "chat.update.restrictions",
    "dm.sent",
    "dm.received",
    "dm.indicate_typing",
    "dm.read",
    "post.create",
    "post.delete",
    "post.mention.create",
    "post.reply.create",
    "post.quote.create",
    "post.repost.create",
    "like.create",
    "mute.mute",
    "mute.unmute",
    "block.block",
    "block.unblock",
)
#: The legacy (unencrypted) DM events.
DM_ACTIVITY_EVENT_TYPES = ("dm.received", "dm.sent", "dm.read", "dm.indicate_typing")
#: Events whose subscriptions need the filtered user's OAuth 2.0 token (``dm.read`` for DMs).
PRIVATE_ACTIVITY_EVENT_PREFIXES = ("dm.", "chat.")
#: ``filter.direction`` as the spec has it (the March 2026 changelog says
#: ``received``/``sent``; the spec and the event pages say these).
ACTIVITY_DIRECTIONS = ("inbound", "outbound")
#: A subscription's ``tag``: 1 to 200 characters.
ACTIVITY_TAG_MAX_LENGTH = 200
#: ``max_results`` of ``GET /2/activity/subscriptions``.
MAX_ACTIVITY_SUBSCRIPTIONS_PER_PAGE = 1000
#: Its default: X's docs state none; we assume 100, as for the DM lookups.
DEFAULT_ACTIVITY_SUBSCRIPTIONS_PER_PAGE = 100
#: A ``pagination_token`` of the subscriptions list is at least this long.
MIN_ACTIVITY_PAGINATION_TOKEN_LENGTH = 16
#: Ids one ``DELETE /2/activity/subscriptions?ids=`` may name.
MAX_ACTIVITY_SUBSCRIPTION_IDS = 100
#: Subscriptions per app on the self-serve tier (enterprise 75,000).
MAX_ACTIVITY_SUBSCRIPTIONS = 1500
#: ``backfill_minutes`` of the stream: 0 to 5.
MAX_BACKFILL_MINUTES = 5
#: Concurrent stream connections per app.
MAX_STREAM_CONNECTIONS = 2
#: Seconds between the stream's keep-alive blank lines.
STREAM_KEEP_ALIVE_SECONDS = 20.0
#: The longest wait after a 429 of the stream. X's windows are 15 minutes, so an
#: ``x-rate-limit-reset`` further away than a window and a minute of clock skew is not
#: believed (assumed: X documents no longer wait); the stream waits this long instead.
MAX_STREAM_RATE_LIMIT_WAIT = MINUTES_15 + 60


# -- Webhooks and the Account Activity API (openapi.json 2.167, x-api/webhooks/*.mdx) ------

#: X's published limits of the webhook endpoints (per app, App Only token) and of the
#: Account Activity API v2 (X's AAA rate-limit table; the v2 paths serve the same).
WEBHOOK_RATE_LIMITS: Mapping[str, tuple[Window, ...]] = MappingProxyType(
    {
        "POST /2/webhooks": ((450, MINUTES_15),),
        "GET /2/webhooks": ((450, MINUTES_15),),
        "PUT /2/webhooks/{webhook_id}": ((450, MINUTES_15),),
        "DELETE /2/webhooks/{webhook_id}": ((450, MINUTES_15),),
        "POST /2/webhooks/replay": ((100, MINUTES_15),),
        "POST /2/account_activity/webhooks/{webhook_id}/subscriptions/all": ((500, MINUTES_15),),
        "GET /2/account_activity/webhooks/{webhook_id}/subscriptions/all": ((500, MINUTES_15),),
        "GET /2/account_activity/webhooks/{webhook_id}/subscriptions/all/list": ((50, MINUTES_15),),
        "DELETE /2/account_activity/webhooks/{webhook_id}/subscriptions/{user_id}/all": (
            (500, MINUTES_15),
        ),
        "GET /2/account_activity/subscriptions/count": ((15, MINUTES_15),),
    }
)
#: X's documented per-app limits, where X states one, keyed as ``"METHOD /path/{template}"``.
APP_RATE_LIMITS: Mapping[str, tuple[Window, ...]] = MappingProxyType(
    {**_APP_RATE_LIMITS, **WEBHOOK_RATE_LIMITS}
)
#: A webhook URL: at most 200 characters (``CreateWebhooksRequest.url``).
WEBHOOK_URL_MAX_LENGTH = 200
#: Hosts X would never reach, accepted over plain HTTP with a port for tests against
#: the emulator (X itself wants HTTPS without a port).
LOOPBACK_WEBHOOK_HOSTS = ("127.0.0.1", "localhost")
#: ``from_date`` / ``to_date`` of ``POST /2/webhooks/replay``: UTC, ``yyyymmddhhmm``.
REPLAY_DATE_PATTERN = re.compile(r"[0-9]{12}")
#: How far back a replay may reach (X: "within the last 24 hours").
MAX_REPLAY_WINDOW_SECONDS = HOURS_24
#: Seconds X gives a webhook to answer a CRC or an event POST.
WEBHOOK_TIMEOUT_SECONDS = 10.0
#: Account Activity subscriptions and webhooks on the pay-per-use tier.
MAX_ACCOUNT_ACTIVITY_SUBSCRIPTIONS = 3
MAX_WEBHOOKS = 1


def webhook_url_problem(url: str) -> Optional[str]:
    """What X would refuse in a webhook URL (None if nothing); loopback URLs are allowed.

    X wants ``https://`` with no port, at most 200 characters. ``http://127.0.0.1:PORT/…``
    and ``http://localhost:PORT/…`` are accepted too, for testing against the emulator.
    """
    from urllib.parse import urlsplit

    if not 1 <= len(url) <= WEBHOOK_URL_MAX_LENGTH:
        return f"must be 1 to {WEBHOOK_URL_MAX_LENGTH} characters long, not {len(url):,}"
    if any(char.isspace() or not char.isprintable() for char in url):
        return "must not contain whitespace or control characters"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        return f"is not a valid URL ({error})"
    if parts.username is not None or parts.password is not None:
        return "must not hold a user name or password"
    host = (parts.hostname or "").lower()
    if host in LOOPBACK_WEBHOOK_HOSTS and parts.scheme in ("http", "https"):
        return None
    if parts.scheme != "https":
        return "must start with https:// (X delivers only over HTTPS)"
    if not host:
        return "has no host"
    if port is not None or parts.netloc.endswith(":"):
        return "must not name a port (X delivers to HTTPS on port 443 only)"
    if parts.username is not None or parts.password is not None:
        return "must not hold a user name or password"
    if parts.fragment:
        return "must not have a #fragment"
    return None


# -- XChat, X's end-to-end encrypted DMs (openapi.json 2.167, xchat/*.mdx) --------------

#: ``chat_conversation.fields`` values.
CHAT_CONVERSATION_FIELDS = (
    "admin_settings",
    "created_at",
    "group_avatar_url",
    "group_description",
    "group_description_key_version",
    "group_name",
    "id",
    "invite",
    "is_muted",
    "message_ttl_ms",
    "pending_member_ids",
    "screen_capture_blocking_enabled",
    "screen_capture_detection_enabled",
    "type",
    "updated_at",
)
#: ``expansions`` of the conversation lookups (they fill ``includes.users``).
CHAT_CONVERSATION_EXPANSIONS = ("admin_ids", "member_ids", "participant_ids")
#: ``chat_message_event.fields`` values.
CHAT_MESSAGE_EVENT_FIELDS = (
    "conversation_id",
    "conversation_token",
    "created_at",
    "encoded_event",
    "id",
    "is_trusted",
    "message_event_signature",
    "previous_id",
    "sender_id",
)
#: ``public_key.fields`` values.
PUBLIC_KEY_FIELDS = (
    "identity_public_key_signature",
    "juicebox_config",
    "public_key",
    "public_key_version",
    "signing_public_key",
)
#: The query parameters of each XChat read, as X names them.
CHAT_CONVERSATION_PARAMETERS = ("chat_conversation.fields", "expansions", "user.fields")
CHAT_CONVERSATIONS_PARAMETERS = tuple(
    sorted((*CHAT_CONVERSATION_PARAMETERS, "max_results", "pagination_token"))
)
CHAT_EVENTS_PARAMETERS = ("chat_message_event.fields", "max_results", "pagination_token")
PUBLIC_KEY_PARAMETERS = ("public_key.fields",)
USERS_PUBLIC_KEYS_PARAMETERS = ("ids", "public_key.fields")
#: ``max_results`` of the XChat lists: 1 to 100, X's default 10.
MAX_CHAT_RESULTS = 100
DEFAULT_CHAT_RESULTS = 10
#: Users one ``GET /2/users/public_keys`` may name.
MAX_PUBLIC_KEY_IDS = 100
#: Users one XChat request may list (``group_members``, ``group_admins``, ``user_ids``).
#: X's spec states no maximum; we assume its usual 100, as for ``public_keys``.
MAX_CHAT_USER_IDS = 100
#: Messages one ``POST .../messages/delete`` may name (``sequence_ids``); X's spec
#: states no maximum, this is our assumption.
MAX_CHAT_SEQUENCE_IDS = 1000
#: A conversation id in a path: a bare user id (the 1:1 conversation with that
#: user), ``LOW-HIGH`` user ids, or ``g`` and digits for a group.
CHAT_CONVERSATION_ID_PATTERN = re.compile(r"[0-9]{1,19}|[0-9]{1,19}-[0-9]{1,19}|g[0-9]{1,19}")
#: The same 1:1 conversation inside encrypted events and media bodies: ``LOW:HIGH``.
CHAT_COLON_ID_PATTERN = re.compile(r"[0-9]{1,19}:[0-9]{1,19}")
#: A group conversation id.
CHAT_GROUP_ID_PATTERN = re.compile(r"g[0-9]{1,19}")
#: A media blob's ``media_hash_key``.
MEDIA_HASH_KEY_PATTERN = re.compile(r"[a-zA-Z0-9]{1,50}")
#: Base64 (standard or URL-safe) as the spec's signature and event fields take it.
CHAT_BASE64_PATTERN = re.compile(r"[A-Za-z0-9+/=_-]+")
#: Numeric strings (key versions, sequence ids).
NUMERIC_PATTERN = re.compile(r"[0-9]+")
#: ``segment_index`` of a chat media append: 0 to 999.
MAX_CHAT_SEGMENTS = 1000
# -- XChat message requests and chat settings (spec 2.170, §2.2 of our notes) -------------

#: ``inbox_type`` of ``GET /2/chat/message_requests``: ``you_may_know`` (X's default, the
#: apps' Priority tab) or ``low_quality`` (the Hidden tab).
CHAT_REQUEST_INBOXES = ("you_may_know", "low_quality")
#: ``max_results`` of the message request list: 1 to 50, X's default 10.
MAX_CHAT_REQUESTS = 50
DEFAULT_CHAT_REQUESTS = 10
#: ``pagination_token`` of the message request list.
CHAT_REQUEST_TOKEN_PATTERN = re.compile(r"[0-9]{1,10}")
CHAT_REQUESTS_PARAMETERS = ("inbox_type", "max_results", "pagination_token")
#: A 1:1 conversation id in a path (message requests): a user id or ``LOW-HIGH``.
CHAT_ONE_TO_ONE_ID_PATTERN = re.compile(r"[0-9]{1,19}|[0-9]{1,19}-[0-9]{1,19}")
#: ``message_request_state`` of ``GET /2/chat/message_requests/{id}``.
CHAT_REQUEST_STATES = ("none", "received", "sent")
#: The chat settings' enums (``GET``/``PUT /2/chat/settings``), matched case-sensitively.
CHAT_ALLOW_DMS_FROM = ("all", "verified", "following")
CHAT_RECEIPT_SETTINGS = ("all_enabled", "all_disabled")
CHAT_QUALITY_FILTER = ("enabled", "disabled")
#: ``av_settings``: its booleans, and those of its ``av_call_permissions``.
CHAT_AV_SETTINGS = ("has_av_calls_enabled", "has_enhanced_call_privacy_enabled")
CHAT_AV_CALL_PERMISSIONS = (
    "accept_calls_from_addressbook",
    "accept_calls_from_everyone",
    "accept_calls_from_following",
    "accept_calls_from_verified",
)
#: What a new account's settings are. X documents no defaults; we ASSUME an open
#: inbox (``all``), receipts on and the quality filter off.
CHAT_DEFAULT_SETTINGS = MappingProxyType(
    {
        "allow_dms_from": "all",
        "always_allow_dms_from_subscribers": False,
        "dm_receipt_settings": "all_enabled",
        "dm_quality_filter": "disabled",
    }
)
#: A new account's ``av_settings``: an ASSUMPTION as well (calls on, from the people the
#: user follows and their address book).
CHAT_DEFAULT_AV_SETTINGS = MappingProxyType(
    {
        "has_av_calls_enabled": True,
        "has_enhanced_call_privacy_enabled": False,
        "av_call_permissions": MappingProxyType(
            {
                "accept_calls_from_addressbook": True,
                "accept_calls_from_everyone": False,
                "accept_calls_from_following": True,
                "accept_calls_from_verified": False,
            }
        ),
    }
)
#: Which message requests X files as ``low_quality`` is UNCONFIRMED. We ASSUME: when the
#: recipient's ``dm_quality_filter`` is this value, the requests of senders with no social
#: proof (no one the recipient follows follows them); otherwise every request is
#: ``you_may_know``.
CHAT_QUALITY_FILTER_ON = "enabled"
#: ``message_ttl_ms`` of ``PUT .../message_ttl``: milliseconds, as digits. X documents no
#: range or presets (UNCONFIRMED); the emulator takes any lifetime of 1 ms or more.
CHAT_TTL_PATTERN = re.compile(r"[0-9]{1,19}")
#: ``admin_settings`` of a group: each ``true`` keeps the action to admins, ``false`` opens
#: it to every member (``send_message: true`` makes the group announcement-only).
CHAT_ADMIN_SETTINGS = (
    "add_member",
    "block_screen_capture",
    "edit_group_info",
    "edit_message_ttl",
    "send_message",
    "start_call",
)
#: A group invite link, as the client builds it: the group's id and a 10-character token.
CHAT_INVITE_URL_PATTERN = re.compile(
    r"https://x\.com/i/chat/group_join/(g[0-9]{1,19})/([A-Za-z0-9_-]{10})"
)
CHAT_INVITE_URL_FORMAT = "https://x.com/i/chat/group_join/{group}/{token}"
CHAT_INVITE_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{10}")
#: An invite's two expiry forms must agree to within this many milliseconds.
CHAT_INVITE_EXPIRY_TOLERANCE_MS = 60_000
#: Longest ``decrypted_title`` / ``welcome_message``, and ``decrypted_avatar_url``.
MAX_CHAT_INVITE_TEXT = 1024
MAX_CHAT_INVITE_AVATAR_URL = 2048
#: ``join_state`` of an invite preview: the caller's relation to the group.
CHAT_JOIN_STATES = ("member", "not_member", "removed", "requested")
#: What ``PUT /2/chat/conversations/{id}`` changes (``modified_fields``), each encrypted
#: with the conversation key by the client.
CHAT_GROUP_FIELDS = ("group_name", "group_avatar_url", "group_description")
#: The query parameters of ``GET .../admin_requests``.
CHAT_ADMIN_REQUESTS_PARAMETERS = ("expansions", "pagination_token", "tweet.fields", "user.fields")
#: The ``/2/chat`` actions ``tweepy_dm.xchat`` sends WITHOUT ``action_signatures``. The
#: field is optional in each body, but X does not document what these actions' signatures
#: cover (UNCONFIRMED, spec 2.170 section 2.0), and chatxdk 0.5 prepares signatures only for
#: key changes, group creation, member additions and deletes. Should X require them, these
#: calls fail with X's own error.
XCHAT_UNSIGNED_ACTIONS = (
    "add_chat_group_admins",
    "create_chat_group_join_request",
    "delete_chat_conversation_message_ttl",
    "disable_chat_group_invite",
    "enable_chat_group_invite",
    "reject_chat_group_join_requests",
    "remove_chat_group_admins",
    "remove_chat_group_members",
    "update_chat_conversation_message_ttl",
    "update_chat_group",
)
#: Whether removing group members rotates the conversation key, and how, is UNCONFIRMED
#: (the removal body has no key fields). We ASSUME the remover rotates it right after,
#: with ``POST .../keys`` wrapped for the members left, so that the removed cannot read
#: what follows; the other members pick the new key up before their next send.
XCHAT_ROTATE_KEY_ON_REMOVE = True
#: X's answer to a message encrypted with a conversation key older than the
#: conversation's newest is UNCONFIRMED (the send body names no key version; the version
#: travels inside the encrypted event). We ASSUME HTTP 409 Conflict with this problem type;
#: the emulator answers so, and ``XChat.send`` then reads the key changes once and sends
#: once more, so a steady-state send costs one POST rather than a key check before each.
STALE_CONVERSATION_KEY = (409, "https://api.x.com/2/problems/stale-conversation-key")
#: The token of a group invite link is the client's to make (10 of these characters).
XCHAT_INVITE_TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
#: X's problem type for a send to someone who cannot be messaged (closed inbox, system
#: account, 1:1 block): HTTP 403, documented for ``sendChatMessage`` since 2.168.
RECIPIENT_NOT_MESSAGEABLE = "https://api.x.com/2/problems/recipient-not-messageable"
RECIPIENT_NOT_MESSAGEABLE_TITLE = "Recipient Not Messageable"

#: ``delete_message_action`` values.
CHAT_DELETE_ACTIONS = ("delete_for_all", "delete_for_self")
#: The fields of ``AddUserPublicKeyRequest.public_key``.
PUBLIC_KEY_REGISTRATION_FIELDS = (
    "identity_public_key_signature",
    "public_key",
    "public_key_fingerprint",
    "registration_method",
    "signing_public_key",
    "signing_public_key_signature",
)
#: The string a message signature covers (chat-xdk docs/CRYPTO.md section 7): message id,
#: sender, colon conversation id, key version and the ciphertext in base64 without padding.
MESSAGE_SIGNATURE_PREFIX = "MessageCreateEvent"


def chat_action_signature(action: Mapping[str, Any]) -> dict[str, Any]:
    """One of chatxdk's flat action signatures in X's ``action_signatures`` item shape."""
    signature: dict[str, Any] = {
        "message_id": action["message_id"],
        "encoded_message_event_detail": action["encoded_message_event_detail"],
        "message_event_signature": {
            "signature": action["signature"],
            "public_key_version": str(action["public_key_version"]),
            "signature_version": str(action["signature_version"]),
        },
    }
    if action.get("signature_payload"):
        signature["signature_payload"] = action["signature_payload"]  # for X's failure logs
    return signature


def chat_key_change_body(prepared: Mapping[str, Any]) -> dict[str, Any]:
    """X's conversation-key body (``POST /2/chat/conversations/{id}/keys``) from chatxdk's
    prepared key change (``prepare_conversation_key_change`` and the group variants)."""
    return {
        "conversation_key_version": str(prepared["conversation_key_version"]),
        "conversation_participant_keys": [
            {
                "user_id": key["user_id"],
                "encrypted_conversation_key": key["encrypted_key"],
                "public_key_version": str(key["public_key_version"]),
            }
            for key in prepared["participant_keys"]
        ],
        "action_signatures": [
            chat_action_signature(action) for action in prepared["action_signatures"]
        ],
    }


_CHAT_CONVERSATION = "/2/chat/conversations/{id}"
#: The XChat routes' per-user limits: an ASSUMPTION. X publishes none (neither the OpenAPI
#: specs 2.167 to 2.170 nor x-api/fundamentals/rate-limits.mdx, November 2026), so each
#: route is given the windows of the legacy route it replaces: reads those of the DM
#: lookups, writes those of the sends, deletes the event delete's, media the DM media
#: upload and download's, key lookups the user lookups'. The emulator enforces them like
#: X's own (``DMEmulator(rate_limits=True)`` or a mapping) and always sends them as headers;
#: code should go by the headers it gets rather than by this table.
CHAT_RATE_LIMITS: Mapping[str, tuple[Window, ...]] = MappingProxyType(
    {
        "GET /2/chat/conversations": _LOOKUP,
        f"GET {_CHAT_CONVERSATION}": _LOOKUP,
        f"GET {_CHAT_CONVERSATION}/events": _LOOKUP,
        f"POST {_CHAT_CONVERSATION}/messages": _CREATE,
        f"POST {_CHAT_CONVERSATION}/messages/delete": _DELETE,
        f"POST {_CHAT_CONVERSATION}/read": _CREATE,
        f"POST {_CHAT_CONVERSATION}/typing": _CREATE,
        f"POST {_CHAT_CONVERSATION}/keys": _CREATE,
        "POST /2/chat/conversations/group/initialize": _CREATE,
        "POST /2/chat/conversations/group": _CREATE,
        f"POST {_CHAT_CONVERSATION}/members": _CREATE,
        "POST /2/chat/media/upload/initialize": _CHUNKED,
        "POST /2/chat/media/upload/{id}/append": _CHUNKED,
        "POST /2/chat/media/upload/{id}/finalize": _CHUNKED,
        "GET /2/chat/media/{id}/{media_hash_key}": _DM_MEDIA,
        "GET /2/users/{id}/public_keys": _USERS,
        "GET /2/users/public_keys": _USERS,
        "POST /2/users/{id}/public_keys": _CREATE,
        "GET /2/chat/message_requests": _LOOKUP,
        "GET /2/chat/message_requests/{id}": _LOOKUP,
        "POST /2/chat/message_requests/{id}/accept": _CREATE,
        "GET /2/chat/settings": _LOOKUP,
        "PUT /2/chat/settings": _CREATE,
        f"DELETE {_CHAT_CONVERSATION}": _DELETE,
        f"POST {_CHAT_CONVERSATION}/mute": _CREATE,
        f"DELETE {_CHAT_CONVERSATION}/mute": _CREATE,
        f"PUT {_CHAT_CONVERSATION}/message_ttl": _CREATE,
        f"DELETE {_CHAT_CONVERSATION}/message_ttl": _CREATE,
        f"POST {_CHAT_CONVERSATION}/members/remove": _CREATE,
        f"POST {_CHAT_CONVERSATION}/admins": _CREATE,
        f"POST {_CHAT_CONVERSATION}/admins/remove": _CREATE,
        f"GET {_CHAT_CONVERSATION}/admin_requests": _LOOKUP,
        f"POST {_CHAT_CONVERSATION}/admin_requests": _CREATE,
        f"POST {_CHAT_CONVERSATION}/admin_requests/{{user_id}}/approve": _CREATE,
        f"POST {_CHAT_CONVERSATION}/admin_requests/{{user_id}}/reject": _CREATE,
        f"PUT {_CHAT_CONVERSATION}/admin_settings": _CREATE,
        f"PUT {_CHAT_CONVERSATION}/screen_capture": _CREATE,
        f"GET {_CHAT_CONVERSATION}/pinned_messages": _LOOKUP,
        f"PUT {_CHAT_CONVERSATION}": _CREATE,
        f"POST {_CHAT_CONVERSATION}/invite": _CREATE,
        f"DELETE {_CHAT_CONVERSATION}/invite": _CREATE,
        f"GET {_CHAT_CONVERSATION}/invites/{{token}}": _LOOKUP,
        f"POST {_CHAT_CONVERSATION}/join_requests": _CREATE,
        f"POST {_CHAT_CONVERSATION}/join_requests/reject": _CREATE,
    }
)
#: The XChat routes.
CHAT_ROUTES = tuple(CHAT_RATE_LIMITS)
#: X's bot accounts' routes (spec 2.170 ``/2/bots``): the app's bearer token only.
BOT_ROUTES = (
    "POST /2/bots",
    "GET /2/bots",
    "PUT /2/bots/{id}",
    "DELETE /2/bots/{id}",
    "POST /2/bots/{id}/token",
    "DELETE /2/bots/{id}/token",
)
#: The per-user limits of each endpoint, keyed as ``"METHOD /path/{template}"``: X's
#: documented ones (2026 docs; ``()`` for the media download, which has none), and for
#: XChat the assumption above.
RATE_LIMITS: Mapping[str, tuple[Window, ...]] = MappingProxyType(
    {
        **_USER_RATE_LIMITS,
        **WEBHOOK_RATE_LIMITS,
        **CHAT_RATE_LIMITS,
        # /2/bots limits are per app and UNCONFIRMED (xchat/bots.mdx gives no numbers).
        **{route: () for route in BOT_ROUTES},
    }
)
#: Bytes per chat media ``append`` segment: what the client sends by default and the
#: most the emulator takes in one. X documents no limit; assumed to be the v2 upload's
#: 4 MiB chunk, well under its 5 MB ``APPEND`` segment.
CHAT_MEDIA_SEGMENT_BYTES = 4 * MB

# -- The cutover to XChat (docs.x.com/xchat/migrate-from-legacy-dms) -------------------

#: The last day legacy DMs accept new messages: after it X accepts no new unencrypted DM,
#: legacy webhooks stop delivering DM events and /2/chat is the only DM API.
LEGACY_DM_LAST_DAY = "2026-12-09"
#: OAuth 1.0a keeps working on /2/chat until this day (the guide's auth card).
OAUTH1_CHAT_LAST_DAY = "2027-01-31"
#: The OAuth 2.0 scopes /2/chat's messages and keys need, read from each operation's
#: security in spec 2.170 (the guide's own scope matrix is UNCONFIRMED); media needs
#: CHAT_MEDIA_SCOPES as well.
CHAT_SCOPES = ("dm.read", "dm.write", "tweet.read", "users.read")
CHAT_MEDIA_SCOPES = ("media.write",)
#: X's answer to a legacy send after the cutover is UNCONFIRMED (the guide's error reference
#: could not be retrieved). We assume X's usual 403 document (type ``about:blank``, title
#: "Forbidden") with this detail; the emulator answers it and the clients recognise it by
#: status and route, not by this text.
LEGACY_DM_ENDED_DETAIL = (
    f"Legacy direct messages ended on {LEGACY_DM_LAST_DAY}: X accepts new direct messages "
    "only through /2/chat (XChat, end-to-end encrypted)."
)

# -- When a send's outcome is unknown (the bot's outbox) ------------------------------

#: Seconds after a client gives up on a send (its ``timeout``) during which X may still
#: store the message. UNCONFIRMED: X publishes no bound on how long a request it received
#: keeps being processed; we assume 30 s, so a send may land until ``timeout`` + 30 s after
#: it began, and the bot neither looks it up nor sends it again before then.
SEND_SETTLE_SECONDS = 30.0
#: How far X's ``created_at`` of a message may be before this machine's clock's time of
#: the send (clocks differ; assumed, X states no bound).
CLOCK_SKEW_SECONDS = 30.0

# -- Legacy DM calls over XChat (tweepy_dm._xchat_dm). X documents no mapping between the
# two APIs: each fact below is the project's choice, documented in docs/xchat.rst.

#: The legacy methods whose refusal (HTTP 403) after the cutover means "legacy DMs ended".
LEGACY_DM_SEND_METHODS = ("create_direct_message", "create_direct_message_conversation")
#: A chat message's ``dm_event_id``/``DirectMessageEvent.id``: X's numeric sequence id of the
#: event (``ChatMessageEvent.id``, MessageEvent field 1), which delete and read marks name too.
#: The signed ``message_id`` (a string made by the sender's SDK) is kept as ``message_id``.
XCHAT_DM_EVENT_ID = "sequence_id"
#: Chat events are all messages (``MessageCreate``); key changes and signed actions are not
#: shown as DM events.
XCHAT_DM_EVENT_TYPE = "MessageCreate"
#: Events asked of X per page while gathering every conversation (X's maximum).
XCHAT_SCAN_PAGE = 100

# -- OAuth 2.0 user tokens, bot tokens and the OAuth 1.0a exchange ----------------------
# (docs.x.com fundamentals/authentication/oauth-2-0/*, xchat/bots.mdx, spec 2.170)

#: Where a person authorizes an app (X's docs; the spec names api.x.com/2/oauth2/authorize).
OAUTH2_AUTHORIZE_URL = "https://x.com/i/oauth2/authorize"
#: The path of the authorize page on an API host (the emulator serves its own there).
OAUTH2_AUTHORIZE_PATH = "/2/oauth2/authorize"
#: The token endpoint: authorization code, refresh and the OAuth 1.0a exchange.
OAUTH2_TOKEN_PATH = "/2/oauth2/token"
OAUTH2_REVOKE_PATH = "/2/oauth2/revoke"
#: Where the token endpoint lives on X (``api_url`` + the path elsewhere).
OAUTH2_API_URL = "https://api.x.com"
#: An access token's lifetime: ``expires_in`` of X's answers.
OAUTH2_ACCESS_TOKEN_SECONDS = 2 * 60 * 60
#: A refresh token's lifetime: "about six months" (the exchange page), single-use.
OAUTH2_REFRESH_TOKEN_SECONDS = 182 * 24 * 60 * 60
#: An authorization code must be exchanged within this many seconds.
OAUTH2_CODE_SECONDS = 30
#: The scope that makes X return a refresh token.
OFFLINE_ACCESS = "offline.access"
#: The PKCE ``code_challenge_method`` values X accepts (the docs show plain; S256 is RFC 7636's).
PKCE_METHODS = ("S256", "plain")
TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange"
OAUTH1_TOKEN_TYPE = "urn:x:params:oauth:token-type:oauth1_token"
#: The token exchange's documented errors (all 400 but rate_limited 429 and
#: temporarily_unavailable 503).
TOKEN_EXCHANGE_ERRORS = (
    "invalid_request",
    "invalid_grant",
    "invalid_scope",
    "unauthorized_client",
    "invalid_client",
    "rate_limited",
    "temporarily_unavailable",
)
#: Scopes the OAuth 1.0a exchange maps a "Read, write and Direct Messages" app to.
OAUTH1_READ_SCOPES = (
    "tweet.read users.read follows.read mute.read block.read list.read like.read timeline.read"
).split()
OAUTH1_WRITE_SCOPES = (
    "tweet.write tweet.moderate.write follows.write like.write list.write mute.write "
    "block.write media.write"
).split()
OAUTH1_DM_SCOPES = ("dm.read", "dm.write")
#: Every scope the exchange can grant a DM app (what the emulator grants by default).
OAUTH1_EXCHANGE_SCOPES = (
    *OAUTH1_READ_SCOPES,
    *OAUTH1_WRITE_SCOPES,
    *OAUTH1_DM_SCOPES,
    OFFLINE_ACCESS,
)
#: Every OAuth 2.0 scope a DM app uses (what ``tweepy-dm auth login`` asks by default).
DM_APP_SCOPES = ("dm.read", "dm.write", "tweet.read", "users.read", "media.write", OFFLINE_ACCESS)
#: A bot token's prefix, and the scopes a bot token gets by default (spec 2.170).
BOT_TOKEN_PREFIX = "xcbot_"
BOT_DEFAULT_SCOPES = ("dm.read", "dm.write", "tweet.read", "users.read", "media.write")
#: A bot token's lifetime is not stated by X. UNCONFIRMED: the emulator's choice, 30 days.
BOT_TOKEN_SECONDS = 30 * 24 * 60 * 60
#: How long before expiry a credential renews itself: our choice, a minute of margin for
#: clock skew and a request in flight (an access token lives two hours).
REFRESH_MARGIN_SECONDS = 60
#: How long before expiry a bot token rotates: our choice (its lifetime is unknown).
BOT_ROTATE_MARGIN_SECONDS = 24 * 60 * 60
#: A bot's handle (spec 2.170's pattern; xchat/bots.mdx says 1 to 15 characters, the
#: spec 5 to 15: we check the spec's, the stricter).
BOT_HANDLE_PATTERN = r"[A-Za-z0-9_]{5,15}"
#: A bot's display name: 1 to 50 characters (spec 2.170); the handle when not given.
BOT_DISPLAY_NAME_LENGTH = (1, 50)
#: Who may DM a bot: ``dm_permission`` of ``PUT /2/bots/{id}`` (spec 2.170).
BOT_DM_PERMISSIONS = ("everyone", "premium", "no_one")
#: A new bot's ``dm_permission``. UNCONFIRMED (neither spec nor docs state it): everyone.
BOT_DEFAULT_DM_PERMISSION = "everyone"
#: Scopes the spec also allows a bot token "for broadcast moderation". xchat/bots.mdx says
#: anything outside BOT_DEFAULT_SCOPES is a 400: the clients accept these (the spec), the
#: emulator refuses them (the docs), so code works against either.
BOT_BROADCAST_SCOPES = ("broadcast.read", "broadcast.write")
#: How many bots a project may have when its plan says nothing else (``meta.max_bots``;
#: xchat/bots.mdx: the default is 1).
BOT_DEFAULT_MAX_BOTS = 1
#: The label on a bot's profile (xchat/bots.mdx). Where X shows it in the API (a user
#: field) is UNCONFIRMED: the emulator puts it in the bot's ``description``.
BOT_LABEL = "Automated by @{owner}"
#: The status of a create past ``max_bots``. UNCONFIRMED (the docs say only "an error"):
#: assumed X's 403 Forbidden, as for other project limits.
BOT_LIMIT_STATUS = 403

_DM_READ = ("dm.read", "tweet.read", "users.read")
_DM_WRITE = ("dm.write", "tweet.read", "users.read")
_CHAT_READ = ("dm.read", "tweet.read", "users.read")
#: The OAuth 2.0 scopes each route needs of a user access token (X's docs for the legacy
#: routes, spec 2.170's security for /2/chat, notes §1.3). A route missing here needs none
#: beyond a user token. Used by the clients' check before sending and by the emulator.
ROUTE_SCOPES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "GET /2/dm_events": _DM_READ,
        "GET /2/dm_events/{event_id}": _DM_READ,
        "DELETE /2/dm_events/{event_id}": ("dm.read", "dm.write"),
        "GET /2/dm_conversations/with/{participant_id}/dm_events": _DM_READ,
        "GET /2/dm_conversations/{dm_conversation_id}/dm_events": _DM_READ,
        "POST /2/dm_conversations/with/{participant_id}/messages": _DM_WRITE,
        "POST /2/dm_conversations/{dm_conversation_id}/messages": _DM_WRITE,
        "POST /2/dm_conversations": _DM_WRITE,
        "GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}": ("dm.read",),
        "POST /2/users/{id}/dm/block": _DM_WRITE,
        "POST /2/users/{id}/dm/unblock": _DM_WRITE,
        "POST /2/media/upload": ("media.write",),
        "POST /2/media/upload/initialize": ("media.write",),
        "POST /2/media/upload/{id}/append": ("media.write",),
        "POST /2/media/upload/{id}/finalize": ("media.write",),
        "GET /2/media/upload": ("media.write",),
        "GET /2/users/me": ("tweet.read", "users.read"),
        "GET /2/users/{id}": ("tweet.read", "users.read"),
        "GET /2/users": ("tweet.read", "users.read"),
        "GET /2/users/by/username/{username}": ("tweet.read", "users.read"),
        "GET /2/users/by": ("tweet.read", "users.read"),
        "GET /2/chat/conversations": ("dm.read", "users.read"),
        "GET /2/chat/conversations/{id}": _CHAT_READ,
        "GET /2/chat/conversations/{id}/events": _CHAT_READ,
        "POST /2/chat/conversations/{id}/messages": _DM_WRITE,
        "POST /2/chat/conversations/{id}/messages/delete": _DM_WRITE,
        "POST /2/chat/conversations/{id}/read": _DM_WRITE,
        "POST /2/chat/conversations/{id}/typing": _DM_WRITE,
        "POST /2/chat/conversations/{id}/keys": _DM_WRITE,
        "POST /2/chat/conversations/group/initialize": ("dm.write",),
        "POST /2/chat/conversations/group": _DM_WRITE,
        "POST /2/chat/conversations/{id}/members": _DM_WRITE,
        "POST /2/chat/media/upload/initialize": ("media.write",),
        "POST /2/chat/media/upload/{id}/append": ("media.write",),
        "POST /2/chat/media/upload/{id}/finalize": ("media.write",),
        "GET /2/chat/media/{id}/{media_hash_key}": ("media.write",),
        "GET /2/users/{id}/public_keys": _CHAT_READ,
        "GET /2/users/public_keys": _CHAT_READ,
        "POST /2/users/{id}/public_keys": _DM_WRITE,
    }
)
#: X's 403 when a token lacks a route's scope. UNCONFIRMED wording: X's usual problem
#: document (type about:blank, title "Forbidden") naming the missing scopes.
MISSING_SCOPE_DETAIL = "Missing required OAuth 2.0 scopes for this endpoint: {scopes}."
