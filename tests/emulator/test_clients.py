"""tweepy_dm's own clients against the emulator, through the pytest plugin's fixtures.

Each test runs for the sync and the async client (the ``clients`` fixture), which
closes every client it made after the test.
"""

from __future__ import annotations

import io

import pytest
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.emulator.conftest import PNG
from tests.helpers import Clients
from tweepy_dm.emulator.pytest_plugin import ALICE_ID, BOB_ID


def _client(clients, user, **credentials):
    """A client of the fixture's kind for an emulator user; ``credentials`` override theirs."""
    return clients.make(credentials={**user.credentials, **credentials}, api_url=user.api_url)


@pytest.mark.parametrize("user_auth", [True, False], ids=["oauth1", "oauth2"])
def test_round_trip(clients, dm_users, user_auth):
    alice, bob = dm_users
    sent = _client(clients, alice).call(
        "create_dm", participant_id=bob.id, text="Hello Bob", user_auth=user_auth
    )
    assert sent.data["dm_conversation_id"] == f"{ALICE_ID}-{BOB_ID}"
    response = _client(clients, bob).call(
        "get_dm_events",
        dm_event_fields=["sender_id", "created_at"],
        expansions="sender_id",
        user_auth=user_auth,
    )
    event = response.data[0]
    assert isinstance(event, tweepy_dm.DirectMessageEvent)
    assert (event.id, event.text, event.sender_id) == (
        int(sent.data["dm_event_id"]),
        "Hello Bob",
        int(ALICE_ID),
    )
    assert response.includes["users"][0].username == "alice"
    in_conversation = _client(clients, bob).call(
        "get_dm_events",
        dm_conversation_id=sent.data["dm_conversation_id"],
        dm_event_fields="sender_id",
        user_auth=user_auth,
    )
    assert [(e.text, e.sender_id) for e in in_conversation.data] == [("Hello Bob", int(ALICE_ID))]


def test_group_and_paginator(clients, dm_emulator, dm_users):
    alice, bob = dm_users
    carol = dm_emulator.add_user(3, "carol", "Carol")
    client = _client(clients, alice)
    created = client.call("create_dm_conversation", text="Hi all", participant_ids=[bob.id, 3])
    group = created.data["dm_conversation_id"]
    dm_emulator.seed_messages(group, 45)
    events = clients.collect(
        clients.paginator(
            client.client.get_dm_events, dm_conversation_id=group, max_results=20
        ).flatten()
    )
    assert len(events) == 45 + 1 + 3
    assert [event.id for event in events] == sorted((event.id for event in events), reverse=True)
    as_carol = clients.make(credentials=carol, api_url=dm_emulator.url)
    assert as_carol.call("get_dm_events").data


def test_errors_map_to_tweepy_exceptions(clients, dm_emulator, dm_users):
    alice, bob = dm_users
    _client(clients, bob).call("create_dm", participant_id=alice.id, text="x")
    with pytest.raises(tweepy.Unauthorized):
        _client(clients, alice, consumer_secret="wrong").call("get_dm_events")
    with pytest.raises(tweepy.Unauthorized):
        _client(clients, alice, access_token_secret="wrong").call("get_dm_events")
    app_only = clients.make(
        credentials={"bearer_token": dm_emulator.app_bearer_token}, api_url=dm_emulator.url
    )
    with pytest.raises(tweepy.Forbidden):
        app_only.call("get_dm_events", user_auth=False)
    outsider = clients.make(credentials=dm_emulator.add_user(3, "c", "C"), api_url=dm_emulator.url)
    with pytest.raises(tweepy.Forbidden):
        outsider.call("get_dm_events", dm_conversation_id=f"{ALICE_ID}-{BOB_ID}")
    with pytest.raises(tweepy.BadRequest):
        _client(clients, alice).call("create_dm", participant_id=999, text="nobody")
    dm_emulator.inject_fault(503)
    with pytest.raises(tweepy.TwitterServerError):
        _client(clients, alice).call("get_dm_events")


def test_media_upload_attach_download(clients, dm_users):
    alice, bob = dm_users
    client = _client(clients, alice)
    media = client.call("upload_dm_media", io.BytesIO(PNG), media_category="dm_image")
    assert isinstance(media, tweepy_dm.DMMedia)
    sent = client.call("create_dm", participant_id=bob.id, media_id=media.id, text="pic")
    event = _client(clients, bob).call(
        "get_dm_events",
        dm_event_fields="attachments",
        expansions="attachments.media_keys",
        media_fields="url",
    )
    url = event.includes["media"][0].url
    dm_id, media_part, resource_id = url.rsplit("/", 3)[1:]
    assert dm_id == sent.data["dm_event_id"]
    assert _client(clients, bob).call("get_dm_media", dm_id, media_part, resource_id) == PNG


def test_block_and_event_management(clients, dm_users):
    alice, bob = dm_users
    as_alice, as_bob = _client(clients, alice), _client(clients, bob)
    as_bob.call("block_dms", alice.id)
    with pytest.raises(tweepy.Forbidden):
        as_alice.call("create_dm", participant_id=bob.id, text="blocked")
    as_bob.call("unblock_dms", alice.id)
    sent = as_alice.call("create_dm", participant_id=bob.id, text="again")
    event_id = sent.data["dm_event_id"]
    assert as_bob.call("get_dm_event", event_id).data.text == "again"
    as_alice.call("delete_dm_event", event_id)
    # tweepy before 4.7 raises a plain HTTPException for a 404.
    with pytest.raises(tweepy.HTTPException) as raised:
        as_alice.call("get_dm_event", event_id)
    assert clients.status(raised.value.response) == 404


@pytest.mark.parametrize("kind", ["sync", pytest.param("async", marks=requires_async)])
def test_the_fixtures_cleanup_closes_every_session_it_made(kind, dm_users):
    """What the ``clients`` fixture runs after each test: every session opened is closed."""
    clients = Clients(kind)
    alice, _ = dm_users
    caller = _client(clients, alice)
    caller.call("get_dm_events")
    if clients.is_async:
        import aiohttp

        # Outside ``async with`` each request opens and closes its own session: give
        # the client one to keep, as ``async with`` would.
        async def open_session():
            return aiohttp.ClientSession()

        session = caller.client.session = clients.run(open_session())
        clients.close()
        assert session.closed
    else:
        pools = caller.client.session.get_adapter(alice.api_url).poolmanager.pools
        assert len(pools) == 1  # the connection to the emulator
        clients.close()
        assert len(pools) == 0
