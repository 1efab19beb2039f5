"""The endpoint table: what each DM endpoint needs, written once for both clients (no I/O).

Every builder here takes a method's arguments, checks them, and returns a
:class:`Request` (the HTTP method, route, query parameters, JSON body, the model
to parse ``data`` into and the authentication to use). :data:`ENDPOINTS` has
one row per client method: its builder, aliases, X's routes and reference pages,
its docs group and how a transport sends it. The sync and async clients
(:mod:`tweepy_dm._methods`), their docs tables, the type stubs and the
emulator's checks are all derived from that table.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Callable, NamedTuple

from tweepy_dm import _facts, _media
from tweepy_dm._endpoints._common import (
    ID,
    Fields,
    MediaDownload,
    Request,
    fill_docstring,
    with_params,
)
from tweepy_dm._endpoints.account_activity import (
    create_account_activity_subscription,
    delete_account_activity_subscription,
    get_account_activity_subscription,
    get_account_activity_subscription_count,
    get_account_activity_subscriptions,
)
from tweepy_dm._endpoints.activity import (
    create_activity_subscription,
    delete_activity_subscription,
    delete_activity_subscriptions,
    get_activity_subscriptions,
    update_activity_subscription,
)
from tweepy_dm._endpoints.bots import (
    create_bot,
    delete_bot,
    get_bots,
    revoke_bot_token,
    rotate_bot_token,
    update_bot,
)
from tweepy_dm._endpoints.chat import (
    add_chat_conversation_keys,
    add_chat_group_members,
    add_user_public_key,
    create_chat_group,
    delete_chat_messages,
    get_chat_conversation,
    get_chat_conversation_events,
    get_chat_conversations,
    get_chat_media,
    get_user_public_keys,
    get_users_public_keys,
    initialize_chat_group,
    mark_chat_conversation_read,
    send_chat_message,
    send_chat_typing_indicator,
    upload_chat_media,
)
from tweepy_dm._endpoints.chat_groups import (
    add_chat_group_admins,
    approve_chat_group_admin_request,
    create_chat_group_admin_request,
    get_chat_conversation_pinned_messages,
    get_chat_group_admin_requests,
    reject_chat_group_admin_request,
    remove_chat_group_admins,
    update_chat_conversation_screen_capture,
    update_chat_group,
    update_chat_group_admin_settings,
)
from tweepy_dm._endpoints.chat_invites import (
    create_chat_group_join_request,
    disable_chat_group_invite,
    enable_chat_group_invite,
    get_chat_group_invite,
    reject_chat_group_join_requests,
)
from tweepy_dm._endpoints.chat_manage import (
    delete_chat_conversation,
    delete_chat_conversation_message_ttl,
    mute_chat_conversation,
    remove_chat_group_members,
    unmute_chat_conversation,
    update_chat_conversation_message_ttl,
)
from tweepy_dm._endpoints.chat_requests import (
    accept_chat_message_request,
    get_chat_message_request,
    get_chat_message_requests,
    get_chat_settings,
    update_chat_settings,
)
from tweepy_dm._endpoints.dm import (
    block_direct_messages,
    create_direct_message,
    create_direct_message_conversation,
    delete_direct_message_event,
    get_direct_message_event,
    get_direct_message_events,
    get_direct_message_media,
    unblock_direct_messages,
)
from tweepy_dm._endpoints.webhooks import (
    When,
    create_webhook,
    delete_webhook,
    get_webhooks,
    replay_webhook_events,
    validate_webhook,
)

# -- The table ---------------------------------------------------------------------

#: Who X lets call an endpoint.
USER = "OAuth 1.0a User Context or OAuth 2.0 user access token"
OAUTH2_USER = "OAuth 2.0 user access token only"
APP = "OAuth 2.0 App Only (the app's bearer token)"
OAUTH2_USER_OR_APP = (
    "OAuth 2.0 user access token of the filtered user for dm.* and chat.*, else the app's "
    "bearer token"
)

#: How a transport sends what a builder returns: ``json`` through tweepy's
#: ``_make_request``, ``download`` as a streamed media download, ``upload`` as
#: the v2 media upload flow.
JSON, DOWNLOAD, UPLOAD = "json", "download", "upload"


class Route(NamedTuple):
    """One of X's routes behind a method."""

    #: ``"METHOD /path/{template}"``, as :data:`tweepy_dm._facts.RATE_LIMITS`
    #: and the emulator name it.
    key: str
    #: X's API reference page.
    reference: str
    #: Shown after the route in the docs, e.g. ``?command=STATUS``.
    suffix: str = ""

    @property
    def title(self) -> str:
        """The route as tweepy's docs write it: ``GET /2/dm_events/:event_id``."""
        method, path = self.key.split(" ", 1)
        parts = [f":{part[1:-1]}" if part.startswith("{") else part for part in path.split("/")]
        return f"{method} {'/'.join(parts)}{self.suffix}"


