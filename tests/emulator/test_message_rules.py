"""A message's rules (text, attachment, length, Unicode) are the DM backend's: it refuses with
domain errors, whoever sends (a route or a back door), and the routes render them as X does."""

from __future__ import annotations

import pytest

from tests.helpers import FakeClock
from tweepy_dm import _facts
from tweepy_dm.emulator._backend import DMBackend, Invalid
from tweepy_dm.emulator._errors import Problem
from tweepy_dm.emulator._routes import problem_for
from tweepy_dm.emulator._state import EmulatorDB


@pytest.fixture
def backend():
    store = EmulatorDB(None, FakeClock())
    for user_id, name in ((1, "one"), (2, "two"), (3, "three")):
        store.add_user(user_id, name, name.title())
    yield DMBackend(store)
    store.close()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "1 to 10000 characters"),
        ("x" * (_facts.MAX_TEXT_LENGTH + 1), "1 to 10000 characters"),
        ("a\ud800b", "lone surrogate"),
        (None, "One of `text` or `attachments` is required"),
    ],
)
def test_the_backend_refuses_a_bad_message_before_storing_it(backend, text, match):
    with pytest.raises(Invalid, match=match) as refused:
        backend.send_to_user(1, 2, text, None)
    assert not isinstance(refused.value, Problem)  # a domain error, no HTTP
    assert refused.value.field == "text"
    with pytest.raises(Invalid, match=match):
        backend.send_into(1, "1-2", text, None)
    assert backend.store.participants("1-2") == []  # nothing was stored


def test_a_groups_first_message_is_named_as_in_the_body(backend):
    with pytest.raises(Invalid, match=r"`message\.text`") as refused:
        backend.create_group(1, [2, 3], "", None)
    problem = problem_for(refused.value)
    assert problem.status == 400
    assert problem.body()["errors"] == [
        {
            "parameters": {"message.text": [""]},
            "message": "`message.text` must be a string of 1 to 10000 characters",
        }
    ]


def test_the_longest_text_is_sent(backend):
    conversation_id, event_id = backend.send_to_user(1, 2, "x" * _facts.MAX_TEXT_LENGTH, None)
    assert conversation_id == "1-2"
    assert backend.store.event(event_id).text == "x" * _facts.MAX_TEXT_LENGTH
