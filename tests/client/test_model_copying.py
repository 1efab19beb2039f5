"""A DirectMessageEvent whose fields were never read copies and pickles whole."""

from __future__ import annotations

import copy
import pickle

import pytest

from tests.client.test_model_fields_on_read import EVENT, EXPECTED
from tweepy_dm import DirectMessageEvent
from tweepy_dm._models import _READERS

COPIES = {
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
    **{
        f"pickle protocol {protocol}": lambda event, protocol=protocol: pickle.loads(
            pickle.dumps(event, protocol)
        )
        for protocol in range(pickle.HIGHEST_PROTOCOL + 1)
    },
}


@pytest.mark.parametrize("how", sorted(COPIES))
def test_an_event_never_read_copies_to_an_equal_event_with_the_same_fields(how):
    event = DirectMessageEvent(dict(EVENT))
    copied = COPIES[how](event)
    assert type(copied) is DirectMessageEvent
    assert copied == event
    assert hash(copied) == hash(event)
    assert copied.data == EVENT
    assert (copied.id, copied.event_type) == (1585321444547837956, "MessageCreate")
    for name in _READERS:
        assert getattr(copied, name) == getattr(event, name), name
    assert [tweet.id for tweet in copied.referenced_tweets] == [1585047616533180416]
    assert copied["text"] == "see you"
    assert repr(copied) == repr(event)


@pytest.mark.parametrize("how", sorted(COPIES))
def test_a_read_event_copies_what_it_read(how):
    event = DirectMessageEvent(dict(EVENT))
    assert event.created_at == EXPECTED["created_at"]
    copied = COPIES[how](event)
    assert copied.created_at == event.created_at
    assert copied.sender_id == EXPECTED["sender_id"]


@pytest.mark.parametrize("how", sorted(COPIES))
def test_an_attribute_set_by_hand_is_copied(how):
    event = DirectMessageEvent(dict(EVENT))
    event.sender_id = 42  # as the XChat layer sets a decrypted message's sender
    event.text = "decrypted"
    event.created_at = None
    copied = COPIES[how](event)
    assert (copied.sender_id, copied.text, copied.created_at) == (42, "decrypted", None)
    assert copied.data == EVENT


def test_a_deep_copy_has_its_own_data():
    event = DirectMessageEvent({"id": "1", "event_type": "MessageCreate", "text": "hi"})
    copied = copy.deepcopy(event)
    copied.data["text"] = "changed"
    assert event.text == "hi"
    assert event.data["text"] == "hi"


@pytest.mark.parametrize("how", sorted(COPIES))
def test_a_stream_event_whose_data_is_made_on_first_use_copies(how):
    made = {"id": "5", "event_type": "MessageCreate", "text": "hi", "sender_id": "7"}
    event = DirectMessageEvent._deferred(5, "MessageCreate", "hi", lambda: dict(made))
    copied = COPIES[how](event)
    assert copied == event
    assert (copied.text, copied.sender_id, copied.data) == ("hi", 7, made)
