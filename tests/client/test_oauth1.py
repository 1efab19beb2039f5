"""tweepy_dm._oauth1 signs exactly as oauthlib (and so tweepy) signs."""

from __future__ import annotations

import re
import time

import oauthlib.oauth1
import pytest
import requests
import tweepy
from hypothesis import example, given, settings
from hypothesis import strategies as st
from requests_oauthlib import OAuth1

from tests.helpers import examples
from tweepy_dm._oauth1 import OAuth1Auth, OAuth1Signer, for_client

CONSUMER_KEY = "xvz1evFS4wEEPTGEFPHBog"
CONSUMER_SECRET = "kAcSOqF21Fu85e7zjz7ZN2U4ZRhfV3WpwPAoE3Z7kBw"
ACCESS_TOKEN = "370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb"
ACCESS_TOKEN_SECRET = "LswwdoUaIvS8ltyTt5jkRh4J50vUPVVHtR2YPi5kE"
KEYS = (CONSUMER_KEY, CONSUMER_SECRET, ACCESS_TOKEN, ACCESS_TOKEN_SECRET)
NONCE = "kYjzVBB8Y0ZFabxSWbWovY3uYSQ2pTgmZeNu2VS4cg"
TIMESTAMP = "1318622958"

# Text as a user may type it: any character UTF-8 can carry.
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=20)
# Mostly the characters that URLs and escaping treat specially.
RESERVED = st.text(
    st.sampled_from(list(":/?#[]@!$&'()*+,;=% ~-._\"<>^`{|}\\é€😀\u0131")), max_size=12
)
VALUES = st.one_of(TEXT, RESERVED, st.integers(0, 10**19).map(str))


def oauthlib_client(keys, nonce=NONCE, timestamp=TIMESTAMP):
    consumer_key, consumer_secret, access_token, access_token_secret = keys
    return oauthlib.oauth1.Client(
        consumer_key,
        client_secret=consumer_secret,
        resource_owner_key=access_token,
        resource_owner_secret=access_token_secret,
        nonce=nonce,
        timestamp=timestamp,
    )


def signer(keys, nonce=NONCE, timestamp=TIMESTAMP):
    return OAuth1Signer(*keys, nonce=lambda _: nonce, timestamp=lambda: timestamp)


def prepared_url(url, params):
    request = requests.PreparedRequest()
    request.prepare_url(url, params)
    return request.url


urls = st.builds(
    lambda scheme, host, port, segments: (
        f"{scheme}://{host}{port}/"
        + "/".join(requests.utils.quote(segment, safe="") for segment in segments)
    ),
    st.sampled_from(["http", "https", "HTTPS"]),
    st.sampled_from(["api.x.com", "API.Twitter.com", "127.0.0.1", "[::1]", "localhost"]),
    st.sampled_from(["", ":80", ":443", ":8080", ":1"]),
    st.lists(st.one_of(st.sampled_from(["2", "dm_events", "with", ":id"]), VALUES), max_size=4),
)
query_params = st.lists(st.tuples(st.one_of(st.sampled_from(["max_results", "dm_event.fields",
    "oauth_x", "a", "a-b", "a_b"]), VALUES), VALUES), max_size=5)  # fmt: skip
keys = st.tuples(TEXT, TEXT, st.one_of(st.just(""), TEXT), TEXT)
methods = st.sampled_from(["GET", "POST", "DELETE", "PUT", "patch", "HEAD"])


@settings(max_examples=examples(600), deadline=None)
@given(keys, methods, urls, query_params, st.one_of(st.none(), query_params), TEXT, TEXT)
@example(KEYS, "GET", "https://api.twitter.com/2/dm_events", [("max_results", "100")], None,
         NONCE, TIMESTAMP)  # fmt: skip
@example(KEYS, "POST", "https://api.x.com/1.1/statuses/update.json",
         [("include_entities", "true")],
         [("status", "Hello Ladies + Gentlemen, a signed OAuth request!")], NONCE, TIMESTAMP)  # fmt: skip
def test_same_authorization_header_as_oauthlib(keys, method, url, query, form, nonce, timestamp):
    url = prepared_url(url, query)
    headers = {}
    if form is not None:
        if method.upper() in ("GET", "HEAD"):
            method = "POST"
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    _, expected, _ = oauthlib_client(keys, nonce, timestamp).sign(url, method, form, headers)
    ours = signer(keys, nonce, timestamp).sign(method, url, body=form)
    assert ours == {"Authorization": expected["Authorization"]}