class Endpoint(NamedTuple):
    """A row of the endpoint table: one client method and everything known about it."""

    name: str
    build: Callable[..., Any]
    aliases: tuple[str, ...]
    routes: tuple[Route, ...]
    group: str
    transport: str = JSON
    auth: str = USER
    #: Whether the method also takes keyword arguments it does not declare and
    #: sends them as query parameters, as tweepy's ``**params`` lookups do.
    extra_params: bool = False

    @property
    def rate_limits(self) -> dict[str, tuple[_facts.Window, ...]]:
        """X's documented per-user limits of each route, from :mod:`tweepy_dm._facts`."""
        return {route.key: _facts.RATE_LIMITS.get(route.key, ()) for route in self.routes}


_X = "https://docs.x.com/x-api/"
_CHUNKED = _X + "media/quickstart/media-upload-chunked"
_ACTIVITY = _X + "activity/"
_WEBHOOKS = _X + "webhooks/"
_ACCOUNT_ACTIVITY = _X + "account-activity/"

#: The docs groups, in order, with the text that opens each group's section.
GROUPS: Mapping[str, str] = MappingProxyType(
    {
        "Direct Messages lookup": "",
        "Manage Direct Messages": "",
        "Direct Messages blocks": "",
        "Direct Messages media": "",
        "Media upload": (
            "Upload the image, GIF or video that a DM carries, then pass the returned "
            ":class:`DMMedia`'s ``id`` as ``media_id`` when sending. :doc:`media` walks "
            "through it."
        ),
        "XChat": (
            "X's end-to-end encrypted DMs. These methods move ciphertext, keys and "
            "signatures made by X's SDK; :doc:`xchat` shows ``tweepy_dm.xchat.XChat``, "
            "which encrypts, signs and decrypts with it."
        ),
        "Activity subscriptions": (
            "Tell the X Activity API whose events to deliver; ``tweepy_dm.ActivityStream`` "
            "then receives them as they happen. Creating a DM subscription takes that "
            "user's OAuth 2.0 token (``dm.read``); listing, updating and deleting take "
            "the app's bearer token."
        ),
        "Webhooks": (
            "Register the HTTPS endpoint X delivers events to; ``tweepy_dm.webhooks`` "
            "answers its CRC and verifies what X sends (:doc:`webhooks`). These take the "
            "app's bearer token."
        ),
        "Account Activity": (
            "Subscribe users to a webhook through the Account Activity API v2 (marked "
            "deprecated by X in July 2026, no sunset date). Subscribing and checking act "
            "as the user; listing, counting and deleting take the app's bearer token."
        ),
        "Bots": (
            "X's bot accounts: real X accounts acting through an ``xcbot_`` token, created "
            "and managed by the app (:doc:`credentials`). :class:`tweepy_dm.auth.BotToken` "
            "rotates a bot's token by itself; these take the app's bearer token."
        ),
    }
)

_CHAT = _X + "chat/"


def _chat_row(
    name: str, build: Callable[..., Any], *routes: tuple[str, str], **kw: Any
) -> Endpoint:
    return Endpoint(
        name,
        build,
        (),
        tuple(Route(key, _CHAT + page) for key, page in routes),
        "XChat",
        **kw,
    )


