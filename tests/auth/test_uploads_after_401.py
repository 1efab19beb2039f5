"""A 401 on a streamed upload renews the token but does not send the stream twice."""

from __future__ import annotations

import io

import pytest
import tweepy

import tweepy_dm
from tests.auth.test_oauth2_user_token import login
from tests.helpers import tiny_files


def test_an_upload_refused_with_401_renews_for_the_next_call(emulator, clock, clients):
    emulator.add_user(1, "alice", "Alice")
    emulator.add_user(2, "bob", "Bob")
    token = login(emulator, clock)
    client = clients.make(credentials={"bearer_token": token}, api_url=emulator.url)
    image = tiny_files()["image/png"] + b"\x00" * 5000
    emulator.inject_fault(401, path="/2/media/upload")
    with pytest.raises(tweepy.Unauthorized):
        client.call("upload_dm_media", io.BytesIO(image), user_auth=False)
    assert emulator.oauth2_stats["refreshes"] == 1
    media = client.call("upload_dm_media", io.BytesIO(image), user_auth=False)
    assert isinstance(media, tweepy_dm.DMMedia)