@settings(max_examples=examples(300), deadline=None)
@given(urls, query_params, methods)
def test_params_sign_as_if_they_were_in_the_url(url, query, method):
    # The async client passes its params apart from the URL it sends them in.
    _, expected, _ = oauthlib_client(KEYS).sign(prepared_url(url, query), method)
    assert signer(KEYS).sign(method, prepared_url(url, None), params=query) == {
        "Authorization": expected["Authorization"]
    }


def test_the_example_from_the_x_documentation():
    # https://docs.x.com/resources/fundamentals/authentication/oauth-1-0a/creating-a-signature
    signed = signer(KEYS).sign(
        "POST",
        "https://api.twitter.com/1.1/statuses/update.json?include_entities=true",
        body={"status": "Hello Ladies + Gentlemen, a signed OAuth request!"},
    )
    assert 'oauth_signature="hCtSmYh%2BiHYCEqBWrE7C7hYmtUk%3D"' in signed["Authorization"]


def requests_pair(method, url, **kwargs):
    """The same request prepared twice, for two auths to sign."""
    prepared = requests.Request(method, url, **kwargs).prepare()
    return prepared, prepared.copy()


def assert_same_as_requests_oauthlib(theirs, ours, keys=KEYS):
    consumer_key, consumer_secret, access_token, access_token_secret = keys
    OAuth1(
        consumer_key,
        client_secret=consumer_secret,
        resource_owner_key=access_token,
        resource_owner_secret=access_token_secret,
        decoding=None,  # as tweepy's OAuth1UserHandler.apply_auth()
        nonce=NONCE,
        timestamp=TIMESTAMP,
    )(theirs)
    OAuth1Auth(*keys, nonce=lambda _: NONCE, timestamp=lambda: TIMESTAMP)(ours)
    assert ours.url == theirs.url
    assert list(ours.headers.items()) == list(theirs.headers.items())
    assert ours.body == theirs.body


