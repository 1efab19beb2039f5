"""Property: nothing a client sends makes the emulator answer 5xx, and every error is X's JSON.

Generated bodies (JSON, multipart, forms, raw bytes), queries, path values and
headers go to every route the emulator declares, with every method, signed by a
user (OAuth 1.0a or OAuth 2.0), by the app, or not at all. Routes come from the
emulator itself, so a route added later is covered without touching this file.
"""

from __future__ import annotations

import base64
import json
import re
import socket
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
import requests
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from tests.emulator.conftest import ALICE, BOB, CAROL, PNG, Api
from tweepy_dm.emulator import DMEmulator, _routes
from tweepy_dm.emulator._ids import encode_token

SETTINGS = settings(
    max_examples=100,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]


def _routes_of(emulator: DMEmulator) -> list[str]:
    declared = getattr(_routes, "ROUTES", None)
    if declared:
        return list(declared)
    return [route.endpoint for route in emulator._server.app.routes]


class World:
    """One emulator with users, conversations, events and media to aim at."""

    def __init__(self, emulator: DMEmulator) -> None:
        self.emulator = emulator
        self.url = emulator.url
        self.users = [
            Api(emulator.url, emulator.add_user(user_id, name.lower(), name), user_id)
            for user_id, name in ((ALICE, "Alice"), (BOB, "Bob"), (CAROL, "Carol"))
        ]
        alice = self.users[0]
        media = alice.upload(PNG, "dm_image")
        sent = alice.post(
            f"/2/dm_conversations/with/{BOB}/messages",
            json={"text": "with media", "attachments": [{"media_id": media["id"]}]},
        ).json()["data"]
        emulator.seed_messages(DMEmulator.conversation_id(ALICE, BOB), 30)
        group = emulator.create_group(ALICE, [BOB, CAROL])
        page = alice.events(max_results=5)
        fields = {"dm_event.fields": "attachments", "expansions": "attachments.media_keys"}
        event = alice.events(f"/2/dm_events/{sent['dm_event_id']}", **fields)
        media_url = (event.get("includes") or {}).get("media", [{}])[0].get("url", "")
        self.ids = [
            ALICE,
            BOB,
            CAROL,
            sent["dm_event_id"],
            sent["dm_conversation_id"],
            f"{BOB}-{ALICE}",
            group,
            media["id"],
            page["meta"].get("next_token", ""),
            *media_url.rsplit("/", 3)[-3:],
            "alice",
            "bob",
        ]
        self.tokens = [page["meta"].get("next_token", ""), page["meta"].get("previous_token", "")]
        self.media_id = media["id"]


@pytest.fixture(scope="module")
def world():
    with DMEmulator() as emulator:
        yield World(emulator)


# Strategies

_ODD_VALUES = [
    "0",
    "-1",
    "+1",
    "00000000000000000001",
    "9" * 19,
    "9" * 20,
    "9" * 400,
    "1-2",
    "2-1",
    "1-1",
    "0-0",
    f"{ALICE}-{ALICE}",
    "\u0663",  # Arabic-Indic 3
    "\u00b2",  # superscript 2
    "3\n",
    " 3",
    "1e3",
    "0x10",
    "",
    "null",
    "true",
    "[]",
    "%ED%A0%80",  # a lone surrogate, percent-encoded
    "%FF%FE",
    "%00",
    "%2F",
    "%",
    "..",
    "\u00e9",
]


def _mostly(likely: st.SearchStrategy[Any], *others: st.SearchStrategy[Any]) -> Any:
    """``likely`` two times in three, so that most examples get past the first check."""
    return st.integers(0, 2).flatmap(lambda roll: likely if roll else st.one_of(*others))


#: Ids at the edges of what a 64-bit column holds.
_EDGE_IDS = ["9223372036854775807", "9223372036854775808", "18446744073709551616", "9" * 19]


def _segment(world: World) -> st.SearchStrategy[str]:
    return _mostly(
        st.sampled_from(world.ids),
        st.sampled_from(_EDGE_IDS),
        st.sampled_from(_ODD_VALUES).map(lambda value: quote(value, safe="%")),
        st.from_regex(r"[0-9]{1,22}(-[0-9]{1,22})?", fullmatch=True),
        st.text(max_size=25).map(lambda value: quote(value, safe="")),
    ).filter(bool)


