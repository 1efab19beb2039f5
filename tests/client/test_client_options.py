"""api_url, timeouts, sessions, errors and log redaction, on both clients, over real sockets.

Most of these tests look at what reaches the socket (the URL and query as
sent, the Authorization header, how many TCP connections were opened) or need
a server that never answers, so they use ``tests.loopback``; the others talk
to the emulator (``dm_emulator``, from the package's pytest plugin).
"""

from __future__ import annotations

import io
import re
import time

import pytest
import tweepy

import tweepy_dm
from tests.conftest import requires_async
from tests.helpers import BEARER_TOKEN, CREDENTIALS, FakeClock, oauth1_is_valid
from tests.loopback import LoopbackServer, SilentServer, json_reply
from tweepy_dm._logging import redact

CREATED = {"data": {"dm_conversation_id": "1-2", "dm_event_id": "3"}}
SECRETS = (BEARER_TOKEN, CREDENTIALS["consumer_secret"], CREDENTIALS["access_token_secret"])


def _async_client(url, **kwargs):
    return tweepy_dm.AsyncClient(bearer_token=BEARER_TOKEN, **CREDENTIALS, api_url=url, **kwargs)


def test_requests_go_to_api_url_with_valid_oauth1(clients):
    def reply(request):
        return (
            json_reply(201, CREATED) if request.method == "POST" else json_reply(200, {"data": []})
        )

    with LoopbackServer(reply) as server:
        client = clients.make(api_url=server.url + "/")
        client.call("create_dm", participant_id=2, text="hi")
        client.call("get_dm_events", dm_event_fields=["id", "text"], expansions="sender_id")
        client.call("get_users", ids=[1, 2], user_auth=True)  # not a DM endpoint: same host
        client.call(
            "get_dm_events",
            dm_conversation_id="1-2",
            dm_event_fields=["id", "created_at"],
            pagination_token="a:b",
        )
        client.call("create_dm_conversation", text="x", participant_ids=[1, 2])
        client.call("get_dm_events", user_auth=False)
    first, second, users, listing, group, bearer = server.requests
    assert (first.method, first.path, first.json()) == (
        "POST",
        "/2/dm_conversations/with/2/messages",
        {"text": "hi"},
    )
    assert second.query == (("dm_event.fields", "id,text"), ("expansions", "sender_id"))
    assert users.path == "/2/users"
    assert listing.path == "/2/dm_conversations/1-2/dm_events"
    assert listing.query == (("dm_event.fields", "id,created_at"), ("pagination_token", "a:b"))
    assert group.json()["participant_ids"] == ["1", "2"]
    for request in (first, second, users, listing, group):
        assert request.headers["Authorization"].startswith("OAuth ")
        assert oauth1_is_valid(request, CREDENTIALS)
    assert bearer.headers["Authorization"] == f"Bearer {BEARER_TOKEN}"


@pytest.mark.parametrize(
    "wrong",
    [
        {"consumer_secret": "not-the-secret"},
        {"access_token_secret": "not-the-secret"},
        {"consumer_key": "another-app"},
        {"access_token": "145336962-another-token"},
    ],
)
def test_a_wrong_credential_fails_server_side_verification(clients, wrong):
    with LoopbackServer() as server:
        clients.make(api_url=server.url).call("get_dm_events", max_results=5)
    assert oauth1_is_valid(server.requests[0], CREDENTIALS)
    assert not oauth1_is_valid(server.requests[0], {**CREDENTIALS, **wrong})


