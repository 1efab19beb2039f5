"""A client without XChat keys whose legacy send X refuses gets LegacyDMsEnded.

X's answer to a legacy send after the cutover is assumed (``_facts.LEGACY_DM_ENDED_DETAIL``):
a loopback server answers it, and the clients recognise it by status and route.
"""

from __future__ import annotations

import pytest
import tweepy

import tweepy_dm
from tests.helpers import CREDENTIALS
from tests.loopback import LoopbackServer, json_reply
from tweepy_dm import _facts

_REFUSAL = {
    "title": "Forbidden",
    "type": "about:blank",
    "status": 403,
    "detail": _facts.LEGACY_DM_ENDED_DETAIL,
}


@pytest.fixture
def refusing():
    with LoopbackServer(lambda request: json_reply(403, _REFUSAL)) as server:
        yield server


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("create_dm", {"participant_id": 2222, "text": "hi"}),
        ("create_direct_message", {"dm_conversation_id": "1111-2222", "text": "hi"}),
        ("create_dm_conversation", {"participant_ids": [2222, 3333], "text": "hi"}),
    ],
)
def test_a_refused_legacy_send_says_legacy_dms_ended_and_how_to_pass_xchat_key(
    clients, refusing, name, kwargs
):
    caller = clients.make(credentials=CREDENTIALS, api_url=refusing.url)
    with pytest.raises(tweepy_dm.LegacyDMsEnded) as raised:
        caller.call(name, **kwargs)
    error = raised.value
    assert isinstance(error, tweepy.Forbidden)
    assert "2026-12-09" in str(error)
    assert "xchat_key=" in str(error)
    assert str(error).endswith(f"X answered: {_facts.LEGACY_DM_ENDED_DETAIL}")
    assert clients.status(error.response) == 403
    # No credential of the client in the explanation.
    assert not any(secret in str(error) for secret in CREDENTIALS.values())


def test_a_403_elsewhere_stays_a_plain_forbidden(clients, refusing):
    caller = clients.make(credentials=CREDENTIALS, api_url=refusing.url)
    with pytest.raises(tweepy.Forbidden) as raised:
        caller.call("get_dm_events")
    assert not isinstance(raised.value, tweepy_dm.LegacyDMsEnded)
    with pytest.raises(tweepy.Forbidden) as raised:
        caller.call("delete_dm_event", 1234)
    assert not isinstance(raised.value, tweepy_dm.LegacyDMsEnded)


def test_a_file_needs_xchat_keys_and_is_refused_before_sending(clients, refusing, tmp_path):
    caller = clients.make(credentials=CREDENTIALS, api_url=refusing.url)
    picture = tmp_path / "cat.png"
    picture.write_bytes(b"\x89PNG")
    with pytest.raises(ValueError, match="xchat_key"):
        caller.call("create_dm", participant_id=2222, text="look", file=str(picture))
    with pytest.raises(ValueError, match="not both"):
        caller.call("create_dm", participant_id=2222, text="x", file=b"1", media_id=5)
    with pytest.raises(ValueError, match="needs text"):
        caller.call("create_dm_conversation", participant_ids=[2, 3], file=b"1")
    with pytest.raises(TypeError, match="file must be"):
        caller.call("create_dm", participant_id=2222, text="x", file=3.5)
    assert refusing.requests == []


@pytest.mark.parametrize("mode", ["read-only", "off"])
def test_the_emulator_after_the_cutover_gets_the_same_explanation(clients, mode):
    from tweepy_dm.emulator import DMEmulator

    with DMEmulator(legacy_dms=mode) as emulator:
        alice = emulator.add_user(1111, "alice", "Alice")
        emulator.add_user(2222, "bob", "Bob")
        caller = clients.make(credentials=alice, api_url=emulator.url)
        with pytest.raises(tweepy_dm.LegacyDMsEnded, match="2026-12-09") as raised:
            caller.call("create_dm", participant_id=2222, text="hi")
        assert str(raised.value).endswith(f"X answered: {_facts.LEGACY_DM_ENDED_DETAIL}")
        with pytest.raises(tweepy_dm.LegacyDMsEnded):
            caller.call("create_dm_conversation", participant_ids=[2222, 3333], text="hi")
