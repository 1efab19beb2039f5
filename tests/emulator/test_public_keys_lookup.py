"""``GET /2/users/{id}/public_keys``: a user with no keys, and no such user."""

from __future__ import annotations

import pytest
import tweepy

import tweepy_dm

pytest.importorskip("cryptography", reason="the emulator's XChat routes need cryptography")


def test_a_user_without_keys_has_an_empty_answer_and_an_unknown_user_is_404(emulator):
    alice = emulator.add_user(1, "alice", "Alice")
    client = tweepy_dm.Client(api_url=emulator.url, **alice, return_type=dict)
    assert client.get_user_public_keys(1) == {}
    with pytest.raises(tweepy.NotFound) as raised:
        client.get_user_public_keys(999)
    (error,) = raised.value.api_errors
    assert error["type"] == "https://api.x.com/2/problems/resource-not-found"
    assert error["resource_id"] == "999"
    assert error["detail"] == "Could not find user with id: [999]."
