"""Every route declares its query parameters; anything else is X's 400."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import ALICE_BOB, BOB, assert_problem
from tweepy_dm import _facts
from tweepy_dm.emulator._routes import QUERY_PARAMETERS, ROUTES

#: A concrete request path for each route.
PATHS = {
    "GET /2/dm_events": "/2/dm_events",
    "GET /2/dm_events/{event_id}": "/2/dm_events/1585800613253812228",
    "DELETE /2/dm_events/{event_id}": "/2/dm_events/1585800613253812228",
    "GET /2/dm_conversations/with/{participant_id}/dm_events": (
        f"/2/dm_conversations/with/{BOB}/dm_events"
    ),
    "GET /2/dm_conversations/{dm_conversation_id}/dm_events": (
        f"/2/dm_conversations/{ALICE_BOB}/dm_events"
    ),
    "POST /2/dm_conversations/with/{participant_id}/messages": (
        f"/2/dm_conversations/with/{BOB}/messages"
    ),
    "POST /2/dm_conversations/{dm_conversation_id}/messages": (
        f"/2/dm_conversations/{ALICE_BOB}/messages"
    ),
    "POST /2/dm_conversations": "/2/dm_conversations",
    "GET /2/dm_conversations/media/{dm_id}/{media_id}/{resource_id}": (
        "/2/dm_conversations/media/1/2/abc"
    ),
    "POST /2/users/{id}/dm/block": f"/2/users/{BOB}/dm/block",
    "POST /2/users/{id}/dm/unblock": f"/2/users/{BOB}/dm/unblock",
    "POST /2/media/upload": "/2/media/upload",
    "POST /2/media/upload/initialize": "/2/media/upload/initialize",
    "POST /2/media/upload/{id}/append": "/2/media/upload/1/append",
    "POST /2/media/upload/{id}/finalize": "/2/media/upload/1/finalize",
    "GET /2/media/upload": "/2/media/upload",
    "GET /2/users/me": "/2/users/me",
    "GET /2/users/{id}": f"/2/users/{BOB}",
    "GET /2/users": "/2/users",
    "GET /2/users/by/username/{username}": "/2/users/by/username/bob",
    "GET /2/users/by": "/2/users/by",
    "POST /2/activity/subscriptions": "/2/activity/subscriptions",
    "GET /2/activity/subscriptions": "/2/activity/subscriptions",
    "PUT /2/activity/subscriptions/{subscription_id}": "/2/activity/subscriptions/1",
    "DELETE /2/activity/subscriptions/{subscription_id}": "/2/activity/subscriptions/1",
    "DELETE /2/activity/subscriptions": "/2/activity/subscriptions",
    "GET /2/activity/stream": "/2/activity/stream",
    "POST /2/webhooks": "/2/webhooks",
    "GET /2/webhooks": "/2/webhooks",
    "PUT /2/webhooks/{webhook_id}": "/2/webhooks/1",
    "DELETE /2/webhooks/{webhook_id}": "/2/webhooks/1",
    "POST /2/webhooks/replay": "/2/webhooks/replay",
    "POST /2/account_activity/webhooks/{webhook_id}/subscriptions/all": (
        "/2/account_activity/webhooks/1/subscriptions/all"
    ),
    "GET /2/account_activity/webhooks/{webhook_id}/subscriptions/all": (
        "/2/account_activity/webhooks/1/subscriptions/all"
    ),
    "GET /2/account_activity/webhooks/{webhook_id}/subscriptions/all/list": (
        "/2/account_activity/webhooks/1/subscriptions/all/list"
    ),
    "DELETE /2/account_activity/webhooks/{webhook_id}/subscriptions/{user_id}/all": (
        f"/2/account_activity/webhooks/1/subscriptions/{BOB}/all"
    ),
    "GET /2/account_activity/subscriptions/count": "/2/account_activity/subscriptions/count",
    "GET /2/chat/conversations": "/2/chat/conversations",
    "GET /2/chat/conversations/{id}": f"/2/chat/conversations/{ALICE_BOB}",
    "GET /2/chat/conversations/{id}/events": f"/2/chat/conversations/{BOB}/events",
    "POST /2/chat/conversations/{id}/messages": f"/2/chat/conversations/{BOB}/messages",
    "POST /2/chat/conversations/{id}/messages/delete": (
        f"/2/chat/conversations/{BOB}/messages/delete"
    ),
    "POST /2/chat/conversations/{id}/read": f"/2/chat/conversations/{BOB}/read",
    "POST /2/chat/conversations/{id}/typing": f"/2/chat/conversations/{BOB}/typing",
    "POST /2/chat/conversations/{id}/keys": f"/2/chat/conversations/{BOB}/keys",
    "POST /2/chat/conversations/group/initialize": "/2/chat/conversations/group/initialize",
    "POST /2/chat/conversations/group": "/2/chat/conversations/group",
    "POST /2/chat/conversations/{id}/members": "/2/chat/conversations/g1/members",
    "POST /2/chat/media/upload/initialize": "/2/chat/media/upload/initialize",
    "POST /2/chat/media/upload/{id}/append": "/2/chat/media/upload/1/append",
    "POST /2/chat/media/upload/{id}/finalize": "/2/chat/media/upload/1/finalize",
    "GET /2/chat/media/{id}/{media_hash_key}": f"/2/chat/media/{ALICE_BOB}/abc",
    "GET /2/users/{id}/public_keys": f"/2/users/{BOB}/public_keys",
    "GET /2/users/public_keys": "/2/users/public_keys",
    "POST /2/users/{id}/public_keys": f"/2/users/{BOB}/public_keys",
    "GET /2/oauth2/authorize": "/2/oauth2/authorize",
    "POST /2/oauth2/authorize": "/2/oauth2/authorize",
    "POST /2/oauth2/token": "/2/oauth2/token",
    "POST /2/oauth2/revoke": "/2/oauth2/revoke",
    "POST /2/bots/{id}/token": "/2/bots/1/token",
    "POST /2/bots": "/2/bots",
    "GET /2/bots": "/2/bots",
    "PUT /2/bots/{id}": "/2/bots/1",
    "DELETE /2/bots/{id}": "/2/bots/1",
    "DELETE /2/bots/{id}/token": "/2/bots/1/token",
    "GET /2/chat/message_requests": "/2/chat/message_requests",
    "GET /2/chat/message_requests/{id}": f"/2/chat/message_requests/{BOB}",
    "POST /2/chat/message_requests/{id}/accept": f"/2/chat/message_requests/{BOB}/accept",
    "GET /2/chat/settings": "/2/chat/settings",
    "PUT /2/chat/settings": "/2/chat/settings",
    "DELETE /2/chat/conversations/{id}": f"/2/chat/conversations/{ALICE_BOB}",
    "POST /2/chat/conversations/{id}/mute": f"/2/chat/conversations/{BOB}/mute",
    "DELETE /2/chat/conversations/{id}/mute": f"/2/chat/conversations/{BOB}/mute",
    "PUT /2/chat/conversations/{id}/message_ttl": "/2/chat/conversations/g1/message_ttl",
    "DELETE /2/chat/conversations/{id}/message_ttl": "/2/chat/conversations/g1/message_ttl",
    "POST /2/chat/conversations/{id}/members/remove": "/2/chat/conversations/g1/members/remove",
    "POST /2/chat/conversations/{id}/admins": "/2/chat/conversations/g1/admins",
    "POST /2/chat/conversations/{id}/admins/remove": "/2/chat/conversations/g1/admins/remove",
    "GET /2/chat/conversations/{id}/admin_requests": "/2/chat/conversations/g1/admin_requests",
    "POST /2/chat/conversations/{id}/admin_requests": "/2/chat/conversations/g1/admin_requests",
    "POST /2/chat/conversations/{id}/admin_requests/{user_id}/approve": (
        f"/2/chat/conversations/g1/admin_requests/{BOB}/approve"
    ),
    "POST /2/chat/conversations/{id}/admin_requests/{user_id}/reject": (
        f"/2/chat/conversations/g1/admin_requests/{BOB}/reject"
    ),
    "PUT /2/chat/conversations/{id}/admin_settings": "/2/chat/conversations/g1/admin_settings",
    "PUT /2/chat/conversations/{id}/screen_capture": "/2/chat/conversations/g1/screen_capture",
    "GET /2/chat/conversations/{id}/pinned_messages": "/2/chat/conversations/g1/pinned_messages",
    "PUT /2/chat/conversations/{id}": "/2/chat/conversations/g1",
    "POST /2/chat/conversations/{id}/invite": "/2/chat/conversations/g1/invite",
    "DELETE /2/chat/conversations/{id}/invite": "/2/chat/conversations/g1/invite",
    "GET /2/chat/conversations/{id}/invites/{token}": (
        "/2/chat/conversations/g1/invites/abcdefghij"
    ),
    "POST /2/chat/conversations/{id}/join_requests": "/2/chat/conversations/g1/join_requests",
    "POST /2/chat/conversations/{id}/join_requests/reject": (
        "/2/chat/conversations/g1/join_requests/reject"
    ),
}


def test_every_route_has_a_sample_path():
    assert set(PATHS) == set(ROUTES) == set(QUERY_PARAMETERS)


def test_the_dm_lookups_declare_x_parameters():
    every = set(_facts.DM_EVENT_LOOKUP_PARAMETERS)
    for route in ROUTES:
        if route.endswith("dm_events"):
            assert set(QUERY_PARAMETERS[route]) == every, route
    assert set(QUERY_PARAMETERS["GET /2/dm_events/{event_id}"]) == set(
        _facts.DM_EVENT_FIELD_PARAMETERS
    )
    for route in ("GET /2/users/me", "GET /2/users/{id}", "GET /2/users/by/username/{username}"):
        assert set(QUERY_PARAMETERS[route]) == set(_facts.USER_LOOKUP_PARAMETERS), route
    assert set(QUERY_PARAMETERS["GET /2/users"]) == {*_facts.USER_LOOKUP_PARAMETERS, "ids"}
    assert set(QUERY_PARAMETERS["GET /2/users/by"]) == {*_facts.USER_LOOKUP_PARAMETERS, "usernames"}
    assert QUERY_PARAMETERS["POST /2/dm_conversations"] == ()
    assert set(QUERY_PARAMETERS["GET /2/media/upload"]) == {"command", "media_id"}


@pytest.mark.parametrize("route", sorted(PATHS))
def test_an_unknown_parameter_is_400_on_every_route(emulator, users, route):
    method, path = route.split(" ", 1)
    # The OAuth 2.0 user token: the media download takes nothing else; /2/bots take the app's.
    app = {"Authorization": f"Bearer {emulator.app_bearer_token}"}
    if path.startswith("/2/bots"):
        response = users[0].request(method, PATHS[route], params={"since_id": "1"}, auth=None,
                                    headers=app)  # fmt: skip
    else:
        response = users[0].request(method, PATHS[route], params={"since_id": "1"}, bearer=True)
    body = assert_problem(response, 400, errors=True)
    assert body["title"] == "Invalid Request"
    assert body["type"] == "https://api.x.com/2/problems/invalid-request"
    allowed = ",".join(sorted(QUERY_PARAMETERS[route]))
    assert body["errors"] == [
        {
            "parameters": {"since_id": ["1"]},
            "message": f"The query parameter [since_id] is not one of [{allowed}]",
        }
    ]


@pytest.mark.parametrize(
    "query",
    [
        "max_results=5&max_results=5",
        "max_results=5&max_results=6",
        "dm_event.fields=id&dm_event.fields=text",
    ],
)
def test_a_repeated_parameter_is_400(users, query):
    body = assert_problem(users[0].get(f"/2/dm_events?{query}"), 400, errors=True)
    name = query.split("=", 1)[0]
    assert body["errors"][0]["message"] == "Duplicate parameters are not allowed"
    assert list(body["errors"][0]["parameters"]) == [name]


@pytest.mark.parametrize(
    "value",
    ["²", "٣", "\uff15", "3\n", " 3", "3 ", "+3", "-3", "3.0", "1e2", "0x10", "", "0" * 13 + "5"],
)
def test_integers_are_ascii_digits_only(users, value):
    response = users[0].get("/2/dm_events", params={"max_results": value})
    body = assert_problem(response, 400, errors=True)
    assert body["errors"][0]["parameters"] == {"max_results": [value]}


def test_plain_digits_are_integers(users):
    users[0].send(BOB)
    for value in ("1", "05", "100"):
        assert users[0].events(max_results=value)["meta"]["result_count"] == 1


@pytest.mark.parametrize("media_id", ["1\n", "\u0661", "12a", "", "12345678901234567890", "-1"])
def test_ids_must_match_the_whole_pattern(users, media_id):
    params = {"command": "STATUS", "media_id": media_id}
    assert_problem(users[0].get("/2/media/upload", params=params), 400, errors=True)


@pytest.mark.parametrize(
    "path",
    [
        "/2/dm_events/1%0A",
        "/2/dm_events/%D9%A1",
        f"/2/dm_conversations/{ALICE_BOB}%0A/dm_events",
        "/2/dm_conversations/with/%C2%B2/dm_events",
        "/2/users/%C2%B2",
    ],
)
def test_path_ids_must_match_the_whole_pattern(users, path):
    assert_problem(users[0].get(path), 400, errors=True)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("dm_event.fields", ""),
        ("dm_event.fields", "id,,text"),
        ("expansions", "sender_id,"),
        ("user.fields", "nope"),
        ("media.fields", "nope"),
        ("tweet.fields", "nope"),
        ("post.fields", "nope"),
        ("event_types", ""),
        ("pagination_token", ""),
    ],
)
def test_empty_or_unknown_values_are_400(users, name, value):
    body = assert_problem(users[0].get("/2/dm_events", params={name: value}), 400, errors=True)
    assert body["errors"][0]["parameters"] == {name: [value]}
