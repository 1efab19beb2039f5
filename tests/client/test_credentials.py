"""Credentials: checked before anything is sent, never in an error or a log line.

Both clients, over real loopback sockets: what matters is what reaches the
socket (nothing, for a missing or unusable credential) and what the user sees.
"""

from __future__ import annotations

import gc
import io
import logging
import subprocess
import sys
import textwrap
import traceback

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tweepy_dm
from tests.helpers import CREDENTIALS, examples, tiny_files
from tests.loopback import LoopbackServer, json_reply
from tweepy_dm import _logging

TOKEN = "AAAAAAAAAAAAAAAAAAAAAMLheAAAAAAA0%2BuSeid%2BULvsea4JtiGRiSDSJSI%3DEUifiRBkKG5E2"
OAUTH1 = dict(CREDENTIALS)
OK = json_reply(200, {"data": {"id": "1", "name": "A", "username": "a"}})

# Token contents that once ended in an error or a log line, or could.
BAD_TOKENS = [
    pytest.param(TOKEN + "\nX-Injected: 1", id="inner-newline"),
    pytest.param(TOKEN[:20] + "\r" + TOKEN[20:], id="carriage-return"),
    pytest.param(TOKEN[:20] + " " + TOKEN[20:], id="inner-space"),
    pytest.param(TOKEN[:20] + "\t" + TOKEN[20:], id="tab"),
    pytest.param(TOKEN[:20] + "\x00" + TOKEN[20:], id="nul"),
    pytest.param(TOKEN[:20] + "é€" + TOKEN[20:], id="non-ascii"),
    pytest.param(TOKEN[:20] + "\ud800" + TOKEN[20:], id="lone-surrogate"),
]


def _everything_said(error: BaseException) -> str:
    """The error as a user could ever see it: message, repr, args, chain, traceback."""
    return "\n".join(
        [
            str(error),
            repr(error),
            repr(error.args),
            "".join(traceback.format_exception(type(error), error, error.__traceback__)),
        ]
    )


def _logged(caplog) -> str:
    handler = logging.StreamHandler(io.StringIO())
    for record in caplog.records:
        handler.emit(record)  # formats the message and any traceback, as a handler would
    return handler.stream.getvalue()


# -- Surrounding whitespace ----------------------------------------------------------


@pytest.mark.parametrize("padding", ["\n", "\r\n", " ", "\t"])
def test_surrounding_whitespace_is_stripped(clients, padding):
    with LoopbackServer(lambda request: OK) as server:
        credentials = {name: padding + value + padding for name, value in OAUTH1.items()}
        client = clients.make(
            credentials={"bearer_token": TOKEN + padding, **credentials}, api_url=server.url
        )
        client.call("get_me", user_auth=False)
        client.call("get_me")
    bearer, oauth1 = server.requests
    assert bearer.headers["Authorization"] == f"Bearer {TOKEN}"
    assert f'oauth_consumer_key="{OAUTH1["consumer_key"]}"' in oauth1.headers["Authorization"]
    assert client.client.bearer_token == TOKEN
    assert client.client.access_token_secret == OAUTH1["access_token_secret"]


# -- Unusable tokens: refused before sending, never quoted ---------------------------


@pytest.mark.parametrize("token", BAD_TOKENS)
@pytest.mark.parametrize("method", ["get_me", "get_dm_events", "get_dm_media"])
def test_an_unusable_bearer_token_is_refused_unquoted(clients, debug_logs, token, method):
    args = (1, 2, "a.jpg") if method == "get_dm_media" else ()
    with LoopbackServer(lambda request: OK) as server:
        client = clients.make(credentials={"bearer_token": token}, api_url=server.url)
        with pytest.raises(ValueError, match="bearer_token holds") as error:
            client.call(method, *args, user_auth=False)
    assert server.requests == []
    said = _everything_said(error.value)
    assert "the value is not shown" in said
    for part in (token, token.strip(), TOKEN[:20], TOKEN[21:]):
        assert part not in said
        assert part not in _logged(debug_logs)


