"""A page of DM events made by the clients: the events, and the Response, tweepy's way makes."""

from __future__ import annotations

import copy
import pickle

import pytest
import tweepy

import tweepy_dm
from tweepy_dm import DirectMessageEvent
from tweepy_dm._models import makes_events

from ..conftest import requires_async

PAGE = {
    "data": [
        {
            "id": "1585321444547837956",
            "event_type": "MessageCreate",
            "text": "see you at 6",
            "sender_id": "906948460078698496",
            "dm_conversation_id": "906948460078698496-1072250532645998596",
            "created_at": "2022-10-28T02:40:35.000Z",
            "referenced_tweets": [{"id": "1585047616533180416"}],
            "unknown": {"kept": True},
        },
        {
            "id": "1585321444547837957",
            "event_type": "ParticipantsJoin",
            "participant_ids": ["12", "13"],
            "created_at": "soon",  # malformed: raises when read, and only then
        },
    ],
    "includes": {"users": [{"id": "12", "name": "Twelve", "username": "twelve"}]},
    "errors": [{"title": "Not Found Error", "detail": "gone"}],
    "meta": {"result_count": 2, "next_token": "1ab2c3"},
}


def _slots(cls):
    return {name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())}


def _state(event):
    """Every slot of the event: set or not, and what it holds."""
    state = {}
    for name in _slots(type(event)):
        for klass in type(event).__mro__:
            member = klass.__dict__.get(name)
            if member is not None and type(member).__name__ == "member_descriptor":
                try:
                    state[name] = member.__get__(event, type(event))
                except AttributeError:
                    state[name] = "<unset>"
                break
    return state


def _response(client, payload, data_type=None):
    """What the client's _make_request returns for ``payload``."""
    payload = copy.deepcopy(payload)
    if hasattr(client, "_construct_response"):
        return client._construct_response(payload, data_type=data_type)
    # tweepy 4.6 builds the Response in _make_request itself, the same way.
    return tweepy.Response(
        client._process_data(payload.get("data"), data_type=data_type),
        client._process_includes(payload.get("includes", {})),
        payload.get("errors", []),
        payload.get("meta", {}),
    )


def _tweepy_way(payload, data_type):
    """tweepy's own client: its _process_data untouched."""
    return _response(tweepy.Client(bearer_token="x"), payload, data_type)


def test_a_page_gives_the_response_and_events_tweepy_gives():
    client = tweepy_dm.Client(bearer_token="x")
    ours = _response(client, PAGE, DirectMessageEvent)
    theirs = _tweepy_way(PAGE, DirectMessageEvent)
    assert type(ours) is type(theirs)
    assert ours.includes == theirs.includes
    assert ours.errors == theirs.errors
    assert ours.meta == theirs.meta
    assert type(ours.data) is list
    assert ours.data == theirs.data
    for mine, expected in zip(ours.data, theirs.data):
        assert type(mine) is DirectMessageEvent
        assert _state(mine) == _state(expected)
        assert mine.data == expected.data  # X's whole object, unknown fields kept


def test_events_of_a_page_read_copy_and_pickle_as_events_made_one_by_one():
    message, join = _response(tweepy_dm.Client(bearer_token="x"), PAGE, DirectMessageEvent).data
    assert message.text == "see you at 6"
    assert message.sender_id == 906948460078698496
    assert message.created_at.year == 2022
    assert [tweet.id for tweet in message.referenced_tweets] == [1585047616533180416]
    assert message["unknown"] == {"kept": True}
    assert join.participant_ids == [12, 13]
    with pytest.raises(ValueError, match="not an X timestamp") as malformed:
        join.created_at  # noqa: B018
    assert malformed.value.__context__ is None  # no lookup's KeyError in its traceback
    for event in (message, join):
        for twin in (copy.copy(event), copy.deepcopy(event), pickle.loads(pickle.dumps(event))):
            assert twin == event
            assert twin.data == event.data
    assert hash(message) == 1585321444547837956


def test_a_subclass_without_init_gets_events_of_its_class():
    class Mine(DirectMessageEvent):
        __slots__ = ()

    assert makes_events(Mine)
    events = _response(tweepy_dm.Client(bearer_token="x"), PAGE, Mine).data
    assert [type(event) for event in events] == [Mine, Mine]
    assert [_state(event) for event in events] == [
        _state(event) for event in _tweepy_way(PAGE, Mine).data
    ]


def test_a_subclass_with_its_own_init_or_new_is_made_by_its_class_call():
    made = []

    class Counting(DirectMessageEvent):
        __slots__ = ()

        def __init__(self, data):
            made.append(data["id"])
            super().__init__(data)

    class Newer(DirectMessageEvent):
        __slots__ = ()

        def __new__(cls, data):
            made.append("new")
            return super().__new__(cls)

    class Meta(type(DirectMessageEvent)):
        def __call__(cls, *args, **kwargs):
            made.append("meta")
            return super().__call__(*args, **kwargs)

    class Metaed(DirectMessageEvent, metaclass=Meta):
        __slots__ = ()

    client = tweepy_dm.Client(bearer_token="x")
    for data_type in (Counting, Newer, Metaed):
        assert not makes_events(data_type)
        events = _response(client, PAGE, data_type).data
        assert [type(event) for event in events] == [data_type, data_type]
    assert made == ["1585321444547837956", "1585321444547837957", "new", "new", "meta", "meta"]


@pytest.mark.parametrize(
    ("event", "error", "match"),
    [
        ({"event_type": "MessageCreate"}, KeyError, "id"),
        ({"id": "1"}, KeyError, "event_type"),
        ({"id": "x", "event_type": "MessageCreate"}, ValueError, "invalid literal"),
        ("not an object", TypeError, "string indices"),
    ],
)
def test_a_malformed_event_raises_what_the_event_class_raises(event, error, match):
    page = {"data": [dict(PAGE["data"][0]), event], "meta": {"result_count": 2}}
    with pytest.raises(error, match=match) as ours:
        _response(tweepy_dm.Client(bearer_token="x"), page, DirectMessageEvent)
    with pytest.raises(error) as theirs:
        _tweepy_way(page, DirectMessageEvent)
    assert str(ours.value) == str(theirs.value)


def test_one_event_and_other_data_types_go_through_tweepy():
    client = tweepy_dm.Client(bearer_token="x")
    one = _response(client, {"data": PAGE["data"][0]}, DirectMessageEvent)
    assert type(one.data) is DirectMessageEvent
    assert _state(one.data) == _state(DirectMessageEvent(PAGE["data"][0]))
    assert _response(client, PAGE).data == PAGE["data"]
    assert _response(client, {"meta": {"result_count": 0}}, DirectMessageEvent).data is None


@requires_async
def test_the_async_client_makes_events_the_same_way():
    client = tweepy_dm.AsyncClient(bearer_token="x")
    ours = _response(client, PAGE, DirectMessageEvent)
    assert [_state(event) for event in ours.data] == [
        _state(event) for event in _tweepy_way(PAGE, DirectMessageEvent).data
    ]