_CONVERSATION = "/2/chat/conversations/{id}"
#: The XChat rows, in documentation order.
CHAT_ENDPOINTS: tuple[Endpoint, ...] = (
    _chat_row(
        "get_chat_conversations",
        get_chat_conversations,
        ("GET /2/chat/conversations", "get-chat-conversations"),
    ),
    _chat_row(
        "get_chat_conversation",
        get_chat_conversation,
        (f"GET {_CONVERSATION}", "get-chat-conversation"),
    ),
    _chat_row(
        "get_chat_conversation_events",
        get_chat_conversation_events,
        (f"GET {_CONVERSATION}/events", "get-chat-conversation-events"),
    ),
    _chat_row(
        "send_chat_message",
        send_chat_message,
        (f"POST {_CONVERSATION}/messages", "send-chat-message"),
    ),
    _chat_row(
        "delete_chat_messages",
        delete_chat_messages,
        (f"POST {_CONVERSATION}/messages/delete", "delete-chat-messages"),
    ),
    _chat_row(
        "mark_chat_conversation_read",
        mark_chat_conversation_read,
        (f"POST {_CONVERSATION}/read", "mark-conversation-as-read"),
    ),
    _chat_row(
        "send_chat_typing_indicator",
        send_chat_typing_indicator,
        (f"POST {_CONVERSATION}/typing", "send-typing-indicator"),
    ),
    _chat_row(
        "add_chat_conversation_keys",
        add_chat_conversation_keys,
        (f"POST {_CONVERSATION}/keys", "add-conversation-keys"),
    ),
    _chat_row(
        "initialize_chat_group",
        initialize_chat_group,
        ("POST /2/chat/conversations/group/initialize", "initialize-chat-group"),
    ),
    _chat_row(
        "create_chat_group",
        create_chat_group,
        ("POST /2/chat/conversations/group", "create-chat-group-conversation"),
    ),
    _chat_row(
        "add_chat_group_members",
        add_chat_group_members,
        (f"POST {_CONVERSATION}/members", "add-members-to-a-chat-group-conversation"),
    ),
    _chat_row(
        "get_user_public_keys",
        get_user_public_keys,
        ("GET /2/users/{id}/public_keys", "get-user-public-keys"),
    ),
    Endpoint(
        "get_users_public_keys",
        get_users_public_keys,
        (),
        (Route("GET /2/users/public_keys", _X + "users/get-public-keys-for-multiple-users"),),
        "XChat",
    ),
    _chat_row(
        "add_user_public_key",
        add_user_public_key,
        ("POST /2/users/{id}/public_keys", "add-public-key"),
    ),
    _chat_row(
        "upload_chat_media",
        upload_chat_media,
        ("POST /2/chat/media/upload/initialize", "initialize-chat-media-upload"),
        ("POST /2/chat/media/upload/{id}/append", "append-chat-media-upload"),
        ("POST /2/chat/media/upload/{id}/finalize", "finalize-chat-media-upload"),
        transport=UPLOAD,
    ),
    _chat_row(
        "get_chat_media",
        get_chat_media,
        ("GET /2/chat/media/{id}/{media_hash_key}", "download-chat-media"),
        transport=DOWNLOAD,
    ),
    _chat_row(
        "get_chat_message_requests",
        get_chat_message_requests,
        ("GET /2/chat/message_requests", "get-chat-message-requests"),
    ),
    _chat_row(
        "get_chat_message_request",
        get_chat_message_request,
        ("GET /2/chat/message_requests/{id}", "get-chat-message-request"),
    ),
    _chat_row(
        "accept_chat_message_request",
        accept_chat_message_request,
        ("POST /2/chat/message_requests/{id}/accept", "accept-a-chat-message-request"),
    ),
    _chat_row(
        "get_chat_settings", get_chat_settings, ("GET /2/chat/settings", "get-chat-settings")
    ),
    _chat_row(
        "update_chat_settings",
        update_chat_settings,
        ("PUT /2/chat/settings", "update-chat-settings"),
    ),
    _chat_row(
        "delete_chat_conversation",
        delete_chat_conversation,
        (f"DELETE {_CONVERSATION}", "delete-a-chat-conversation"),
    ),
    _chat_row(
        "mute_chat_conversation",
        mute_chat_conversation,
        (f"POST {_CONVERSATION}/mute", "mute-a-chat-conversation"),
    ),
    _chat_row(
        "unmute_chat_conversation",
        unmute_chat_conversation,
        (f"DELETE {_CONVERSATION}/mute", "unmute-a-chat-conversation"),
    ),
    _chat_row(
        "update_chat_conversation_message_ttl",
        update_chat_conversation_message_ttl,
        (
            f"PUT {_CONVERSATION}/message_ttl",
            "turn-on-disappearing-messages-in-a-chat-conversation",
        ),
    ),
    _chat_row(
        "delete_chat_conversation_message_ttl",
        delete_chat_conversation_message_ttl,
        (
            f"DELETE {_CONVERSATION}/message_ttl",
            "turn-off-disappearing-messages-in-a-chat-conversation",
        ),
    ),
    _chat_row(
        "remove_chat_group_members",
        remove_chat_group_members,
        (f"POST {_CONVERSATION}/members/remove", "remove-members-from-a-chat-group-conversation"),
    ),
    _chat_row(
        "add_chat_group_admins",
        add_chat_group_admins,
        (f"POST {_CONVERSATION}/admins", "add-admins-to-a-chat-group-conversation"),
    ),
    _chat_row(
        "remove_chat_group_admins",
        remove_chat_group_admins,
        (f"POST {_CONVERSATION}/admins/remove", "remove-admins-from-a-chat-group-conversation"),
    ),
    _chat_row(
        "get_chat_group_admin_requests",
        get_chat_group_admin_requests,
        (
            f"GET {_CONVERSATION}/admin_requests",
            "get-pending-admin-requests-for-a-chat-group-conversation",
        ),
    ),
    _chat_row(
        "create_chat_group_admin_request",
        create_chat_group_admin_request,
        (
            f"POST {_CONVERSATION}/admin_requests",
            "request-admin-permissions-in-a-chat-group-conversation",
        ),
    ),
    _chat_row(
        "approve_chat_group_admin_request",
        approve_chat_group_admin_request,
        (
            f"POST {_CONVERSATION}/admin_requests/{{user_id}}/approve",
            "approve-an-admin-request-in-a-chat-group-conversation",
        ),
    ),
    _chat_row(
        "reject_chat_group_admin_request",
        reject_chat_group_admin_request,
        (
            f"POST {_CONVERSATION}/admin_requests/{{user_id}}/reject",
            "reject-an-admin-request-in-a-chat-group-conversation",
        ),
    ),
    _chat_row(
        "update_chat_group_admin_settings",
        update_chat_group_admin_settings,
        (
            f"PUT {_CONVERSATION}/admin_settings",
            "update-the-admin-only-settings-of-a-chat-group-conversation",
        ),
    ),
    _chat_row(
        "update_chat_conversation_screen_capture",
        update_chat_conversation_screen_capture,
        (
            f"PUT {_CONVERSATION}/screen_capture",
            "update-screen-capture-settings-for-a-chat-conversation",
        ),
    ),
    _chat_row(
        "update_chat_group",
        update_chat_group,
        (f"PUT {_CONVERSATION}", "update-a-chat-group-conversation"),
    ),
    _chat_row(
        "enable_chat_group_invite",
        enable_chat_group_invite,
        (f"POST {_CONVERSATION}/invite", "enable-a-chat-group-invite-link"),
    ),
    _chat_row(
        "disable_chat_group_invite",
        disable_chat_group_invite,
        (f"DELETE {_CONVERSATION}/invite", "disable-a-chat-group-invite-link"),
    ),
    _chat_row(
        "get_chat_group_invite",
        get_chat_group_invite,
        (f"GET {_CONVERSATION}/invites/{{token}}", "get-a-chat-group-invite-link"),
    ),
    _chat_row(
        "create_chat_group_join_request",
        create_chat_group_join_request,
        (f"POST {_CONVERSATION}/join_requests", "request-to-join-a-chat-group"),
    ),
    _chat_row(
        "reject_chat_group_join_requests",
        reject_chat_group_join_requests,
        (
            f"POST {_CONVERSATION}/join_requests/reject",
            "reject-join-requests-for-a-chat-group-conversation",
        ),
    ),
    _chat_row(
        "get_chat_conversation_pinned_messages",
        get_chat_conversation_pinned_messages,
        (f"GET {_CONVERSATION}/pinned_messages", "get-chat-conversation-pinned-messages"),
    ),
)