@pytest.mark.parametrize("token", BAD_TOKENS)
def test_odd_oauth1_credentials_never_reach_a_log_or_an_error(clients, debug_logs, token):
    # OAuth 1.0a percent-encodes what it signs with, so only a lone surrogate,
    # which has no encoding, is refused; the rest is signed and sent.
    credentials = dict(OAUTH1, consumer_secret=token, access_token_secret=token)
    with LoopbackServer(lambda request: OK) as server:
        client = clients.make(credentials=credentials, api_url=server.url)
        if "\ud800" in token:
            with pytest.raises(ValueError, match="consumer_secret holds a lone surrogate") as error:
                client.call("get_me")
            assert server.requests == []
            said = _everything_said(error.value)
            assert "not shown" in said
            assert TOKEN[:20] not in said
            assert TOKEN[21:] not in said
        else:
            client.call("get_me")
            assert len(server.requests) == 1
            assert "Making API request" in _logged(debug_logs)
    logged = _logged(debug_logs)
    for secret in (token.strip(), OAUTH1["consumer_key"], OAUTH1["access_token"]):
        assert secret not in logged


def test_a_credential_of_the_wrong_type_is_a_type_error_without_its_value(clients):
    secret = b"a-bytes-secret-1234567890"
    with pytest.raises(TypeError, match="bearer_token must be a str or None, not bytes") as error:
        clients.make(credentials={"bearer_token": secret})
    assert secret.decode() not in _everything_said(error.value)


# -- Missing credentials -------------------------------------------------------------


def _missing(clients, credentials, call):
    """The error of ``call(client)``, and what reached the server (nothing, hopefully)."""
    with LoopbackServer(lambda request: OK) as server:
        client = clients.make(credentials=credentials, api_url=server.url)
        with pytest.raises(TypeError) as error:
            call(client)
    assert server.requests == []
    return str(error.value)