def test_http_errors_are_tweepys_classes(clients, dm_emulator):
    bob = dm_emulator.add_user(2, "bob", "Bob")
    dm_emulator.add_user(3, "carol", "Carol")
    client = clients.make(
        credentials=dm_emulator.add_user(1, "alice", "Alice"), api_url=dm_emulator.url
    )
    clients.make(credentials=bob, api_url=dm_emulator.url).call(
        "create_dm", participant_id=3, text="x"
    )
    with pytest.raises(tweepy.Forbidden):  # alice is not in bob and carol's conversation
        client.call("create_dm", dm_conversation_id="2-3", text="hi")
    # tweepy's sync client before 4.8 raises its base HTTPException for a 404.
    with pytest.raises(tweepy.NotFound if clients.is_async else tweepy.HTTPException) as not_found:
        client.call("get_dm_event", 1)
    assert clients.status(not_found.value.response) == 404
    assert not_found.value.api_errors[0]["title"] == "Not Found Error"
    dm_emulator.inject_fault(429)
    with pytest.raises(tweepy.TooManyRequests):
        client.call("get_dm_events")
    dm_emulator.inject_fault(503)
    with pytest.raises(tweepy.TwitterServerError):
        client.call("get_dm_events")
    with pytest.raises(tweepy.Unauthorized):
        clients.make(credentials=dict(bob, consumer_secret="wrong"), api_url=dm_emulator.url).call(
            "get_dm_events"
        )


@pytest.mark.parametrize(
    ("api_url", "error"),
    [("ftp://example.com", ValueError), ("api.x.com", ValueError), (5, TypeError)],
)
def test_api_url_must_be_http(clients, api_url, error):
    with pytest.raises(error, match="api_url"):
        clients.make(api_url=api_url)


@pytest.mark.parametrize(
    ("timeout", "error"), [(0, ValueError), (-1, ValueError), ("5", TypeError), (True, TypeError)]
)
def test_timeout_must_be_positive(clients, timeout, error):
    with pytest.raises(error, match="timeout"):
        clients.make(timeout=timeout)