#: Every client method, in documentation order. The clients, :func:`tweepy_dm.install`,
#: the type stubs, the docs tables and the emulator's route checks follow from it.
ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint(
        "get_direct_message_events",
        get_direct_message_events,
        ("get_dm_events",),
        (
            Route("GET /2/dm_events", _X + "direct-messages/get-dm-events"),
            Route(
                "GET /2/dm_conversations/with/{participant_id}/dm_events",
                _X + "direct-messages/get-dm-events-for-a-dm-conversation",
            ),
            Route(
                "GET /2/dm_conversations/{dm_conversation_id}/dm_events",
                _X + "direct-messages/get-dm-events-for-a-dm-conversation-1",
            ),
        ),
        "Direct Messages lookup",
        extra_params=True,
    ),
    Endpoint(
        "get_direct_message_event",
        get_direct_message_event,
        ("get_dm_event",),
        (Route("GET /2/dm_events/{event_id}", _X + "direct-messages/get-dm-event-by-id"),),
        "Direct Messages lookup",
        extra_params=True,
    ),
    Endpoint(
        "create_direct_message",
        create_direct_message,
        ("create_dm",),
        (
            Route(
                "POST /2/dm_conversations/with/{participant_id}/messages",
                _X + "direct-messages/create-dm-message-by-participant-id",
            ),
            Route(
                "POST /2/dm_conversations/{dm_conversation_id}/messages",
                _X + "direct-messages/create-dm-message-by-dm-conversation-id",
            ),
        ),
        "Manage Direct Messages",
    ),
    Endpoint(
        "create_direct_message_conversation",
        create_direct_message_conversation,
        ("create_dm_conversation",),
        (Route("POST /2/dm_conversations", _X + "direct-messages/create-dm-conversation"),),
        "Manage Direct Messages",
    ),
    Endpoint(
        "delete_direct_message_event",
        delete_direct_message_event,
        ("delete_dm_event",),
        (Route("DELETE /2/dm_events/{event_id}", _X + "direct-messages/delete-dm-event"),),
        "Manage Direct Messages",
    ),
    Endpoint(
        "block_direct_messages",
        block_direct_messages,
        ("block_dms",),
        (Route("POST /2/users/{id}/dm/block", _X + "users/block-dms"),),
        "Direct Messages blocks",
    ),
    Endpoint(
        "unblock_direct_messages",
        unblock_direct_messages,
        ("unblock_dms",),
        (Route("POST /2/users/{id}/dm/unblock", _X + "users/unblock-dms"),),
        "Direct Messages blocks",
    ),
    Endpoint(
        "get_direct_message_media",
        get_direct_message_media,
        ("get_dm_media",),
        (
            Route(
                "GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}",
                _X + "direct-messages/get-dm-media",
            ),
        ),
        "Direct Messages media",
        transport=DOWNLOAD,
        auth=OAUTH2_USER,
    ),
    Endpoint(
        "upload_dm_media",
        _media.upload_dm_media,
        (),
        (
            Route("POST /2/media/upload", _X + "media/media-upload"),
            Route("POST /2/media/upload/initialize", _CHUNKED),
            Route("POST /2/media/upload/{id}/append", _CHUNKED),
            Route("POST /2/media/upload/{id}/finalize", _CHUNKED),
            Route("GET /2/media/upload", _CHUNKED, "?command=STATUS"),
        ),
        "Media upload",
        transport=UPLOAD,
    ),
    Endpoint(
        "create_activity_subscription",
        create_activity_subscription,
        (),
        (Route("POST /2/activity/subscriptions", _ACTIVITY + "create-x-activity-subscription"),),
        "Activity subscriptions",
        auth=OAUTH2_USER_OR_APP,
    ),
    Endpoint(
        "get_activity_subscriptions",
        get_activity_subscriptions,
        (),
        (Route("GET /2/activity/subscriptions", _ACTIVITY + "get-x-activity-subscriptions"),),
        "Activity subscriptions",
        auth=APP,
    ),
    Endpoint(
        "update_activity_subscription",
        update_activity_subscription,
        (),
        (
            Route(
                "PUT /2/activity/subscriptions/{subscription_id}",
                _ACTIVITY + "update-x-activity-subscription",
            ),
        ),
        "Activity subscriptions",
        auth=APP,
    ),
    Endpoint(
        "delete_activity_subscription",
        delete_activity_subscription,
        (),
        (
            Route(
                "DELETE /2/activity/subscriptions/{subscription_id}",
                _ACTIVITY + "deletes-x-activity-subscription",
            ),
        ),
        "Activity subscriptions",
        auth=APP,
    ),
    Endpoint(
        "delete_activity_subscriptions",
        delete_activity_subscriptions,
        (),
        (
            Route(
                "DELETE /2/activity/subscriptions",
                _ACTIVITY + "delete-x-activity-subscriptions-by-ids",
            ),
        ),
        "Activity subscriptions",
        auth=APP,
    ),
    Endpoint(
        "create_webhook",
        create_webhook,
        (),
        (Route("POST /2/webhooks", _WEBHOOKS + "create-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "get_webhooks",
        get_webhooks,
        (),
        (Route("GET /2/webhooks", _WEBHOOKS + "get-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "validate_webhook",
        validate_webhook,
        (),
        (Route("PUT /2/webhooks/{webhook_id}", _WEBHOOKS + "validate-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "delete_webhook",
        delete_webhook,
        (),
        (Route("DELETE /2/webhooks/{webhook_id}", _WEBHOOKS + "delete-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "replay_webhook_events",
        replay_webhook_events,
        (),
        (Route("POST /2/webhooks/replay", _WEBHOOKS + "create-replay-job-for-webhook"),),
        "Webhooks",
        auth=APP,
    ),
    Endpoint(
        "create_account_activity_subscription",
        create_account_activity_subscription,
        (),
        (
            Route(
                "POST /2/account_activity/webhooks/{webhook_id}/subscriptions/all",
                _ACCOUNT_ACTIVITY + "create-subscription",
            ),
        ),
        "Account Activity",
    ),
    Endpoint(
        "get_account_activity_subscription",
        get_account_activity_subscription,
        (),
        (
            Route(
                "GET /2/account_activity/webhooks/{webhook_id}/subscriptions/all",
                _ACCOUNT_ACTIVITY + "validate-subscription",
            ),
        ),
        "Account Activity",
    ),
    Endpoint(
        "get_account_activity_subscriptions",
        get_account_activity_subscriptions,
        (),
        (
            Route(
                "GET /2/account_activity/webhooks/{webhook_id}/subscriptions/all/list",
                _ACCOUNT_ACTIVITY + "get-subscriptions",
            ),
        ),
        "Account Activity",
        auth=APP,
    ),
    Endpoint(
        "delete_account_activity_subscription",
        delete_account_activity_subscription,
        (),
        (
            Route(
                "DELETE /2/account_activity/webhooks/{webhook_id}/subscriptions/{user_id}/all",
                _ACCOUNT_ACTIVITY + "delete-subscription",
            ),
        ),
        "Account Activity",
        auth=APP,
    ),
    Endpoint(
        "get_account_activity_subscription_count",
        get_account_activity_subscription_count,
        (),
        (
            Route(
                "GET /2/account_activity/subscriptions/count",
                _ACCOUNT_ACTIVITY + "get-subscription-count",
            ),
        ),
        "Account Activity",
        auth=APP,
    ),
    *CHAT_ENDPOINTS,
    *(
        Endpoint(build.__name__, build, (), (Route(key, _X + "bots/" + page),), "Bots", auth=APP)
        for build, key, page in (
            (create_bot, "POST /2/bots", "create-a-bot"),
            (get_bots, "GET /2/bots", "get-bots"),
            (update_bot, "PUT /2/bots/{id}", "update-bot"),
            (delete_bot, "DELETE /2/bots/{id}", "delete-bot"),
            (rotate_bot_token, "POST /2/bots/{id}/token", "rotate-bot-token"),
            (revoke_bot_token, "DELETE /2/bots/{id}/token", "revoke-bot-token"),
        )
    ),
)

# Every builder's docstring gets the shared paragraphs (see _common.DOC_FRAGMENTS).
for _endpoint in ENDPOINTS:
    fill_docstring(_endpoint.build)
del _endpoint

__all__ = [
    "APP",
    "DOWNLOAD",
    "ENDPOINTS",
    "Endpoint",
    "Fields",
    "GROUPS",
    "ID",
    "JSON",
    "MediaDownload",
    "OAUTH2_USER",
    "OAUTH2_USER_OR_APP",
    "Request",
    "Route",
    "UPLOAD",
    "USER",
    "When",
    "add_chat_conversation_keys",
    "add_chat_group_members",
    "add_user_public_key",
    "block_direct_messages",
    "create_account_activity_subscription",
    "create_activity_subscription",
    "create_bot",
    "create_chat_group",
    "create_direct_message",
    "create_direct_message_conversation",
    "create_webhook",
    "delete_account_activity_subscription",
    "delete_activity_subscription",
    "delete_activity_subscriptions",
    "delete_bot",
    "delete_chat_messages",
    "delete_direct_message_event",
    "delete_webhook",
    "get_account_activity_subscription",
    "get_account_activity_subscription_count",
    "get_account_activity_subscriptions",
    "get_activity_subscriptions",
    "get_bots",
    "get_chat_conversation",
    "get_chat_conversation_events",
    "get_chat_conversations",
    "get_chat_media",
    "get_direct_message_event",
    "get_direct_message_events",
    "get_direct_message_media",
    "get_user_public_keys",
    "get_users_public_keys",
    "get_webhooks",
    "initialize_chat_group",
    "mark_chat_conversation_read",
    "replay_webhook_events",
    "revoke_bot_token",
    "rotate_bot_token",
    "send_chat_message",
    "send_chat_typing_indicator",
    "unblock_direct_messages",
    "update_activity_subscription",
    "update_bot",
    "upload_chat_media",
    "validate_webhook",
    "with_params",
]