CALLS = {
    "dm-method": lambda client, **auth: client.call("get_dm_events", **auth),
    "tweepy-method": lambda client, **auth: client.call("get_me", **auth),
    "download": lambda client, **auth: client.call("get_dm_media", 1, 2, "a.jpg", **auth),
    "upload": lambda client, **auth: client.call(
        "upload_dm_media", io.BytesIO(tiny_files()["image/png"]), **auth
    ),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_bearer_only_client_signing_with_oauth1_says_what_is_missing(clients, call):
    message = _missing(clients, {"bearer_token": TOKEN}, lambda c: call(c, user_auth=True))
    assert message == (
        "this request signs with OAuth 1.0a User Context (user_auth=True), but the client "
        "has no consumer_key, consumer_secret, access_token, access_token_secret: create the "
        "client with consumer_key, consumer_secret, access_token and access_token_secret, or "
        "pass user_auth=False to authenticate with its bearer_token (an OAuth 2.0 user "
        "access token)"
    )


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_an_oauth1_only_client_never_sends_bearer_none(clients, call):
    message = _missing(clients, OAUTH1, lambda c: call(c, user_auth=False))
    assert message.startswith(
        "this request authenticates with a bearer token (user_auth=False), but the client "
        "has no bearer_token: create the client with bearer_token"
    )


def test_one_missing_oauth1_credential_is_named(clients):
    credentials = dict(OAUTH1, access_token_secret=None)
    message = _missing(clients, credentials, lambda c: c.call("get_dm_events"))
    assert "the client has no access_token_secret:" in message


def test_user_auth_must_be_a_bool(clients):
    message = _missing(
        clients, {"bearer_token": TOKEN, **OAUTH1}, lambda c: c.call("get_me", user_auth="no")
    )
    assert message == "user_auth must be True or False, not str"


# -- Log redaction -------------------------------------------------------------------


def test_plain_tweepy_clients_after_install_never_log_credentials(tmp_path):
    """In a fresh interpreter, so no tweepy-dm client has attached the filter before."""
    token = TOKEN + "'q\""  # both quotes: repr() must escape one of them
    script = textwrap.dedent(
        f"""
        import io, logging, sys
        import tweepy, tweepy_dm
        from tests.helpers import RecordingAdapter

        stream = io.StringIO()
        logging.basicConfig(stream=stream, level=logging.DEBUG)
        token = {token!r}
        client = tweepy.Client(bearer_token=token, **{OAUTH1!r})
        tweepy_dm.install()
        client.session.mount("https://", RecordingAdapter((200, {{"data": {{"id": "1", "name": "A", "username": "a"}}}})))
        client.get_me(user_auth=False)
        client.get_me()
        requests_made = 2
        try:
            from tweepy.asynchronous import AsyncClient
        except Exception:  # tweepy < 4.10, or no aiohttp: no async client to try
            pass
        else:
            import asyncio
            from tests.helpers import RecordingAiohttpSession

            async_client = AsyncClient(bearer_token=token, **{OAUTH1!r})
            async_client.session = RecordingAiohttpSession((200, {{"data": {{"id": "1", "name": "A", "username": "a"}}}}))
            asyncio.run(async_client.get_me(user_auth=False))
            asyncio.run(async_client.get_me())
            requests_made += 2
        logged = stream.getvalue()
        assert logged.count("Making API request") == requests_made, logged
        assert "oauth_consumer_key" in logged, logged
        for secret in (token, token[:-3], *{list(OAUTH1.values())!r}):
            assert secret not in logged, (secret, logged)
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=_repo_root()
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ok\n"


def _repo_root() -> str:
    import pathlib

    return str(pathlib.Path(__file__).resolve().parents[2])


def test_a_logged_traceback_is_redacted(caplog):
    client = tweepy_dm.Client(bearer_token=TOKEN)
    caplog.set_level(logging.DEBUG)
    try:
        raise RuntimeError(f"something quoted the token {client.bearer_token}")
    except RuntimeError:
        logging.getLogger("tweepy_dm.client").exception("failed")
    assert TOKEN not in _logged(caplog)
    assert "[REDACTED]" in _logged(caplog)


def test_the_registry_forgets_the_credentials_of_clients_that_are_gone():
    gc.collect()
    before = len(_logging._secrets)
    clients = [
        tweepy_dm.Client(bearer_token=f"{TOKEN}{n:06d}", consumer_secret=f"secret-{n:06d}")
        for n in range(2000)
    ]
    assert len(_logging._secrets) == before + 2 * len(clients)
    kept = clients[7]
    assert _logging.redact(f"x {kept.bearer_token} y") == "x [REDACTED] y"
    del clients
    gc.collect()
    assert len(_logging._secrets) == before + 2  # only what ``kept`` holds
    assert _logging.redact(f"x {kept.consumer_secret} y") == "x [REDACTED] y"
    assert _logging.redact(f"{TOKEN}000008") == f"{TOKEN}000008"  # a forgotten one


def test_changed_credentials_are_redacted_from_the_next_request(clients, debug_logs):
    with LoopbackServer(lambda request: OK) as server:
        client = clients.make(credentials={"bearer_token": TOKEN}, api_url=server.url)
        client.client.bearer_token = "a-brand-new-token-0123456789"
        client.call("get_me", user_auth=False)
    assert server.requests
    logged = _logged(debug_logs)
    assert "a-brand-new-token-0123456789" not in logged
    assert _logging.redact("a-brand-new-token-0123456789") == "[REDACTED]"


class _Holder:
    def __init__(self, bearer_token: str) -> None:
        self.bearer_token = bearer_token


def test_many_live_clients_alike_in_their_first_characters_are_all_redacted():
    # Past a few dozen secrets, redaction scans an index instead of one pattern:
    # it must find the same things, X's tokens all starting with "AAAA...".
    holders = [_Holder(f"AAAAAAAAAAAAAAAAAAAAA{n:024d}%3Dx") for n in range(500)]
    for holder in holders:
        _logging.protect_client(holder)
    first, last = holders[0].bearer_token, holders[-1].bearer_token
    line = f"a {first}, b='{last}'{first}\n{last[:-1]} end"
    assert _logging.redact(line) == f"a [REDACTED], b='[REDACTED]'[REDACTED]\n{last[:-1]} end"
    assert _logging.redact(f"{first}") == "[REDACTED]"
    assert _logging.redact(f"{first}{last}|{last[:9]}{first}") == f"[REDACTED]|{last[:9]}[REDACTED]"
    longer = _Holder(first + "-and-more")
    _logging.protect_client(longer)
    assert _logging.redact(f"<{longer.bearer_token}>") == "<[REDACTED]>"  # the longest wins
    del holders, longer
    gc.collect()
    assert _logging.redact(f"<{first}>") == f"<{first}>"


@settings(max_examples=examples(300), deadline=None)
@given(
    secrets=st.lists(st.text("ab%3D", min_size=6, max_size=12), min_size=1, max_size=8),
    pieces=st.lists(st.tuples(st.integers(0, 7), st.text("ab%3D -'", max_size=4)), max_size=8),
)
def test_the_index_scan_leaves_no_secret(secrets, pieces):
    """Secrets made of few letters overlap, touch and nest: none may survive."""
    registry = _logging._SecretRegistry()
    holders = [_Holder(secret) for secret in secrets]
    for holder in holders:
        registry.hold(holder, (holder.bearer_token,))
    text = "".join(secrets[index % len(secrets)] + filler for index, filler in pieces)
    redacted = registry.replace(text)
    assert not any(secret in redacted for secret in secrets)
    assert (redacted == text) == (not pieces)
