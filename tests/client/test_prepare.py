"""The sync client prepares each request itself: exactly as requests' Session would."""

from __future__ import annotations

import hashlib
import string

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

import tweepy_dm
from tests.helpers import examples
from tweepy_dm._client import _prepare


class _Signs:
    """An auth that depends on everything it is given, as an OAuth 1.0a signer does."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
        seen = f"{request.method} {request.url} {sorted(request.headers.items())}".encode()
        request.headers["Authorization"] = hashlib.sha256(seen + body).hexdigest()
        return request


def _both(session, method, url, params=None, json=None, headers=None, auth=None):
    headers = headers if headers is not None else {"User-Agent": "tweepy-dm test"}
    ours = _prepare(session, method, url, params, json, dict(headers), auth or _Signs())
    theirs = session.prepare_request(
        requests.Request(
            method, url, params=params, json=json, headers=dict(headers), auth=auth or _Signs()
        )
    )
    return ours, theirs


def _assert_same(ours, theirs):
    assert ours.method == theirs.method
    assert ours.url == theirs.url
    assert dict(ours.headers) == dict(theirs.headers)
    assert ours.body == theirs.body
    assert dict(ours.hooks) == dict(theirs.hooks)


_ascii = st.text(string.printable, max_size=30)
_value = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20),
    _ascii,
    st.text(max_size=10),  # not ASCII: requests' own encoding takes over
    st.lists(_ascii, max_size=3),  # a list: requests' own encoding takes over
)
_params = st.one_of(st.none(), st.dictionaries(_ascii, _value, max_size=5))
_route = st.one_of(
    st.sampled_from(
        [
            "/2/dm_events",
            "/2/dm_conversations/with/145336962/dm_events",
            "/2/dm_conversations/906948460078698496-1072250532645998596/dm_events",
            "/2/users/me",
            "/2/dm_events/1585321444547837956",
        ]
    ),
    st.text(string.printable, max_size=20).map(lambda text: "/2/" + text),
)
_base = st.sampled_from(
    ["https://api.twitter.com", "http://127.0.0.1:8080", "https://API.X.com", "http://localhost"]
)
_json = st.one_of(
    st.none(),
    st.fixed_dictionaries({"text": st.text(max_size=20)}),
    st.fixed_dictionaries({"message": st.fixed_dictionaries({"text": _ascii})}),
)


@settings(max_examples=examples(2000), deadline=None)
@given(
    method=st.sampled_from(["GET", "POST", "DELETE", "get"]),
    base=_base,
    route=_route,
    params=_params,
    json=_json,
    session_headers=st.dictionaries(
        st.sampled_from(["Accept", "X-Extra", "User-Agent", "Authorization"]),
        st.one_of(st.none(), st.text(string.ascii_letters + " /.", min_size=1, max_size=10)),
        max_size=3,
    ),
)
def test_prepare_gives_what_requests_gives(method, base, route, params, json, session_headers):
    with requests.Session() as session:
        session.headers.update(session_headers)
        try:
            theirs_error = None
            _, theirs = _both(session, method, base + route, params, json)
        except Exception as error:  # requests refuses some URLs; so must we
            theirs_error = type(error)
        if theirs_error is not None:
            with pytest.raises(theirs_error):
                _both(session, method, base + route, params, json)
            return
        ours, theirs = _both(session, method, base + route, params, json)
        _assert_same(ours, theirs)


def test_what_the_session_holds_is_honoured():
    url = "https://api.twitter.com/2/dm_events"
    with requests.Session() as session:
        session.cookies.set("guest_id", "v1%3A1", domain="api.twitter.com")
        ours, theirs = _both(session, "GET", url, {"max_results": 5})
        _assert_same(ours, theirs)
        assert ours.headers["Cookie"] == "guest_id=v1%3A1"
    with requests.Session() as session:
        session.auth = ("user", "password")
        ours, theirs = _both(session, "GET", url)
        _assert_same(ours, theirs)
    calls = []
    with requests.Session() as session:
        session.hooks["response"].append(lambda response, **kwargs: calls.append(response))
        ours, theirs = _both(session, "GET", url)
        _assert_same(ours, theirs)
        assert len(ours.hooks["response"]) == 1


def test_a_changed_session_header_reaches_the_next_request():
    url = "https://api.twitter.com/2/dm_events"
    with requests.Session() as session:
        first, _ = _both(session, "GET", url)
        session.headers["X-Trace"] = "abc"
        second, theirs = _both(session, "GET", url)
        assert "X-Trace" not in first.headers
        assert second.headers["X-Trace"] == "abc"
        _assert_same(second, theirs)


def test_an_invalid_header_is_refused_as_requests_refuses_it():
    url = "https://api.twitter.com/2/dm_events"
    with requests.Session() as session:
        session.headers["X-Bad"] = "line\r\nbreak"
        with pytest.raises(requests.exceptions.InvalidHeader):
            _prepare(session, "GET", url, None, None, {"User-Agent": "x"}, _Signs())


def test_a_hook_on_the_clients_session_runs(dm_emulator):
    seen = []
    credentials = dm_emulator.add_user(1585800613253812230, "prep", "Prep")
    with tweepy_dm.Client(api_url=dm_emulator.url, **credentials) as client:
        client.session.hooks["response"].append(lambda r, **kwargs: seen.append(r.url))
        client.get_dm_events(max_results=1)
        client.session.hooks["response"].clear()
        client.get_dm_events(max_results=1, dm_event_fields=["id", "created_at"])
    assert len(seen) == 1
    assert seen[0].endswith("/2/dm_events?max_results=1")


class _Counting(requests.Session):
    prepared = 0

    def prepare_request(self, request):
        self.prepared += 1
        return super().prepare_request(request)


@pytest.mark.parametrize(
    ("url", "params", "taken"),
    [
        ("https://api.twitter.com/2/dm_events", {"max_results": 5, "dm_event.fields": "id"}, True),
        ("https://api.twitter.com/2/dm_conversations/1-2/messages", None, True),
        ("https://api.twitter.com/2/dm_events", {"q": "caf\u00e9"}, False),
        ("https://api.twitter.com/2/dm_events", {"ids": ["1", "2"]}, False),
        ("https://API.twitter.com/2/dm_events", None, False),
        ("https://api.twitter.com/2/../dm_events", None, False),
        ("https://api.twitter.com/2/dm events", None, False),
    ],
)
def test_which_requests_requests_prepares_itself(url, params, taken):
    with _Counting() as session:
        ours, theirs = _both(session, "GET", url, params)
        _assert_same(ours, theirs)
        # One preparation by _both's own requests call, one more when ours fell back.
        assert session.prepared == (1 if taken else 2)
