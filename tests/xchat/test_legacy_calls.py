"""The one-line migration: tweepy's legacy DM methods over XChat, ``Client(..., xchat_key=KEY)``.

Alice uses only the legacy methods, through a client of each kind (the ``clients``
fixture); Bob and Carol are XChat users (``tweepy_dm.xchat.XChat``) on the other side.
"""

from __future__ import annotations

import pytest
import requests
import tweepy

from tests.xchat import require_chatxdk

require_chatxdk()

import tweepy_dm  # noqa: E402 (after the check above)
from tweepy_dm import xchat  # noqa: E402

A, B, C = 1111, 2222, 3333


@pytest.fixture(scope="module")
def blobs():
    return {user: xchat.XChat.generate_keys() for user in (A, B, C)}


class World:
    """The emulator, everyone's credentials and registered keys, and Bob's and Carol's XChat."""

    def __init__(self, emulator, blobs):
        self.emulator = emulator
        self.blobs = blobs
        self.credentials = {}
        self.chats = {}
        for user, name in ((A, "alice"), (B, "bob"), (C, "carol")):
            self.credentials[user] = emulator.add_user(user, name, name.title())
            client = tweepy_dm.Client(**self.credentials[user], api_url=emulator.url)
            self.chats[user] = xchat.XChat(client, key_blob=blobs[user], user_id=user)
            self.chats[user].register_keys()

    def alice(self, clients, **kwargs):
        """Alice's legacy client: the only change is xchat_key on this line."""
        kwargs.setdefault("xchat_key", self.blobs[A])
        return clients.make(credentials=self.credentials[A], api_url=self.emulator.url, **kwargs)


@pytest.fixture
def world(dm_emulator, blobs):
    return World(dm_emulator, blobs)


def legacy_script(client, bob_id, carol_id):
    """Written against tweepy's plain legacy DM methods (sync), as users wrote it before."""
    sent = client.create_dm(participant_id=bob_id, text="Hello Bob")
    conversation_id = sent.data["dm_conversation_id"]
    event_id = sent.data["dm_event_id"]
    client.create_dm(dm_conversation_id=conversation_id, text="Second line")
    texts = []
    for page in tweepy.Paginator(
        client.get_dm_events,
        participant_id=bob_id,
        dm_event_fields=["created_at", "sender_id"],
        max_results=1,
    ):
        texts.extend(event.text for event in page.data or [])
    first = client.get_dm_event(event_id, dm_event_fields=["sender_id"]).data
    group = client.create_dm_conversation(participant_ids=[bob_id, carol_id], text="All of us")
    everything = [event.text for event in client.get_dm_events().data]
    client.delete_dm_event(event_id)
    after = [event.text for event in client.get_dm_events(dm_conversation_id=conversation_id).data]
    return {
        "conversation": conversation_id,
        "event_id": int(first.id),
        "first": (first.text, first.sender_id),
        "texts": texts,
        "group": group.data["dm_conversation_id"],
        "everything": everything,
        "after": after,
    }


def test_a_legacy_script_runs_unchanged_but_for_the_client_line(world):
    client = tweepy_dm.Client(
        **world.credentials[A], api_url=world.emulator.url, xchat_key=world.blobs[A]
    )
    result = legacy_script(client, B, C)
    assert result["conversation"] == "1111-2222"
    assert result["first"] == ("Hello Bob", A)
    assert result["texts"] == ["Second line", "Hello Bob"]
    assert result["group"].startswith("g")
    assert result["everything"] == ["All of us", "Second line", "Hello Bob"]
    assert result["after"] == ["Second line"]
    # Bob, on XChat, reads the two messages decrypted and verified (Alice's delete was hers).
    bob = world.chats[B].get_messages(A)
    assert [(m.text, m.sender_id, m.verified) for m in bob] == [
        ("Second line", A, True),
        ("Hello Bob", A, True),
    ]
    assert bob[1].sequence_id == result["event_id"]
    assert [m.text for m in world.chats[C].get_messages(result["group"])] == ["All of us"]
    # Nothing went over the legacy DM routes: X stored no legacy event.
    bob_legacy = tweepy_dm.Client(**world.credentials[B], api_url=world.emulator.url)
    assert bob_legacy.get_dm_events().data is None


