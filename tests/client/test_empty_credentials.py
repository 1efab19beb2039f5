"""Empty-string credentials are sent as tweepy sends them.

tweepy's own tests, and the cassette-replaying tests of many users, create
clients with ``""`` for every credential when no secrets are at hand. tweepy
signs with the empty strings (OAuth 1.0a) or sends ``Authorization: Bearer ``;
so do tweepy_dm's clients. A value that cannot go in a header is still refused
before anything is sent.
"""

from __future__ import annotations

import pytest

from tests.client.test_recordings import CONVERSATION_ID, RECORDINGS, USER_IDS
from tests.helpers import oauth1_is_valid

EMPTY = {
    "bearer_token": "",
    "consumer_key": "",
    "consumer_secret": "",
    "access_token": "",
    "access_token_secret": "",
}
# What a server checks the signature with: oauthlib (so tweepy) leaves out
# oauth_token when the access token is empty, hence None.
SIGNED_WITH = {
    "consumer_key": "",
    "consumer_secret": "",
    "access_token": None,
    "access_token_secret": "",
}


def test_recordings_replay_with_empty_credentials(clients, cassette_vcr):
    """As tweepy's test suite runs: every credential ``""``, the recording answering."""
    cassette_name, reply_id, group_id, (first_id, second_id) = RECORDINGS[clients.kind]
    client = clients.make(credentials=EMPTY)
    with cassette_vcr.use_cassette(cassette_name) as cassette:
        sent = client.call("create_dm", participant_id=USER_IDS[1], text="Testing 1")
        assert sent.data == {"dm_conversation_id": CONVERSATION_ID, "dm_event_id": str(first_id)}
        reply = client.call("create_dm", dm_conversation_id=CONVERSATION_ID, text="Testing 2")
        assert reply.data["dm_event_id"] == reply_id
        group = client.call("create_dm_conversation", text="Testing", participant_ids=USER_IDS)
        assert group.data["dm_conversation_id"] == group_id
        assert client.call("get_dm_events").meta == {"result_count": 0}
        for where in ({"dm_conversation_id": CONVERSATION_ID}, {"participant_id": USER_IDS[1]}):
            events = client.call("get_dm_events", **where).data
            assert [event.id for event in events] == [second_id, first_id]
    assert cassette.play_count == 6
    assert cassette.all_played


@pytest.mark.parametrize("native", [True, False], ids=["tweepy", "tweepy_dm"])
def test_empty_oauth1_credentials_are_signed_as_tweepy_signs_them(clients, native):
    client = clients.recording(credentials=EMPTY, native=native)
    client.call("get_me")
    (sent,) = client.sent
    assert sent.auth_scheme == "OAuth"
    assert 'oauth_consumer_key=""' in sent.headers["Authorization"]
    assert "oauth_token" not in sent.headers["Authorization"]
    assert oauth1_is_valid(sent, SIGNED_WITH)


def test_an_empty_bearer_token_is_sent_as_tweepy_sends_it(clients):
    sent = {}
    for native in (True, False):
        client = clients.recording(credentials=EMPTY, native=native)
        client.call("get_me", user_auth=False)
        sent[native] = client.sent[0].headers["Authorization"]
    assert sent[False] == sent[True]
    assert sent[False].rstrip() == "Bearer"


@pytest.mark.parametrize("user_auth", [True, False])
def test_a_whitespace_only_credential_is_sent_empty(clients, user_auth):
    # Surrounding whitespace is stripped from every credential, this too.
    credentials = {name: " \n" for name in EMPTY}
    client = clients.recording(credentials=credentials)
    client.call("get_dm_events", user_auth=user_auth)
    (sent,) = client.sent
    if user_auth:
        assert oauth1_is_valid(sent, SIGNED_WITH)
    else:
        assert sent.headers["Authorization"].rstrip() == "Bearer"


@pytest.mark.parametrize("bad", ["a\nb", "to\u20acken", "x\x00y"])
def test_what_cannot_go_in_a_header_is_still_refused(clients, bad):
    client = clients.recording(credentials=dict(EMPTY, bearer_token=bad))
    with pytest.raises(ValueError, match="bearer_token holds a character") as error:
        client.call("get_me", user_auth=False)
    assert bad not in str(error.value)
    assert client.sent == []