def _path(world: World, template: str) -> st.SearchStrategy[str]:
    parts = re.split(r"(\{\w+\})", template)
    return st.tuples(
        *(_segment(world) if part.startswith("{") else st.just(part) for part in parts)
    ).map("".join)


_FIELD_WORDS = [
    "attachments",
    "created_at",
    "dm_conversation_id",
    "entities",
    "event_type",
    "id",
    "participant_ids",
    "referenced_tweets",
    "referenced_posts",
    "sender_id",
    "text",
    "MessageCreate",
    "ParticipantsJoin",
    "attachments.media_keys",
    "referenced_tweets.id",
    "referenced_posts.id",
    "username",
    "name",
    "receives_your_dm",
    "pinned_tweet_id",
    "STATUS",
    "alice",
    "bob",
]
_QUERY_NAMES = [
    "dm_event.fields",
    "event_types",
    "expansions",
    "max_results",
    "pagination_token",
    "media.fields",
    "user.fields",
    "tweet.fields",
    "post.fields",
    "command",
    "media_id",
    "ids",
    "usernames",
    "since_id",
    "",
]


def _query_value(world: World) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(st.sampled_from(_FIELD_WORDS), max_size=4).map(",".join),
        st.sampled_from(world.ids + world.tokens + _ODD_VALUES),
        st.lists(st.sampled_from(world.ids + _ODD_VALUES), max_size=120).map(",".join),
        st.integers(-5, 1000).map(str),
        st.text(max_size=30),
        # Well-formed pagination tokens pointing anywhere, far past any event too.
        st.builds(encode_token, st.integers(0, 255), st.integers(0, 2**64 - 1)),
    )


def _query(world: World) -> st.SearchStrategy[str]:
    pair = st.tuples(st.sampled_from(_QUERY_NAMES) | st.text(max_size=10), _query_value(world))
    return st.one_of(
        st.lists(pair, max_size=5).map(lambda pairs: urlencode(pairs, safe=",")),
        st.sampled_from(["a=%ZZ", "&&=&", "max_results=5&max_results=6", "=", "%", "a=b=c"]),
    )


_KEYS = [
    "text",
    "attachments",
    "media_id",
    "message",
    "conversation_type",
    "participant_ids",
    "media",
    "media_category",
    "media_type",
    "total_bytes",
    "segment_index",
    "media_data",
    "shared",
    "additional_owners",
]
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            *("Group", "dm_image", "dm_video", "dm_gif", "tweet_image", "subtitles"),
            *("image/png", "video/mp4", "image/gif", "text/srt", ""),
            *(base64.b64encode(PNG).decode(), ALICE, BOB, CAROL, "02", "0" + BOB, "\u0663"),
        ]
    ),
)


