"""Keyword arguments a lookup does not declare are sent, with tweepy's warning.

tweepy declares its lookups with ``**params``: an unknown keyword is logged as
"Unexpected parameter: ..." and sent as given, which is how a query parameter
X adds is used before a library knows it. Methods tweepy declares without
``**params`` raise ``TypeError`` for it, as tweepy's do.
"""

from __future__ import annotations

import inspect
import logging

import pytest
import tweepy

import tweepy_dm
from tests.conftest import _ASYNC_BASE, _ASYNC_MISSING
from tweepy_dm._endpoints import ENDPOINTS

_TWEEPY = tuple(int(part) for part in tweepy.__version__.split(".")[:2])

EXTRA_PARAMS = [endpoint for endpoint in ENDPOINTS if endpoint.extra_params]


def _warnings(caplog):
    return [
        record.getMessage()
        for record in caplog.records
        if record.getMessage().startswith("Unexpected parameter")
    ]


def test_the_dm_lookups_take_unknown_parameters():
    assert {endpoint.name for endpoint in EXTRA_PARAMS} == {
        "get_direct_message_events",
        "get_direct_message_event",
    }


@pytest.mark.parametrize("client_class", ["Client", "AsyncClient"])
def test_our_methods_take_params_exactly_where_tweepys_do(client_class):
    """Whatever tweepy is installed: same name, same ``**params`` (or none)."""
    if client_class == "AsyncClient":
        if _ASYNC_BASE is None:
            pytest.skip(_ASYNC_MISSING or "no AsyncClient")
        ours, theirs = tweepy_dm.AsyncClient, _ASYNC_BASE
    else:
        ours, theirs = tweepy_dm.Client, tweepy.Client

    def takes_params(method):
        kinds = [p.kind for p in inspect.signature(method).parameters.values()]
        return inspect.Parameter.VAR_KEYWORD in kinds

    compared = 0
    for endpoint in ENDPOINTS:
        for name in (endpoint.name, *endpoint.aliases):
            assert takes_params(getattr(ours, name)) == endpoint.extra_params, name
            tweepys = getattr(theirs, name, None)
            if tweepys is not None:
                assert takes_params(tweepys) == endpoint.extra_params, name
                compared += 1
    if _TWEEPY >= (4, 12):  # tweepy's DM methods came in 4.12
        assert compared >= 6


@pytest.mark.parametrize("endpoint", EXTRA_PARAMS, ids=lambda endpoint: endpoint.name)
def test_signature_shows_params(endpoint):
    parameters = inspect.signature(getattr(tweepy_dm.Client, endpoint.name)).parameters
    assert list(parameters)[-1] == "params"
    assert parameters["params"].kind is inspect.Parameter.VAR_KEYWORD


@pytest.mark.parametrize(
    ("name", "args", "path"),
    [
        ("get_dm_events", (), "/2/dm_events"),
        ("get_direct_message_events", (), "/2/dm_events"),
        ("get_direct_message_event", (42,), "/2/dm_events/42"),
    ],
)
def test_unknown_parameter_is_sent_as_given_with_tweepys_warning(clients, caplog, name, args, path):
    client = clients.recording((200, {"meta": {"result_count": 0}}))
    with caplog.at_level(logging.WARNING):
        client.call(
            name, *args, dm_event_fields="id", bogus_param=3, other_flag=["a", "b"], skipped=None
        )
    (sent,) = client.sent
    assert sent.path == path
    assert sent.query == (
        ("bogus_param", "3"),
        ("dm_event.fields", "id"),
        ("other_flag", "a,b"),
    )
    assert _warnings(caplog) == [
        "Unexpected parameter: bogus_param",
        "Unexpected parameter: other_flag",
    ]


def test_unknown_parameter_through_the_dotted_name_is_not_warned_about(clients, caplog):
    client = clients.recording((200, {"meta": {"result_count": 0}}))
    with caplog.at_level(logging.WARNING):
        client.call("get_direct_message_events", **{"dm_event.fields": "id"})
    assert client.sent[0].query == (("dm_event.fields", "id"),)
    assert _warnings(caplog) == []


def test_declared_parameters_are_still_checked(clients):
    client = clients.recording()
    with pytest.raises(ValueError, match="max_results"):
        client.call("get_dm_events", max_results=1000, bogus_param=1)
    with pytest.raises(TypeError, match="not both"):
        client.call("get_dm_events", participant_id=1, dm_conversation_id="1-2", bogus_param=1)
    assert client.sent == []


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("create_dm", {"participant_id": 2, "text": "hi"}),
        ("create_direct_message_conversation", {"participant_ids": [2, 3], "text": "hi"}),
        ("get_activity_subscriptions", {}),
        ("get_chat_conversations", {}),
    ],
)
def test_other_methods_refuse_unknown_keywords(clients, name, kwargs):
    client = clients.recording()
    with pytest.raises(TypeError, match="bogus_param"):
        client.call(name, **kwargs, bogus_param=3)
    assert client.sent == []


def test_x_answers_400_for_a_parameter_it_does_not_know(clients, dm_emulator, caplog):
    """What a script passing an unknown parameter sees: the warning, then X's answer."""
    alice = dm_emulator.add_user(1, "alice", "Alice")
    dm_emulator.add_user(2, "bob", "Bob")
    client = clients.make(credentials=alice, api_url=dm_emulator.url)
    client.call("create_dm", participant_id=2, text="hi")
    with caplog.at_level(logging.WARNING), pytest.raises(tweepy.BadRequest) as refused:
        client.call("get_dm_events", participant_id=2, dm_event_fields="id", bogus_param=3)
    assert clients.status(refused.value.response) == 400
    assert "bogus_param" in str(refused.value)
    assert _warnings(caplog) == ["Unexpected parameter: bogus_param"]
    # A parameter X knows, passed under its dotted name, goes through.
    response = client.call("get_dm_events", participant_id=2, **{"dm_event.fields": "id,text"})
    assert [event.text for event in response.data] == ["hi"]
