"""Bad arguments fail before anything is sent, with the documented exception."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import requires_async
from tests.helpers import CREDENTIALS, RecordingAiohttpSession, recording_client

CONVERSATION = "145336962-750362064426721281"
GROUP = "1585800614365339648"

# (method, kwargs, exception, message fragment)
BAD_CALLS = [
    # ids
    ("create_dm", {"participant_id": True, "text": "x"}, TypeError, "participant_id"),
    ("create_dm", {"participant_id": 1.0, "text": "x"}, TypeError, "participant_id"),
    ("create_dm", {"participant_id": 0, "text": "x"}, ValueError, "participant_id"),
    ("create_dm", {"participant_id": -5, "text": "x"}, ValueError, "participant_id"),
    ("create_dm", {"participant_id": 10**19, "text": "x"}, ValueError, "participant_id"),
    ("create_dm", {"participant_id": "000", "text": "x"}, ValueError, "participant_id"),
    ("create_dm", {"participant_id": "12\n", "text": "x"}, ValueError, "participant_id"),
    ("create_dm", {"participant_id": "1" * 20, "text": "x"}, ValueError, "participant_id"),
    ("create_dm", {"participant_id": "１２", "text": "x"}, ValueError, "participant_id"),  # noqa: RUF001 - full-width digits are not ASCII digits
    ("create_dm", {"participant_id": "12", "media_id": "abc"}, ValueError, "media_id"),
    ("create_dm", {"participant_id": "12", "media_id": 2.5}, TypeError, "media_id"),
    ("get_dm_event", {"event_id": None}, TypeError, "event_id"),
    ("get_dm_event", {"event_id": "1/2"}, ValueError, "event_id"),
    ("delete_dm_event", {"event_id": "0"}, ValueError, "event_id"),
    ("block_dms", {"user_id": "../x"}, ValueError, "user_id"),
    ("unblock_dms", {"user_id": b"12"}, TypeError, "user_id"),
    ("get_dm_media", {"dm_event_id": 1, "media_id": 2, "resource_id": "../x"}, ValueError, "resource_id"),
    ("get_dm_media", {"dm_event_id": "x", "media_id": 2, "resource_id": "a"}, ValueError, "dm_event_id"),
    ("get_dm_media", {"dm_event_id": 1, "media_id": 2, "resource_id": 3}, TypeError, "resource_id"),
    # conversation ids
    ("create_dm", {"dm_conversation_id": "12345", "text": "x"}, ValueError, "dm_conversation_id"),
    ("create_dm", {"dm_conversation_id": "1-2-3", "text": "x"}, ValueError, "dm_conversation_id"),
    ("create_dm", {"dm_conversation_id": CONVERSATION + "\n", "text": "x"}, ValueError, "dm_conversation_id"),
    ("create_dm", {"dm_conversation_id": int(GROUP), "text": "x"}, ValueError, "dm_conversation_id"),
    ("get_dm_events", {"dm_conversation_id": "abc"}, ValueError, "dm_conversation_id"),
    # text and message
    ("create_dm", {"participant_id": 1, "text": ""}, ValueError, "text"),
    ("create_dm", {"participant_id": 1, "text": "x" * 10_001}, ValueError, "10,000"),
    ("create_dm", {"participant_id": 1, "text": 5}, TypeError, "text"),
    ("create_dm", {"participant_id": 1}, ValueError, "text, media_id"),
    ("create_dm_conversation", {"participant_ids": [1, 2]}, ValueError, "text, media_id"),
    # participant_ids
    ("create_dm_conversation", {"participant_ids": [1], "text": "x"}, ValueError, "2 to 49"),
    ("create_dm_conversation", {"participant_ids": list(range(1, 51)), "text": "x"}, ValueError, "2 to 49"),
    ("create_dm_conversation", {"participant_ids": [1, "1"], "text": "x"}, ValueError, "repeat"),
    ("create_dm_conversation", {"participant_ids": [1, "x"], "text": "x"}, ValueError, r"participant_ids\[1\]"),
    ("create_dm_conversation", {"participant_ids": "12", "text": "x"}, TypeError, "participant_ids"),
    ("create_dm_conversation", {"participant_ids": 12, "text": "x"}, TypeError, "participant_ids"),
    # lookup parameters
    ("get_dm_events", {"max_results": 0}, ValueError, "max_results"),
    ("get_dm_events", {"max_results": 101}, ValueError, "max_results"),
    ("get_dm_events", {"max_results": "10"}, TypeError, "max_results"),
    ("get_dm_events", {"event_types": "MessageDelete"}, ValueError, "MessageCreate"),
    ("get_dm_events", {"event_types": ["MessageCreate", "messagecreate"]}, ValueError, "event_types"),
    ("get_dm_events", {"event_types": 3}, TypeError, "event_types"),
    # id combinations
    ("create_dm", {"dm_conversation_id": CONVERSATION, "participant_id": 1, "text": "x"}, TypeError, "not both"),
    ("create_dm", {"text": "x"}, TypeError, "required"),
    ("get_dm_events", {"dm_conversation_id": CONVERSATION, "participant_id": 1}, TypeError, "not both"),
]  # fmt: skip
IDS = [f"{name}-{index}" for index, (name, *_) in enumerate(BAD_CALLS)]


@pytest.mark.parametrize(("name", "kwargs", "exception", "fragment"), BAD_CALLS, ids=IDS)
def test_bad_input_is_refused_before_sending(name, kwargs, exception, fragment):
    client, adapter = recording_client()
    with pytest.raises(exception, match=fragment):
        getattr(client, name)(**kwargs)
    assert adapter.sent == []


@requires_async
@pytest.mark.asyncio
@pytest.mark.parametrize(("name", "kwargs", "exception", "fragment"), BAD_CALLS, ids=IDS)
async def test_async_bad_input_is_refused_before_sending(name, kwargs, exception, fragment):
    import tweepy_dm

    client = tweepy_dm.AsyncClient(**CREDENTIALS)
    client.session = session = RecordingAiohttpSession()
    with pytest.raises(exception, match=fragment):
        await getattr(client, name)(**kwargs)
    assert session.sent == []


def test_messages_say_what_is_allowed():
    client, _ = recording_client()
    with pytest.raises(ValueError, match="between 1 and 100, got 500"):
        client.get_dm_events(max_results=500)
    with pytest.raises(ValueError, match=re.escape("'145336962-750362064426721281'")):
        client.create_dm(dm_conversation_id="nope", text="x")


# Property-based: the rules, as strategies of valid and invalid values.
valid_int_ids = st.integers(min_value=1, max_value=10**19 - 1)
valid_str_ids = st.from_regex(r"[0-9]{1,19}", fullmatch=True).filter(lambda s: s.strip("0"))
valid_ids = valid_int_ids | valid_str_ids
bad_value_ids = (
    st.integers(max_value=0)
    | st.integers(min_value=10**19)
    | st.text().filter(lambda s: not re.fullmatch(r"[0-9]{1,19}", s) or not s.strip("0"))
)
bad_type_ids = st.booleans() | st.floats() | st.none() | st.binary() | st.lists(st.integers())
valid_texts = st.text(min_size=1, max_size=300)
conversation_ids = st.from_regex(r"[0-9]{1,19}-[0-9]{1,19}|[0-9]{15,19}", fullmatch=True).filter(
    lambda value: all(part.strip("0") for part in value.split("-"))  # no all-zero user or group
)

RELAXED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@RELAXED
@given(participant_id=valid_ids, text=valid_texts)
def test_valid_one_to_one_messages_are_sent(participant_id, text):
    client, adapter = recording_client((201, {"data": {}}))
    client.create_dm(participant_id=participant_id, text=text)
    [sent] = adapter.sent
    assert sent.path == f"/2/dm_conversations/with/{participant_id}/messages"
    assert sent.json == {"text": text}


@RELAXED
@given(dm_conversation_id=conversation_ids, media_id=valid_ids)
def test_valid_conversation_ids_are_sent(dm_conversation_id, media_id):
    client, adapter = recording_client((201, {"data": {}}))
    client.create_dm(dm_conversation_id=dm_conversation_id, media_id=media_id)
    assert adapter.sent[0].json == {"attachments": [{"media_id": str(media_id)}]}


@RELAXED
@given(participant_ids=st.lists(valid_ids, min_size=2, max_size=49, unique_by=int))
def test_valid_groups_are_sent(participant_ids):
    client, adapter = recording_client((201, {"data": {}}))
    client.create_dm_conversation(participant_ids=participant_ids, text="hi")
    assert adapter.sent[0].json["participant_ids"] == [str(i) for i in participant_ids]


@RELAXED
@given(bad=bad_value_ids)
def test_bad_id_values_raise_value_error(bad):
    client, adapter = recording_client()
    with pytest.raises(ValueError, match="user_id"):
        client.block_dms(bad)
    assert adapter.sent == []


@RELAXED
@given(bad=bad_type_ids)
def test_bad_id_types_raise_type_error(bad):
    client, adapter = recording_client()
    with pytest.raises(TypeError, match="event_id"):
        client.get_dm_event(bad)
    assert adapter.sent == []


@RELAXED
@given(max_results=st.integers().filter(lambda n: not 1 <= n <= 100))
def test_out_of_range_max_results(max_results):
    client, adapter = recording_client()
    with pytest.raises(ValueError, match="max_results"):
        client.get_dm_events(max_results=max_results)
    assert adapter.sent == []


@RELAXED
@given(
    max_results=st.integers(min_value=1, max_value=100),
    event_types=st.lists(
        st.sampled_from(["MessageCreate", "ParticipantsJoin", "ParticipantsLeave"]), min_size=1
    ),
)
def test_valid_lookup_parameters_are_sent(max_results, event_types):
    client, adapter = recording_client()
    client.get_dm_events(max_results=max_results, event_types=event_types)
    assert dict(adapter.sent[0].query) == {
        "max_results": str(max_results),
        "event_types": ",".join(event_types),
    }


@RELAXED
@given(text=st.integers(min_value=10_001, max_value=20_000).map("x".__mul__) | st.just(""))
def test_bad_text_lengths(text):
    client, adapter = recording_client()
    with pytest.raises(ValueError, match="text"):
        client.create_dm(participant_id=1, text=text)
    assert adapter.sent == []