def _json_body(world: World) -> st.SearchStrategy[bytes]:
    values = st.recursive(
        _SCALARS | st.sampled_from(world.ids),
        lambda inner: (
            st.lists(inner, max_size=5)
            | st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=8), inner, max_size=5)
        ),
        max_leaves=12,
    )
    documents = st.dictionaries(st.sampled_from(_KEYS), values, max_size=6) | values
    special = st.sampled_from(
        [
            b"[" * 100_000 + b"]" * 100_000,
            b'{"text":' * 5000 + b'"x"' + b"}" * 5000,
            b'{"text": "\\ud800"}',
            b'{"text": "\\udfff\\ud800 x"}',
            b'{"message": {"text": "\\ud83d"}, "conversation_type": "Group",'
            b' "participant_ids": ["' + BOB.encode() + b'", "' + CAROL.encode() + b'"]}',
            b'{"text": "a", "text": "b"}',
            b'{"text": NaN}',
            b'{"total_bytes": 1e999999, "media_type": "video/mp4", "media_category": "dm_video"}',
            b'{"total_bytes": ' + b"9" * 5000 + b"}",
            b'{"participant_ids": ["' + BOB.encode() + b'", "0' + BOB.encode() + b'"],'
            b' "conversation_type": "Group", "message": {"text": "hi"}}',
            b'{"attachments": [{"media_id": "' + world.media_id.encode() + b'"}]}',
            b"\xef\xbb\xbf{}",
            b"\xff\xfe{\x00}\x00",
            b"",
        ]
    )
    text = st.text(min_size=1, max_size=40)
    message = st.fixed_dictionaries(
        {"text": text},
        optional={"attachments": st.just([{"media_id": world.media_id}])},
    )
    members = st.lists(st.sampled_from([ALICE, BOB, CAROL, "0" + BOB, "1"]), max_size=4)
    plausible = st.one_of(
        message,
        st.fixed_dictionaries(
            {"conversation_type": st.just("Group"), "participant_ids": members, "message": message}
        ),
        st.fixed_dictionaries(
            {
                "media_category": st.sampled_from(["dm_image", "dm_video", "dm_gif", "x"]),
                "media_type": st.sampled_from(["image/png", "video/mp4", "image/gif", "x/y"]),
                "total_bytes": st.integers(-1, 2**40),
            }
        ),
        st.fixed_dictionaries(
            {"media": st.just(base64.b64encode(PNG).decode())},
            optional={"media_category": st.sampled_from(["dm_image", "dm_gif", "tweet_image"])},
        ),
    )
    return st.one_of(
        plausible.map(lambda doc: json.dumps(doc).encode()),
        documents.map(lambda doc: json.dumps(doc).encode()),
        special,
    )


_BOUNDARY = "xYzZY"


def _multipart(world: World) -> st.SearchStrategy[bytes]:
    part = st.tuples(
        st.sampled_from(["media", "media_category", "media_type", "segment_index", "media_data"])
        | st.text(max_size=8),
        st.one_of(
            st.binary(max_size=64),
            st.just(PNG),
            st.sampled_from([b"0", b"999", b"1000", b"-1", b"dm_image", b"image/png", b"\xff"]),
        ),
        st.booleans(),
    )

    def build(parts: list[tuple[str, bytes, bool]], closed: bool) -> bytes:
        out = b""
        for name, data, with_filename in parts:
            disposition = f'form-data; name="{name}"'
            if with_filename:
                disposition += '; filename="blob"'
            out += f"--{_BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n".encode(
                "utf-8", "surrogateescape"
            )
            out += data + b"\r\n"
        return out + (f"--{_BOUNDARY}--\r\n".encode() if closed else b"")

    return st.builds(build, st.lists(part, max_size=4), st.booleans())


def _body(world: World) -> st.SearchStrategy[tuple[str, bytes]]:
    multipart_type = f"multipart/form-data; boundary={_BOUNDARY}"
    return st.one_of(
        st.tuples(st.just("application/json"), _json_body(world)),
        st.tuples(st.sampled_from([multipart_type, "multipart/form-data"]), _multipart(world)),
        st.tuples(
            st.just("application/x-www-form-urlencoded"),
            st.lists(st.tuples(st.sampled_from(_KEYS), _query_value(world)), max_size=4).map(
                lambda pairs: urlencode(pairs).encode()
            ),
        ),
        st.tuples(
            st.sampled_from(["", "text/plain", "application/json; charset=latin-1", "x/y;;;"]),
            st.binary(max_size=100),
        ),
    )


#: Host headers that make no URL, or not the emulator's, and schemes for X-Forwarded-Proto.
_ODD_HOSTS = ["[::1", "x:y:z", "[", "::::", "x:99999999999", "", "a b", "api.x.com", "https", "FTP"]
_LATIN1 = st.characters(min_codepoint=0x20, max_codepoint=0xFF, blacklist_characters="\x7f")
_AUTHORIZATION = st.one_of(
    st.sampled_from(
        [
            "",
            "Bearer",
            "Bearer ",
            "Basic Zm9vOmJhcg==",
            "OAuth",
            "OAuth ",
            'OAuth oauth_consumer_key="',
            'OAuth oauth_consumer_key="a", oauth_consumer_key="b"',
            'OAuth oauth_signature_method="PLAINTEXT", oauth_signature="a%26b"',
            'OAuth oauth_token="%ZZ", oauth_nonce="\u00e9"',
            "OAuth ====",
        ]
    ),
    st.text(_LATIN1, max_size=40),
)


