"""api_url, timeouts, sessions and log redaction, over real loopback sockets."""

from __future__ import annotations

import asyncio
import io
import logging
import re
import time

import pytest
import requests
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.helpers import BEARER_TOKEN, CREDENTIALS
from tests.loopback import LoopbackServer, SilentServer, json_reply, oauth1_is_valid
from tweepy_dm._logging import redact

CREATED = {"data": {"dm_conversation_id": "1-2", "dm_event_id": "3"}}
SECRETS = (BEARER_TOKEN, CREDENTIALS["consumer_secret"], CREDENTIALS["access_token_secret"])


def _client(url, **kwargs):
    return tweepy_dm.Client(bearer_token=BEARER_TOKEN, **CREDENTIALS, api_url=url, **kwargs)


def _async_client(url, **kwargs):
    return tweepy_dm.AsyncClient(bearer_token=BEARER_TOKEN, **CREDENTIALS, api_url=url, **kwargs)


def test_sync_requests_go_to_api_url_with_valid_oauth1():
    def reply(request):
        return (
            json_reply(201, CREATED) if request.method == "POST" else json_reply(200, {"data": []})
        )

    with LoopbackServer(reply) as server:
        client = _client(server.url + "/")
        client.create_dm(participant_id=2, text="hi")
        client.get_dm_events(dm_event_fields=["id", "text"], expansions="sender_id")
        client.get_users(ids=[1, 2], user_auth=True)  # not a DM endpoint: same host
    first, second, third = server.requests
    assert (first.method, first.path, first.json()) == (
        "POST",
        "/2/dm_conversations/with/2/messages",
        {"text": "hi"},
    )
    assert second.query == (("dm_event.fields", "id,text"), ("expansions", "sender_id"))
    assert third.path == "/2/users"
    for request in server.requests:
        assert request.headers["Authorization"].startswith("OAuth ")
        assert oauth1_is_valid(request, CREDENTIALS)


def test_a_wrong_secret_fails_server_side_verification():
    with LoopbackServer() as server:
        _client(server.url).get_dm_events(max_results=5)
    wrong = dict(CREDENTIALS, consumer_secret="not-the-secret")
    assert not oauth1_is_valid(server.requests[0], wrong)


def test_sync_bearer_auth_to_api_url():
    with LoopbackServer() as server:
        _client(server.url).get_dm_events(user_auth=False)
    assert server.requests[0].headers["Authorization"] == f"Bearer {BEARER_TOKEN}"


@requires_async
@pytest.mark.asyncio
async def test_async_requests_go_to_api_url_with_valid_oauth1():
    with LoopbackServer(lambda r: json_reply(200, {"data": []})) as server:
        client = _async_client(server.url)
        await client.get_dm_events(
            dm_conversation_id="1-2", dm_event_fields=["id", "created_at"], pagination_token="a:b"
        )
        await client.create_dm_conversation(text="x", participant_ids=[1, 2])
        await client.get_users(ids=[1], user_auth=True)
        await client.get_dm_events(user_auth=False)
    listing, group, users, bearer = server.requests
    assert listing.path == "/2/dm_conversations/1-2/dm_events"
    assert listing.query == (("dm_event.fields", "id,created_at"), ("pagination_token", "a:b"))
    assert group.json()["participant_ids"] == ["1", "2"]
    assert users.path == "/2/users"
    for request in (listing, group, users):
        assert oauth1_is_valid(request, CREDENTIALS)
    assert bearer.headers["Authorization"] == f"Bearer {BEARER_TOKEN}"


def test_http_errors_are_tweepys_classes():
    problem = {"title": "Forbidden", "detail": "You are not a participant", "type": "about:blank"}
    with LoopbackServer(lambda r: json_reply(403, problem)) as server:
        with pytest.raises(tweepy.Forbidden):
            _client(server.url).create_dm(participant_id=2, text="hi")