def test_timeout(clients):
    with SilentServer() as server:
        client = clients.make(api_url=server.url, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(clients.timeout_error):
            client.call("get_dm_events")
        assert time.monotonic() - started < 5


def test_the_client_as_a_context_manager_reuses_one_connection(clients):
    with LoopbackServer() as server:
        client = clients.make(api_url=server.url)
        with client.opened():
            for _ in range(20):
                client.call("get_dm_events")
            if clients.is_async:
                session = client.client.session
            else:
                pools = client.client.session.get_adapter(server.url).poolmanager.pools
                assert len(pools) == 1
        assert server.connections == 1  # one kept-alive connection for all 20
        assert len(server.requests) == 20
    # Leaving the block closed the connections.
    if clients.is_async:
        assert session.closed
        assert client.client.session is None
    else:
        assert len(pools) == 0


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


def test_debug_logs_hold_no_secret(clients, debug_logs):
    caplog = debug_logs
    with LoopbackServer() as server:
        client = clients.make(api_url=server.url)
        client.call("get_dm_events", user_auth=False)
        client.call("get_dm_events")
    messages = [record.getMessage() for record in caplog.records]
    requests_logged = [m for m in messages if m.startswith("Making API request")]
    assert requests_logged
    assert "'Authorization': '[REDACTED]'" in requests_logged[0]
    if clients.is_async:  # ours; tweepy's sync client logs the OAuth 1.0a one without headers
        assert len(requests_logged) == 2
        assert all("[REDACTED]" in message for message in requests_logged)
    _assert_no_secrets(caplog)


def test_media_download_to_memory_path_and_file(clients, tmp_path):
    payload = bytes(range(256)) * 1000
    with LoopbackServer(lambda r: (200, {"Content-Type": "image/jpeg"}, payload)) as server:
        client = clients.make(api_url=server.url)
        with client.opened():
            media = client.call(
                "get_dm_media", 1585823814058971140, "1585823813618384897", "AbC_12-x.jpg"
            )
            assert media == payload
            target = tmp_path / "picture.jpg"
            assert client.call("get_dm_media", 1, 2, "r", file=target) == len(payload)
            assert target.read_bytes() == payload
            as_str = tmp_path / "as-str.jpg"
            assert client.call("get_dm_media", 1, 2, "r.jpg", file=str(as_str)) == len(payload)
            assert as_str.read_bytes() == payload
            buffer = io.BytesIO(b"prefix")
            buffer.seek(0, io.SEEK_END)
            assert client.call("get_direct_message_media", 1, 2, "r", file=buffer) == len(payload)
            assert buffer.getvalue() == b"prefix" + payload
        # OAuth 1.0a is possible too (X refuses it, the emulator may not).
        client.call("get_dm_media", 1, 2, "r.jpg", user_auth=True)
    request = server.requests[0]
    assert (
        request.path
        == "/2/dm_conversations/media/1585823814058971140/1585823813618384897/AbC_12-x.jpg"
    )
    assert all(r.headers["Authorization"] == f"Bearer {BEARER_TOKEN}" for r in server.requests[:-1])
    assert oauth1_is_valid(server.requests[-1], CREDENTIALS)
    assert sorted(tmp_path.iterdir()) == sorted([target, as_str])


def test_failed_media_download_leaves_no_file(clients, dm_emulator, tmp_path):
    credentials = dm_emulator.add_user(1, "alice", "Alice")
    target = tmp_path / "picture.jpg"
    with pytest.raises(tweepy.HTTPException) as error:  # no such event
        clients.make(credentials=credentials, api_url=dm_emulator.url).call(
            "get_dm_media", 1, 2, "r", file=target
        )
    assert clients.status(error.value.response) == 404
    dm_emulator.inject_fault(403)
    with pytest.raises(tweepy.Forbidden):
        clients.make(credentials=credentials, api_url=dm_emulator.url).call(
            "get_dm_media", 1, 2, "r", file=target
        )
    assert list(tmp_path.iterdir()) == []


def test_wait_on_rate_limit_retries_with_the_same_query(clients):
    # Already passed: neither client really sleeps.
    reset = str(int(time.time()) - 10)
    replies = iter([
        json_reply(429, {"title": "Too Many Requests"}, **{"x-rate-limit-reset": reset}),
        json_reply(200, {"meta": {"result_count": 0}}),
    ])  # fmt: skip
    with LoopbackServer(lambda r: next(replies)) as server:
        client = clients.make(api_url=server.url, wait_on_rate_limit=True)
        response = client.call("get_dm_events", max_results=7)
    assert response.meta == {"result_count": 0}
    first, second = server.requests
    assert first.query == second.query == (("max_results", "7"),)
    assert oauth1_is_valid(second, CREDENTIALS)


def test_wait_on_rate_limit_waits_out_the_emulators_window(clients, monkeypatch):
    """X's limit of 15 lookups per 15 minutes, on the emulator's clock, which sleeping moves."""
    from tweepy_dm import _async_client
    from tweepy_dm.emulator import DMEmulator

    # At the wall clock's now: tweepy's sync client reckons its wait by time.time().
    clock = FakeClock(time.time())
    slept: list[float] = []

    def sleep(seconds):
        slept.append(seconds)
        clock.advance(seconds)

    async def async_sleep(seconds):
        sleep(seconds)

    # tweepy's sync client sleeps with time.sleep itself; the async one with ours.
    monkeypatch.setattr(tweepy.client.time, "sleep", sleep)
    monkeypatch.setattr(_async_client, "_sleep", async_sleep)
    with DMEmulator(rate_limits=True, clock=clock) as emulator:
        credentials = emulator.add_user(1, "alice", "Alice")
        client = clients.make(
            credentials=credentials, api_url=emulator.url, wait_on_rate_limit=True
        )
        for _ in range(16):
            assert client.call("get_dm_events").meta == {"result_count": 0}
        impatient = clients.make(credentials=credentials, api_url=emulator.url)
        for _ in range(14):
            impatient.call("get_dm_events")
        with pytest.raises(tweepy.TooManyRequests):
            impatient.call("get_dm_events")
    # One wait, to one second past the window's end, as tweepy waits.
    [waited] = slept
    assert 900 <= waited <= 902