def _describe(method: str, path: str, query: str, auth: str, headers: Any, body: bytes) -> str:
    return f"{method} {path}?{query} auth={auth} headers={dict(headers)!r} body={body[:300]!r}"


def _check(response: requests.Response, method: str, described: str) -> None:
    with response:  # read the body of errors only: a success may be an endless stream
        if response.status_code >= 400:
            response.content  # noqa: B018
    assert response.status_code < 500, f"{response.status_code} for {described}: {response.text}"
    path = urlsplit(response.url).path
    if response.status_code >= 400 and method != "HEAD" and path.startswith("/2/oauth2/"):
        # OAuth 2.0's own endpoints answer as RFC 6749 says: the consent page (a browser's)
        # with HTML, the token and revoke endpoints with {"error", "error_description"}
        # (section 5.2); what the HTTP layer refuses first gets X's problem document.
        if response.headers["Content-Type"].startswith("text/html"):
            assert path == "/2/oauth2/authorize", described
            assert response.text.strip(), described
            return
        assert response.headers["Content-Type"].startswith("application/json"), described
        answer = response.json()
        if isinstance(answer, dict) and isinstance(answer.get("error"), str):
            return
    if response.status_code >= 400 and method != "HEAD":
        assert response.headers["Content-Type"].startswith("application/json"), described
        problem = response.json()
        assert isinstance(problem, dict), described
        for key in ("title", "detail", "type"):
            assert isinstance(problem.get(key), str), f"no {key} in {problem} for {described}"


def _send(world: World, method, path, query, auth, content_type, body, extra_headers):
    alice = world.users[0]
    headers = dict(extra_headers)
    if content_type:
        headers["Content-Type"] = content_type
    signer = None
    if auth == "oauth1":
        signer = alice.oauth1
    elif auth == "bearer":
        headers["Authorization"] = f"Bearer {alice.credentials['bearer_token']}"
    elif auth == "app":
        headers["Authorization"] = f"Bearer {world.emulator.app_bearer_token}"
    elif auth:
        headers["Authorization"] = auth
    url = f"{world.url}{path}" + (f"?{query}" if query else "")
    host = headers.pop("Host", None)
    try:
        prepared = alice.session.prepare_request(
            requests.Request(method, url, data=body, headers=headers, auth=signer)
        )
    except (ValueError, UnicodeError):
        reject()  # requests or oauthlib refused to build it: nothing was sent
    if host is not None:  # after signing, which would refuse a Host that makes no URL
        prepared.headers["Host"] = host
    # Streamed: an answer may be a stream that never ends (GET /2/activity/stream).
    return alice.session.send(prepared, timeout=30, stream=True)


def _route_cases() -> list[str]:
    with DMEmulator() as emulator:
        return _routes_of(emulator)


# The fuzzing runs once, in tox -e thorough; the edge values below run everywhere.
@pytest.mark.thorough
@pytest.mark.parametrize("route", _route_cases())
def test_no_input_to_any_route_is_answered_with_5xx(world, route):
    method, template = route.split(" ", 1)

    @SETTINGS
    @given(
        method=_mostly(st.just(method), st.sampled_from(METHODS)),
        path=_path(world, template),
        query=_query(world),
        auth=_mostly(st.sampled_from(["oauth1", "bearer"]), st.just("app"), _AUTHORIZATION),
        content=_body(world),
        extra_headers=st.dictionaries(
            st.sampled_from(["Host", "X-Forwarded-Proto", "Accept", "Accept-Encoding", "X-A"]),
            st.sampled_from(_ODD_HOSTS) | st.text(_LATIN1, max_size=20),
            max_size=2,
        ),
    )
    def run(method, path, query, auth, content, extra_headers):
        content_type, body = content
        response = _send(world, method, path, query, auth, content_type, body, extra_headers)
        _check(
            response,
            method,
            _describe(method, path, query, auth, extra_headers, body)
            + f" content_type={content_type!r}",
        )

    run()