@requires_async
@pytest.mark.asyncio
async def test_async_http_errors_are_tweepys_classes():
    replies = iter(
        [
            json_reply(
                404, {"title": "Not Found Error", "detail": "no such event", "type": "about:blank"}
            ),
            json_reply(429, {"title": "Too Many Requests"}, **{"x-rate-limit-reset": "1700000000"}),
            json_reply(503, {"title": "Service Unavailable"}),
        ]
    )
    with LoopbackServer(lambda r: next(replies)) as server:
        client = _async_client(server.url)
        with pytest.raises(tweepy.NotFound) as not_found:
            await client.get_dm_event(1)
        assert not_found.value.response.status == 404
        with pytest.raises(tweepy.TooManyRequests):
            await client.get_dm_events()
        with pytest.raises(tweepy.TwitterServerError):
            await client.get_dm_events()


@pytest.mark.parametrize("api_url", ["ftp://example.com", "api.x.com", 5])
def test_api_url_must_be_http(api_url):
    with pytest.raises(ValueError, match="api_url"):
        tweepy_dm.Client(api_url=api_url)


@pytest.mark.parametrize("timeout", [0, -1, "5", True])
def test_timeout_must_be_positive(timeout):
    with pytest.raises(ValueError, match="timeout"):
        tweepy_dm.Client(timeout=timeout)


def test_sync_timeout():
    with SilentServer() as server:
        client = _client(server.url, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(requests.Timeout):
            client.get_dm_events()
        assert time.monotonic() - started < 5


@requires_async
@pytest.mark.asyncio
async def test_async_timeout():
    with SilentServer() as server:
        client = _async_client(server.url, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(asyncio.TimeoutError):
            await client.get_dm_events()
        assert time.monotonic() - started < 5


def test_sync_client_is_a_context_manager():
    with LoopbackServer() as server:
        with _client(server.url) as client:
            client.get_dm_events()
            client.get_dm_events()
            pools = client.session.get_adapter(server.url).poolmanager.pools
            assert len(pools) == 1
        assert server.connections == 1  # requests keeps the connection alive
        assert len(pools) == 0  # closing the client closed its connection pool


@requires_async
@pytest.mark.asyncio
async def test_async_context_manager_reuses_one_connection():
    with LoopbackServer() as server:
        async with _async_client(server.url) as client:
            for _ in range(20):
                await client.get_dm_events()
            session = client.session
        assert session.closed
        assert client.session is None
        assert server.connections == 1
        assert len(server.requests) == 20


@requires_async
@pytest.mark.asyncio
async def test_async_without_context_manager_behaves_like_tweepy():
    with LoopbackServer() as server:
        client = _async_client(server.url)
        for _ in range(20):
            await client.get_dm_events()
        assert client.session is None
        assert server.connections == 20


@requires_async
@pytest.mark.asyncio
async def test_aclose_is_idempotent_and_keeps_a_users_session():
    import aiohttp

    with LoopbackServer() as server:
        async with aiohttp.ClientSession() as own:
            client = _async_client(server.url)
            client.session = own
            async with client:
                await client.get_dm_events()
            await client.aclose()
            assert client.session is own
            assert not own.closed


@pytest.fixture
def debug_logs(caplog):
    """DEBUG records from every logger, whatever levels other code set."""
    loggers = [
        logging.getLogger(name)
        for name in ("tweepy", "tweepy_dm", "urllib3", "requests_oauthlib", "oauthlib", "aiohttp")
    ]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    yield caplog
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)


def _assert_no_secrets(caplog):
    assert caplog.records, "nothing was logged"
    text = "\n".join(record.getMessage() for record in caplog.records)
    for secret in SECRETS:
        assert secret not in text
    assert not re.search(r"oauth_signature=(\"|%22)?(?!\[REDACTED\])", text)
    for record in caplog.records:
        if record.name.startswith("tweepy") and "Authorization" in record.getMessage():
            assert "'Authorization': '[REDACTED]'" in record.getMessage()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{'Authorization': 'Bearer abc.def'}", "{'Authorization': '[REDACTED]'}"),
        (
            """{'Authorization': 'OAuth oauth_nonce="1", oauth_signature="x%2B"', 'A': 'b'}""",
            "{'Authorization': '[REDACTED]', 'A': 'b'}",
        ),
        ('{"authorization": "Bearer abc"}', "{\"authorization\": '[REDACTED]'}"),
        ("Authorization: Bearer abc\nnext line", "Authorization: '[REDACTED]'\nnext line"),
        ("url?oauth_signature=abc%3D&x=1", "url?oauth_signature=[REDACTED]&x=1"),
    ],
)
def test_redact(line, expected):
    assert redact(line) == expected


