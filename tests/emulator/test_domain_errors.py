"""The emulator's rules refuse with domain errors that carry X's problem type; the
routes alone turn them into HTTP answers (as moto's service exceptions do)."""

from __future__ import annotations

import pytest

from tweepy_dm import _facts
from tweepy_dm.emulator._activity import ActivityHub
from tweepy_dm.emulator._backend import DMError, NotMessageable, TooManyConnections
from tweepy_dm.emulator._errors import Problem
from tweepy_dm.emulator._routes import problem_for


def test_the_hub_refuses_a_stream_past_the_limit_with_a_domain_error(emulator):
    hub = ActivityHub(emulator._store, max_connections=1)
    first = hub.open_stream(None, None)
    with pytest.raises(TooManyConnections) as refused:
        hub.open_stream(None, None)
    assert isinstance(refused.value, DMError)
    assert not isinstance(refused.value, Problem)  # no HTTP in the rules
    first.close()
    hub.open_stream(None, None).close()  # the slot was freed


def test_the_routes_render_it_as_xs_429():
    problem = problem_for(TooManyConnections())
    assert (problem.status, problem.title) == (429, "ConnectionException")
    assert problem.type == "https://api.twitter.com/2/problems/streaming-connection"
    assert "connection limit" in problem.detail


def test_recipient_not_messageable_is_rendered_with_its_type():
    problem = problem_for(NotMessageable("You cannot send messages to this user.", "id", 1))
    assert problem.status == 403
    assert problem.type == _facts.RECIPIENT_NOT_MESSAGEABLE
    assert problem.title == _facts.RECIPIENT_NOT_MESSAGEABLE_TITLE
