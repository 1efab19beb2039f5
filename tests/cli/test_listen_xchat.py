"""``tweepy-dm listen --xchat-key`` in a real subprocess: chat.received printed decrypted."""

from __future__ import annotations

import json
import sys

import pytest

from tests.cli.helpers import ALICE, BOB, registered_key
from tests.cli.test_listen import _clean_env, _Lines, _listen, _stop

if sys.version_info < (3, 10):
    pytest.skip("chatxdk needs Python 3.10+", allow_module_level=True)
try:
    import chat_xdk  # noqa: F401
except ImportError:
    pytest.skip(
        'chatxdk is not installed (pip install "tweepy-dm[xchat]")', allow_module_level=True
    )

import tweepy_dm


def test_listen_with_the_users_key_prints_chat_messages_decrypted(emulator, users, tmp_path):
    _, alice = registered_key(emulator.url, users[ALICE], ALICE)
    key = tmp_path / "bob.key"
    key.write_bytes(registered_key(emulator.url, users[BOB], BOB)[0])
    bob = users[BOB]
    tweepy_dm.Client(
        api_url=emulator.url, bearer_token=bob["bearer_token"]
    ).create_activity_subscription(event_type="chat.received", user_id=BOB)
    sent = alice.send(BOB, "secret plans")
    env = _clean_env(
        X_API_URL=emulator.url,
        X_APP_BEARER_TOKEN=emulator.app_bearer_token,
        X_CONSUMER_KEY=bob["consumer_key"],
        X_CONSUMER_SECRET=bob["consumer_secret"],
        X_ACCESS_TOKEN=bob["access_token"],
        X_ACCESS_TOKEN_SECRET=bob["access_token_secret"],
        X_XCHAT_KEY_FILE=str(key),
    )
    listener = _listen(env, "--format", "jsonl", "--backfill", "1")
    stdout, stderr = _Lines(listener.stdout), _Lines(listener.stderr)
    try:
        row = json.loads(stdout.next())
        err = _stop(listener, stderr)
    finally:
        if listener.poll() is None:
            listener.kill()
    assert row["event_type"] == "chat.received"
    assert row["text"] == "secret plans"
    assert row["sender_id"] == ALICE
    assert row["dm_conversation_id"] == f"{ALICE}-{BOB}"
    assert row["id"] == str(sent.sequence_id)
    everything = err + stdout.rest()
    assert key.read_bytes().hex() not in everything
    assert bob["access_token_secret"] not in everything