def test_sync_debug_logs_hold_no_secret(debug_logs):
    caplog = debug_logs
    with LoopbackServer() as server:
        client = _client(server.url)
        client.get_dm_events(user_auth=False)
        client.get_dm_events()
    messages = [record.getMessage() for record in caplog.records]
    tweepy_lines = [m for m in messages if m.startswith("Making API request")]
    assert tweepy_lines
    assert all("'Authorization': '[REDACTED]'" in m for m in tweepy_lines[:1])
    _assert_no_secrets(caplog)


@requires_async
@pytest.mark.asyncio
async def test_async_debug_logs_hold_no_secret(debug_logs):
    caplog = debug_logs
    with LoopbackServer() as server:
        client = _async_client(server.url)
        await client.get_dm_events(user_auth=False)
        await client.get_dm_events()
    requests_logged = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("Making API")
    ]
    assert len(requests_logged) == 2
    assert all("[REDACTED]" in message for message in requests_logged)
    _assert_no_secrets(caplog)


def test_media_download_to_memory_path_and_file(tmp_path):
    payload = bytes(range(256)) * 1000
    with LoopbackServer(lambda r: (200, {"Content-Type": "image/jpeg"}, payload)) as server:
        client = _client(server.url)
        assert (
            client.get_dm_media(1585823814058971140, "1585823813618384897", "AbC_12-x.jpg")
            == payload
        )
        target = tmp_path / "picture.jpg"
        assert client.get_dm_media(1, 2, "r", file=target) == len(payload)
        assert target.read_bytes() == payload
        buffer = io.BytesIO(b"prefix")
        buffer.seek(0, io.SEEK_END)
        assert client.get_direct_message_media(1, 2, "r", file=buffer) == len(payload)
        assert buffer.getvalue() == b"prefix" + payload
    request = server.requests[0]
    assert (
        request.path
        == "/2/dm_conversations/media/1585823814058971140/1585823813618384897/AbC_12-x.jpg"
    )
    assert request.headers["Authorization"] == f"Bearer {BEARER_TOKEN}"
    assert list(tmp_path.iterdir()) == [target]


def test_failed_media_download_leaves_no_file(tmp_path):
    with LoopbackServer(lambda r: json_reply(403, {"title": "Forbidden"})) as server:
        target = tmp_path / "picture.jpg"
        with pytest.raises(tweepy.Forbidden):
            _client(server.url).get_dm_media(1, 2, "r", file=target)
    assert list(tmp_path.iterdir()) == []


@requires_async
@pytest.mark.asyncio
async def test_async_media_download(tmp_path):
    payload = b"\xff\xd8" + b"x" * 300_000
    with LoopbackServer(lambda r: (200, {"Content-Type": "image/jpeg"}, payload)) as server:
        async with _async_client(server.url) as client:
            assert await client.get_dm_media(1, 2, "r.jpg") == payload
            target = tmp_path / "out.jpg"
            assert await client.get_dm_media(1, 2, "r.jpg", file=str(target)) == len(payload)
        assert target.read_bytes() == payload
        # OAuth 1.0a is possible too (X refuses it, the emulator may not).
        await _async_client(server.url).get_dm_media(1, 2, "r.jpg", user_auth=True)
    assert oauth1_is_valid(server.requests[-1], CREDENTIALS)


@requires_async
@pytest.mark.asyncio
async def test_async_wait_on_rate_limit_retries_with_the_same_query():
    reset = str(int(time.time()))  # already passed: no real sleep
    replies = iter([
        json_reply(429, {"title": "Too Many Requests"}, **{"x-rate-limit-reset": reset}),
        json_reply(200, {"meta": {"result_count": 0}}),
    ])  # fmt: skip
    with LoopbackServer(lambda r: next(replies)) as server:
        client = _async_client(server.url, wait_on_rate_limit=True)
        response = await client.get_dm_events(max_results=7)
    assert response.meta == {"result_count": 0}
    first, second = server.requests
    assert first.query == second.query == (("max_results", "7"),)
    assert oauth1_is_valid(second, CREDENTIALS)
