"""tweepy_dm's own clients against the emulator, through the pytest plugin's fixtures."""

from __future__ import annotations

import io

import pytest
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.emulator.conftest import PNG
from tweepy_dm.emulator.pytest_plugin import ALICE_ID, BOB_ID


@pytest.mark.parametrize("user_auth", [True, False], ids=["oauth1", "oauth2"])
def test_sync_client_round_trip(dm_users, user_auth):
    alice, bob = dm_users
    client = alice.client()
    sent = client.create_dm(participant_id=bob.id, text="Hello Bob", user_auth=user_auth)
    assert sent.data["dm_conversation_id"] == f"{ALICE_ID}-{BOB_ID}"
    response = bob.client().get_dm_events(
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


def test_sync_group_and_paginator(dm_emulator, dm_users):
    alice, bob = dm_users
    carol = dm_emulator.add_user(3, "carol", "Carol")
    client = alice.client()
    created = client.create_dm_conversation(text="Hi all", participant_ids=[bob.id, 3])
    group = created.data["dm_conversation_id"]
    dm_emulator.seed_messages(group, 45)
    paginator = tweepy.Paginator(
        client.get_dm_events, dm_conversation_id=group, max_results=20
    ).flatten()
    events = list(paginator)
    assert len(events) == 45 + 1 + 3
    assert [event.id for event in events] == sorted((event.id for event in events), reverse=True)
    assert tweepy_dm.Client(api_url=dm_emulator.url, **carol).get_dm_events().data


def test_sync_errors_map_to_tweepy_exceptions(dm_emulator, dm_users):
    alice, bob = dm_users
    bob.client().create_dm(participant_id=alice.id, text="x")
    with pytest.raises(tweepy.Unauthorized):
        alice.client(consumer_secret="wrong").get_dm_events()
    app_only = tweepy_dm.Client(bearer_token=dm_emulator.app_bearer_token, api_url=dm_emulator.url)
    with pytest.raises(tweepy.Forbidden):
        app_only.get_dm_events(user_auth=False)
    outsider = tweepy_dm.Client(api_url=dm_emulator.url, **dm_emulator.add_user(3, "c", "C"))
    with pytest.raises(tweepy.Forbidden):
        outsider.get_dm_events(dm_conversation_id=f"{ALICE_ID}-{BOB_ID}")
    with pytest.raises(tweepy.BadRequest):
        alice.client().create_dm(participant_id=999, text="nobody")
    dm_emulator.inject_fault(503)
    with pytest.raises(tweepy.TwitterServerError):
        alice.client().get_dm_events()


def test_sync_media_upload_attach_download(dm_users):
    alice, bob = dm_users
    client = alice.client()
    media = client.upload_dm_media(io.BytesIO(PNG), media_category="dm_image")
    assert isinstance(media, tweepy_dm.DMMedia)
    sent = client.create_dm(participant_id=bob.id, media_id=media.id, text="pic")
    event = bob.client().get_dm_events(
        dm_event_fields="attachments", expansions="attachments.media_keys", media_fields="url"
    )
    url = event.includes["media"][0].url
    dm_id, media_part, resource_id = url.rsplit("/", 3)[1:]
    assert dm_id == sent.data["dm_event_id"]
    assert bob.client().get_dm_media(dm_id, media_part, resource_id) == PNG


def test_sync_block_and_event_management(dm_users):
    alice, bob = dm_users
    bob.client().block_dms(alice.id)
    with pytest.raises(tweepy.Forbidden):
        alice.client().create_dm(participant_id=bob.id, text="blocked")
    bob.client().unblock_dms(alice.id)
    sent = alice.client().create_dm(participant_id=bob.id, text="again")
    event_id = sent.data["dm_event_id"]
    assert bob.client().get_dm_event(event_id).data.text == "again"
    alice.client().delete_dm_event(event_id)
    # tweepy before 4.7 raises a plain HTTPException for a 404.
    with pytest.raises(tweepy.HTTPException) as raised:
        alice.client().get_dm_event(event_id)
    assert raised.value.response.status_code == 404


@requires_async
@pytest.mark.asyncio
@pytest.mark.parametrize("user_auth", [True, False], ids=["oauth1", "oauth2"])
async def test_async_client_round_trip(dm_users, user_auth):
    alice, bob = dm_users
    client = alice.async_client()
    sent = await client.create_dm(participant_id=bob.id, text="Hello async", user_auth=user_auth)
    response = await bob.async_client().get_dm_events(
        dm_conversation_id=sent.data["dm_conversation_id"],
        dm_event_fields="sender_id",
        user_auth=user_auth,
    )
    assert response.data[0].text == "Hello async"
    assert response.data[0].sender_id == int(ALICE_ID)
    close = getattr(client, "close", None)
    if close is not None:
        await close()


@requires_async
@pytest.mark.asyncio
async def test_async_errors(dm_emulator, dm_users):
    alice, _ = dm_users
    with pytest.raises(tweepy.Unauthorized):
        await alice.async_client(access_token_secret="wrong").get_dm_events()
    dm_emulator.inject_fault(503)
    with pytest.raises(tweepy.TwitterServerError):
        await alice.async_client().get_dm_events()
