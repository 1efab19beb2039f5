"""chat.received and chat.sent from the Activity stream and webhooks, decrypted with
``xchat_clients=``: the same DirectMessageEvent as get_dm_events, deduplicated by the
signed message id."""

from __future__ import annotations

import io
import json
import logging

import pytest

from tests.xchat import require_chatxdk

require_chatxdk()

import tweepy_dm  # noqa: E402 (after the check above)
from tweepy_dm import webhooks, xchat  # noqa: E402

A, B, C = 1111, 2222, 3333
SECRET = "consumer-secret-for-xchat-webhooks"


@pytest.fixture(scope="module")
def blobs():
    return {user: xchat.XChat.generate_keys() for user in (A, B, C)}


@pytest.fixture
def setup(dm_emulator, blobs):
    credentials = {}
    for user, name in ((A, "alice"), (B, "bob"), (C, "carol")):
        credentials[user] = dm_emulator.add_user(user, name, name.title())
        client = tweepy_dm.Client(**credentials[user], api_url=dm_emulator.url)
        xchat.XChat(client, key_blob=blobs[user], user_id=user).register_keys()
    alice = xchat.XChat(
        tweepy_dm.Client(**credentials[A], api_url=dm_emulator.url), key_blob=blobs[A], user_id=A
    )
    return dm_emulator, credentials, alice


def _bob(clients, emulator, credentials, blobs):
    return clients.make(credentials=credentials[B], api_url=emulator.url, xchat_key=blobs[B])


def _stream_events(clients, emulator, xchat_clients, count):
    """The first ``count`` events of a stream with one minute of backfill (nothing waits)."""
    kind = tweepy_dm.AsyncActivityStream if clients.is_async else tweepy_dm.ActivityStream
    stream = kind(
        emulator.app_bearer_token,
        api_url=emulator.url,
        initial_backfill_minutes=1,
        xchat_clients=xchat_clients,
    )
    events = []

    def take(event):
        events.append(event)
        if len(events) == count:
            stream.close()

    if clients.is_async:

        async def read():
            async for event in stream:
                take(event)

        clients.run(read())
    else:
        for event in stream:
            take(event)
    return events


def test_the_stream_gives_the_same_direct_message_as_get_dm_events(clients, setup, blobs):
    emulator, credentials, alice = setup
    bob = _bob(clients, emulator, credentials, blobs)
    bob.call("create_activity_subscription", event_type="chat.received", user_id=B)
    sent = alice.send(B, "over the stream")
    (event,) = _stream_events(clients, emulator, bob.client, 1)
    assert event.event_type == "chat.received"
    message = event.direct_message
    assert isinstance(message, tweepy_dm.DirectMessageEvent)
    assert (message.text, message.sender_id, message.message_id) == (
        "over the stream",
        A,
        sent.id,
    )
    rest = bob.call("get_dm_events", participant_id=A).data[0]
    assert message.data == rest.data
    assert (event.sender_id, event.dm_conversation_id) == (A, "1111-2222")


def test_a_chat_event_that_does_not_decrypt_is_delivered_without_text_and_logged(
    clients, setup, blobs, caplog
):
    emulator, credentials, alice = setup
    carol = clients.make(credentials=credentials[C], api_url=emulator.url, xchat_key=blobs[C])
    # Carol's client decrypts Bob's events: not her conversation, not her keys.
    bob = _bob(clients, emulator, credentials, blobs)
    bob.call("create_activity_subscription", event_type="chat.received", user_id=B)
    alice.send(B, "for bob only")
    with caplog.at_level(logging.WARNING, logger="tweepy_dm.xchat"):
        (event,) = _stream_events(clients, emulator, {B: carol.client}, 1)
    assert event.direct_message is None
    assert "for bob only" not in repr(event)
    assert any("Could not decrypt" in record.getMessage() for record in caplog.records)


def _webhook_body(clients, emulator, credentials, blobs, alice):
    bob = _bob(clients, emulator, credentials, blobs)
    bob.call("create_activity_subscription", event_type="chat.received", user_id=B)
    sent = alice.send(B, "by webhook")
    (event,) = _stream_events(clients, emulator, None, 1)
    assert event.direct_message is None  # without xchat_clients: still encrypted
    return bob, sent, json.dumps({"data": event.data}).encode()


def _signature(body):
    return webhooks._sign(webhooks._key(SECRET), body)


def _wsgi_post(app, body):
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_X_TWITTER_WEBHOOKS_SIGNATURE": _signature(body),
    }
    statuses = []
    app(environ, lambda status, headers: statuses.append(status))
    return statuses[0]


async def _asgi_post(app, body):
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/",
        "root_path": "",
        "query_string": b"",
        "headers": [
            (b"content-length", str(len(body)).encode()),
            (webhooks.SIGNATURE_HEADER.lower().encode(), _signature(body).encode()),
        ],
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent = []

    async def receive():
        return messages.pop(0)

    async def send(message):
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"]


def test_webhooks_decrypt_and_drop_a_message_seen_twice(clients, setup, blobs):
    emulator, credentials, alice = setup
    bob, sent, body = _webhook_body(clients, emulator, credentials, blobs, alice)
    handled = []
    # The same message delivered again under another event_uuid (a second subscription,
    # or another product) is the same signed message: handled once.
    envelope = json.loads(body)
    envelope["data"]["event_uuid"] = "another-uuid"
    again = json.dumps(envelope).encode()
    if clients.is_async:
        app = webhooks.asgi_app(SECRET, handled.append, xchat_clients={B: bob.client})
        statuses = [clients.run(_asgi_post(app, item)) for item in (body, body, again)]
    else:
        app = webhooks.wsgi_app(SECRET, handled.append, xchat_clients=bob.client)
        statuses = [_wsgi_post(app, item).split()[0] for item in (body, body, again)]
    assert [int(status) for status in statuses] == [200, 200, 200]
    (event,) = handled
    assert (event.direct_message.text, event.direct_message.message_id) == ("by webhook", sent.id)
    assert event.direct_message.data == bob.call("get_dm_events").data[0].data


def test_xchat_clients_must_hold_xchat_keys(setup):
    emulator, credentials, _ = setup
    plain = tweepy_dm.Client(**credentials[B], api_url=emulator.url)
    with pytest.raises(TypeError, match="xchat_key"):
        tweepy_dm.ActivityStream(emulator.app_bearer_token, xchat_clients=plain)
    with pytest.raises(TypeError, match="xchat_key"):
        webhooks.wsgi_app(SECRET, print, xchat_clients={B: plain})


def test_the_stream_drops_a_message_it_already_delivered(clients, setup, blobs):
    emulator, credentials, alice = setup
    bob, sent, body = _webhook_body(clients, emulator, credentials, blobs, alice)
    data = json.loads(body)["data"]
    # The same message under two event_uuids (two subscriptions, a replay): one delivery.
    events = [tweepy_dm.ActivityEvent({**data, "event_uuid": uuid}) for uuid in ("u1", "u2")]
    if clients.is_async:
        stream = tweepy_dm.AsyncActivityStream(
            emulator.app_bearer_token, api_url=emulator.url, xchat_clients=bob.client
        )
        delivered = clients.run(stream._decrypted(events))
    else:
        stream = tweepy_dm.ActivityStream(
            emulator.app_bearer_token, api_url=emulator.url, xchat_clients=bob.client
        )
        delivered = list(stream._decrypted(events))
    assert [event.event_uuid for event in delivered] == ["u1"]
    assert delivered[0].direct_message.message_id == sent.id
    assert stream.stats.duplicates == 1