@settings(max_examples=examples(300), deadline=None)
@given(
    methods,
    urls,
    query_params,
    st.sampled_from(["none", "form", "json", "text", "empty", "form-charset", "bytes-form"]),
    query_params,
)
def test_auth_signs_prepared_requests_as_requests_oauthlib(method, url, query, kind, form):
    kwargs = {"params": query, "headers": {"User-Agent": "Python/3 Requests tweepy/4.17"}}
    if kind == "form":
        kwargs["data"] = form
    elif kind == "json":
        kwargs["json"] = {"text": "hi", "pairs": form}
    elif kind == "text":
        kwargs["data"] = "a plain text body"
    elif kind == "empty":
        kwargs["data"] = b""
    elif kind == "form-charset":
        kwargs["data"] = form
        kwargs["headers"]["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
    elif kind == "bytes-form":
        kwargs["data"] = requests.models.RequestEncodingMixin._encode_params(form).encode()
        kwargs["headers"]["Content-Type"] = "application/x-www-form-urlencoded"
    theirs, ours = requests_pair(method, url, **kwargs)
    try:
        assert_same_as_requests_oauthlib(theirs, ours)
    except ValueError as raised:
        # Only where requests-oauthlib refuses too (a GET with a form body).
        with pytest.raises(ValueError, match=re.escape(str(raised))):
            assert_same_as_requests_oauthlib(*requests_pair(method, url, **kwargs))
        theirs, _ = requests_pair(method, url, **kwargs)
        with pytest.raises(ValueError, match=re.escape(str(raised))):
            OAuth1(*KEYS)(theirs)


def test_auth_honours_a_host_header_as_oauthlib_does():
    for header in ("Host", "host"):
        theirs, ours = requests_pair(
            "GET", "http://127.0.0.1:8080/2/dm_events", headers={header: "api.x.com"}
        )
        assert_same_as_requests_oauthlib(theirs, ours)


def test_a_multipart_upload_is_signed_without_its_body():
    theirs, ours = requests_pair(
        "POST", "https://api.x.com/2/media/upload", files={"media": ("a.png", b"\x89PNG")}
    )
    assert_same_as_requests_oauthlib(theirs, ours)


@pytest.mark.parametrize(
    ("method", "url", "body", "match"),
    [
        ("GET", "https://api.x.com/2/dm_events", {"a": "b"}, "GET/HEAD requests"),
        ("POST", "https://api.x.com/2/dm_events?a=b c", None, "non urlencoded"),
        ("POST", "https://api.x.com/2/dm_events?a=%zz", None, "Invalid hex"),
        ("POST", "https://api.x.com/2/dm_events", "{not: form}", "not decodable"),
        ("POST", "api.x.com/2/dm_events", None, "missing scheme"),
    ],
)
def test_bad_requests_are_refused_as_oauthlib_refuses_them(method, url, body, match):
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    with pytest.raises(ValueError, match=match):
        oauthlib_client(KEYS).sign(url, method, body, headers)
    with pytest.raises(ValueError, match=match):
        signer(KEYS).sign(method, url, body=body)


def test_a_fresh_nonce_and_the_current_time_for_every_request():
    live = OAuth1Signer(*KEYS)
    headers = [
        live.sign("GET", "https://api.x.com/2/dm_events")["Authorization"] for _ in range(50)
    ]
    nonces = {re.search(r'oauth_nonce="([^"]+)"', header)[1] for header in headers}
    assert len(nonces) == 50
    for header in headers:
        timestamp = int(re.search(r'oauth_timestamp="(\d+)"', header)[1])
        assert abs(timestamp - time.time()) < 60
        # Each still verifies: oauthlib with the same nonce and time signs the same.
        nonce = re.search(r'oauth_nonce="([^"]+)"', header)[1]
        _, expected, _ = oauthlib_client(KEYS, nonce, str(timestamp)).sign(
            "https://api.x.com/2/dm_events"
        )
        assert header == expected["Authorization"]


def test_the_nonce_is_given_the_timestamp():
    seen = []
    OAuth1Signer(*KEYS, nonce=lambda ts: seen.append(ts) or "n", timestamp=lambda: "42").sign(
        "GET", "https://api.x.com/"
    )
    assert seen == ["42"]


def test_no_secret_in_repr_or_errors():
    for thing in (OAuth1Signer(*KEYS), OAuth1Auth(*KEYS)):
        text = repr(thing) + str(thing)
        for secret in KEYS:
            assert secret not in text
        assert not hasattr(thing, "__dict__") or not any(
            secret in repr(vars(thing)) for secret in KEYS[1::2]
        )
    with pytest.raises(TypeError, match="consumer_secret must be a string or None, not bytes"):
        OAuth1Signer(CONSUMER_KEY, CONSUMER_SECRET.encode())
    with pytest.raises(TypeError, match="consumer_key must be a string, not NoneType"):
        OAuth1Signer(None, CONSUMER_SECRET)  # type: ignore[arg-type]


def test_signs_requests_the_emulator_accepts():
    from tweepy_dm.emulator import DMEmulator

    with DMEmulator(host="127.0.0.1") as emulator:
        keys = emulator.add_user(1, "alice", "Alice")
        auth = OAuth1Auth(
            keys["consumer_key"],
            keys["consumer_secret"],
            keys["access_token"],
            keys["access_token_secret"],
        )
        with requests.Session() as session:
            ok = session.get(
                emulator.url + "/2/dm_events",
                params={"max_results": 5, "dm_event.fields": "id,text,created_at"},
                auth=auth,
                timeout=10,
            )
            assert ok.status_code == 200, ok.text
            wrong = OAuth1Auth(
                keys["consumer_key"], "wrong", keys["access_token"], keys["access_token_secret"]
            )
            refused = session.get(emulator.url + "/2/dm_events", auth=wrong, timeout=10)
            assert refused.status_code == 401


def test_one_signer_per_client_until_a_key_changes():
    client = tweepy.Client(
        consumer_key=CONSUMER_KEY,
        consumer_secret=CONSUMER_SECRET,
        access_token=ACCESS_TOKEN,
        access_token_secret=ACCESS_TOKEN_SECRET,
    )
    auth = for_client(client)
    assert for_client(client) is auth
    # Signed with the client's keys: oauthlib, given the same nonce and time, agrees.
    header = auth.sign("GET", "https://api.x.com/2/dm_events")["Authorization"]
    nonce = re.search(r'oauth_nonce="([^"]+)"', header)[1]
    timestamp = re.search(r'oauth_timestamp="([^"]+)"', header)[1]
    _, expected, _ = oauthlib_client(KEYS, nonce, timestamp).sign("https://api.x.com/2/dm_events")
    assert header == expected["Authorization"]
    client.access_token_secret = "another secret"
    changed = for_client(client)
    assert changed is not auth
    assert for_client(client) is changed
    for secret in (CONSUMER_SECRET, ACCESS_TOKEN_SECRET, "another secret"):
        assert secret not in repr(changed)