def test_replies_from_xchat_users_read_as_legacy_events(clients, world):
    alice = world.alice(clients)
    alice.call("create_dm", participant_id=B, text="ping")
    reply = world.chats[B].send(A, "pong")
    answer = alice.call(
        "get_dm_events",
        participant_id=B,
        dm_event_fields=["sender_id", "created_at", "dm_conversation_id"],
        expansions=["sender_id"],
        user_fields=["username"],
    )
    newest = answer.data[0]
    assert isinstance(newest, tweepy_dm.DirectMessageEvent)
    assert (newest.text, newest.sender_id, newest.event_type) == ("pong", B, "MessageCreate")
    assert newest.dm_conversation_id == "1111-2222"
    assert int(newest.id) == reply.sequence_id
    assert isinstance(newest.id, int)
    assert newest.message_id == reply.id
    assert newest.created_at == reply.created_at
    assert {user.username for user in answer.includes["users"]} == {"alice", "bob"}
    assert answer.errors == []
    one = alice.call("get_dm_event", newest.id).data
    assert (one.text, one.message_id) == ("pong", reply.id)


def test_the_user_id_comes_from_get_me_once_or_from_xchat_user_id(clients, world):
    alice = world.alice(clients)
    assert repr(alice.client._xchat_keys) == "<XChat keys user_id=unknown>"
    alice.call("create_dm", participant_id=B, text="one")
    assert repr(alice.client._xchat_keys) == "<XChat keys user_id=1111>"
    given = world.alice(clients, xchat_user_id=A)
    assert repr(given.client._xchat_keys) == "<XChat keys user_id=1111>"
    assert given.call("get_dm_events").data[0].text == "one"


def test_every_return_type(clients, world):
    world.chats[B].send(A, "typed")
    as_dict = world.alice(clients, return_type=dict).call("get_dm_events")
    assert as_dict["data"][0]["text"] == "typed"
    assert as_dict["meta"]["result_count"] == 1
    if clients.is_async:
        import aiohttp

        raw = world.alice(clients, return_type=aiohttp.ClientResponse).call("get_dm_events")
        payload = clients.run(raw.json())
        assert raw.status == 200
    else:
        raw = world.alice(clients, return_type=requests.Response).call("get_dm_events")
        payload = raw.json()
        assert raw.status_code == 200
    assert payload["data"][0]["text"] == "typed"


def test_a_group_by_its_g_id(clients, world):
    alice = world.alice(clients)
    made = alice.call("create_dm_conversation", participant_ids=[B, C], text="team")
    group = made.data["dm_conversation_id"]
    world.chats[C].send(group, "carol here")
    alice.call("create_dm", dm_conversation_id=group, text="welcome")
    events = alice.call("get_dm_events", dm_conversation_id=group).data
    assert [(e.text, e.sender_id) for e in events] == [
        ("welcome", A),
        ("carol here", C),
        ("team", A),
    ]
    assert {e.dm_conversation_id for e in events} == {group}


def test_a_file_is_encrypted_and_a_media_id_refused(clients, world, tmp_path):
    alice = world.alice(clients)
    photo = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8
    path = tmp_path / "photo.png"
    path.write_bytes(photo)
    alice.call("create_dm", participant_id=B, text="a photo", file=str(path))
    (message,) = world.chats[B].get_messages(A)
    assert message.attachments[0]["filename"] == "photo.png"
    assert world.chats[B].get_media(message) == photo
    event = alice.call("get_dm_events", participant_id=B).data[0]
    assert event.attachments["media"][0]["filesize_bytes"] == len(photo)
    with pytest.raises(ValueError, match="media_id cannot be sent"):
        alice.call("create_dm", participant_id=B, text="legacy media", media_id=123)
    assert len(world.chats[B].get_messages(A)) == 1  # nothing was sent