# The same for raw bytes, where requests would refuse to send them.

_HEADER_NAME = st.from_regex(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,12}", fullmatch=True)
_HEADER_VALUE = st.binary(max_size=40).map(
    lambda value: value.replace(b"\r", b"").replace(b"\n", b"")
)


@pytest.mark.thorough
@SETTINGS
@given(data=st.data())
def test_no_raw_request_is_answered_with_5xx(world, data):
    route = data.draw(st.sampled_from(_routes_of(world.emulator)))
    method = data.draw(st.sampled_from([route.split(" ")[0], *METHODS]) | _HEADER_NAME)
    path = data.draw(_path(world, route.split(" ", 1)[1]))
    target = path.encode() + data.draw(st.sampled_from([b"", b"?", b"?a=b", b"#x", b"?\xff=\xfe"]))
    headers = data.draw(st.lists(st.tuples(_HEADER_NAME, _HEADER_VALUE), max_size=5))
    token = world.users[0].credentials["bearer_token"]
    if data.draw(st.booleans()):
        headers.append((b"Authorization", b"Bearer " + token.encode()))
    elif data.draw(st.booleans()):
        signed = requests.Request("GET", world.url + path, auth=world.users[0].oauth1).prepare()
        headers.append((b"Authorization", signed.headers["Authorization"]))
    body = data.draw(st.binary(max_size=200) | _json_body(world))
    chunked = data.draw(st.booleans())
    head = method.encode() if isinstance(method, str) else method
    host = data.draw(st.sampled_from(_ODD_HOSTS).map(str.encode) | _HEADER_VALUE)
    request = head + b" " + target + b" HTTP/1.1\r\nHost: " + host + b"\r\n"
    for name, value in headers:
        if isinstance(name, str):
            name = name.encode()
        if name.lower() in (b"content-length", b"transfer-encoding", b"expect", b"host"):
            continue  # framing is the HTTP layer tests' business; here it is always honest
        request += name + b": " + value + b"\r\n"
    if chunked:
        request += b"Transfer-Encoding: chunked\r\n\r\n"
        request += (b"%x\r\n%s\r\n" % (len(body), body) if body else b"") + b"0\r\n\r\n"
    else:
        request += b"Content-Length: %d\r\n\r\n" % len(body) + body
    with socket.create_connection(world.url.split("://")[1].split(":"), timeout=30) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            assert chunk, f"connection closed without an answer to {request[:500]!r}"
            answer += chunk
    status_line = answer.split(b"\r\n", 1)[0]
    assert re.match(rb"HTTP/1\.1 [1-4][0-9][0-9] ", status_line), (status_line, request[:500])


# Every path parameter at the edges, on every route: cheap enough to try them all.

_EDGE_SEGMENTS = [*_EDGE_IDS, "0", "00", "%ED%A0%80", "1-9223372036854775808", "1:2", "%00"]
_EDGE_BODIES = [b"{}", b"[]", b'{"text": "hi"}', b"null"]


@pytest.mark.parametrize("route", [route for route in _route_cases() if "{" in route])
def test_edge_values_in_path_parameters_are_never_5xx(world, route):
    method, template = route.split(" ", 1)
    alice = world.users[0]
    tokens = {"user": alice.credentials["bearer_token"], "app": world.emulator.app_bearer_token}
    for segment in _EDGE_SEGMENTS:
        path = re.sub(r"\{\w+\}", segment, template)
        for who, body in zip(["user", "app"] * 2, _EDGE_BODIES):
            headers = {"Authorization": f"Bearer {tokens[who]}", "Content-Type": "application/json"}
            response = alice.session.request(
                method, world.url + path, data=body, headers=headers, stream=True, timeout=30
            )
            _check(response, method, f"{method} {path} with the {who} token, body {body!r}")
        signed = alice.session.request(method, world.url + path, stream=True, timeout=30)
        _check(signed, method, f"{method} {path} unsigned")