def test_an_event_that_does_not_decrypt_is_an_error_never_text(clients, world):
    group = world.chats[A].create_group([B])
    world.chats[A].send(group, "before carol")
    world.chats[A].add_members(group, [C])
    world.chats[B].send(group, "after carol")
    carol = clients.make(
        credentials=world.credentials[C], api_url=world.emulator.url, xchat_key=world.blobs[C]
    )
    answer = carol.call("get_dm_events", dm_conversation_id=group)
    assert [event.text for event in answer.data] == ["after carol"]
    (error,) = answer.errors
    stored = [m for m in world.chats[A].get_messages(group) if m.text == "before carol"]
    assert error["resource_id"] == str(stored[0].sequence_id)
    assert error["resource_type"] == "dm_event"
    assert "could not be decrypted or verified" in error["detail"]
    assert "before carol" not in str(answer)


def test_unknown_event_ids_are_not_found(clients, world):
    alice = world.alice(clients)
    alice.call("create_dm", participant_id=B, text="one")
    with pytest.raises(tweepy.NotFound):
        alice.call("get_dm_event", 1234567)
    with pytest.raises(tweepy.NotFound):
        alice.call("delete_dm_event", 1234567)


def test_a_fresh_client_finds_an_event_it_never_saw(clients, world):
    sent = world.chats[B].send(A, "find me")
    alice = world.alice(clients)
    assert alice.call("get_dm_event", sent.sequence_id).data.text == "find me"
    assert alice.call("delete_dm_event", str(sent.sequence_id)).data == {"deleted": True}
    assert world.alice(clients).call("get_dm_events").data is None
    assert [m.text for m in world.chats[B].get_messages(A)] == ["find me"]  # deleted for Alice


def test_all_conversations_page_newest_first(clients, world):
    for text in ("b1", "b2"):
        world.chats[B].send(A, text)
    world.chats[C].send(A, "c1")
    alice = world.alice(clients)
    first = alice.call("get_dm_events", max_results=2)
    assert [e.text for e in first.data] == ["c1", "b2"]
    second = alice.call("get_dm_events", max_results=2, pagination_token=first.meta["next_token"])
    assert [e.text for e in second.data] == ["b1"]
    assert "next_token" not in second.meta
    assert alice.call("get_dm_events", event_types=["ParticipantsJoin"]).data is None


def test_a_conversation_not_started_yet_has_no_events(clients, world):
    answer = world.alice(clients).call("get_dm_events", participant_id=C)
    assert answer.data is None
    assert answer.meta == {"result_count": 0}


def test_the_key_is_secret_and_bad_keys_fail_before_sending(world, tmp_path):
    blob = world.blobs[A]
    client = tweepy_dm.Client(**world.credentials[A], api_url=world.emulator.url, xchat_key=blob)
    shown = repr(client) + repr(vars(client)) + repr(client._xchat_keys)
    assert blob.hex() not in shown
    assert repr(blob) not in shown
    key_file = tmp_path / "alice.key"
    key_file.write_bytes(blob)
    from_file = tweepy_dm.Client(
        **world.credentials[A], api_url=world.emulator.url, xchat_key=key_file
    )
    world.chats[B].send(A, "via the key file")
    assert from_file.get_dm_events().data[0].text == "via the key file"
    with pytest.raises(ValueError, match="not a key blob") as bad:
        tweepy_dm.Client(**world.credentials[A], xchat_key=b"\x07" * 12)
    assert "\\x07" not in str(bad.value)
    with pytest.raises(ValueError, match="cannot be read"):
        tweepy_dm.Client(**world.credentials[A], xchat_key=str(tmp_path / "missing.key"))
    with pytest.raises(TypeError, match="xchat_key must be"):
        tweepy_dm.Client(**world.credentials[A], xchat_key=12345)
    with pytest.raises(TypeError, match="without xchat_key"):
        tweepy_dm.Client(**world.credentials[A], xchat_user_id=A)


def test_paginators_of_both_clients_walk_an_xchat_conversation(clients, world):
    for text in ("one", "two", "three"):
        world.chats[B].send(A, text)
    alice = world.alice(clients)
    if clients.is_async:
        from tweepy.asynchronous import AsyncPaginator

        async def walk():
            pages = AsyncPaginator(alice.client.get_dm_events, participant_id=B, max_results=2)
            return [[event.text for event in page.data] async for page in pages]

        pages = clients.run(walk())
    else:
        pages = [
            [event.text for event in page.data]
            for page in tweepy.Paginator(
                alice.client.get_dm_events, participant_id=B, max_results=2
            )
        ]
    assert pages == [["three", "two"], ["one"]]
