"""The AsyncClient's session over its life: nesting, closing with requests in flight,
use after closing, and use from another event loop. Real sockets, no sleeps.
"""

from __future__ import annotations

import asyncio
import threading

import pytest

from tests.conftest import requires_async
from tests.helpers import BEARER_TOKEN
from tests.loopback import LoopbackServer, json_reply

pytestmark = [requires_async, pytest.mark.asyncio]

EMPTY = {"meta": {"result_count": 0}}


def _client(url):
    import tweepy_dm

    return tweepy_dm.AsyncClient(bearer_token=BEARER_TOKEN, api_url=url)


class HeldServer(LoopbackServer):
    """Answers only once :meth:`release` is called; :meth:`arrived` waits for ``n`` requests."""

    def __init__(self) -> None:
        self._released = threading.Event()
        self._count = threading.Semaphore(0)
        super().__init__(self._hold)

    def _hold(self, request):
        self._count.release()
        self._released.wait(30)
        return json_reply(200, EMPTY)

    async def arrived(self, n: int) -> None:
        loop = asyncio.get_running_loop()
        for _ in range(n):
            assert await loop.run_in_executor(None, self._count.acquire, True, 30)

    def release(self) -> None:
        self._released.set()

    def __exit__(self, *exc_info):
        self.release()
        super().__exit__(*exc_info)


async def test_nested_async_with_keeps_the_outer_session():
    with LoopbackServer() as server:
        client = _client(server.url)
        async with client:
            outer = client.session
            async with client as inner:
                assert inner is client
                assert client.session is outer
                await client.get_dm_events(user_auth=False)
            assert client.session is outer
            assert not outer.closed
            await client.get_dm_events(user_auth=False)
        assert outer.closed
        assert client.session is None
    assert server.connections == 1  # both requests, inside and after the inner block


async def test_concurrent_blocks_share_one_session_until_the_last_leaves():
    with LoopbackServer() as server:
        client = _client(server.url)
        first_in, first_out = asyncio.Event(), asyncio.Event()

        async def first():
            async with client:
                first_in.set()
                await client.get_dm_events(user_auth=False)
            first_out.set()

        async def second():
            await first_in.wait()
            async with client:
                session = client.session
                await first_out.wait()  # the first block has closed behind us
                assert not session.closed
                await client.get_dm_events(user_auth=False)
            assert session.closed

        await asyncio.gather(first(), second())
    assert server.connections == 1


async def test_aclose_lets_requests_in_flight_finish():
    with HeldServer() as server:
        client = _client(server.url)
        async with client:
            session = client.session
            calls = [asyncio.ensure_future(client.get_dm_events(user_auth=False)) for _ in range(3)]
            await server.arrived(3)
            closing = asyncio.ensure_future(client.aclose())
            await asyncio.sleep(0)  # let aclose start
            assert client.session is None  # new requests will not use it...
            assert not session.closed  # ...but the three in flight still do
            assert not closing.done()
            server.release()
            responses = await asyncio.gather(*calls)
            await closing
        assert session.closed
    assert [response.meta for response in responses] == [EMPTY["meta"]] * 3


async def test_a_request_cut_off_by_a_cancelled_aclose_says_so():
    with HeldServer() as server:
        client = _client(server.url)
        await client.__aenter__()
        session = client.session
        call = asyncio.ensure_future(client.get_dm_events(user_auth=False))
        await server.arrived(1)
        closing = asyncio.ensure_future(client.aclose())
        await asyncio.sleep(0)
        closing.cancel()  # the caller gave up waiting: the session is closed anyway
        with pytest.raises(asyncio.CancelledError):
            await closing
        assert session.closed
        with pytest.raises(RuntimeError, match="closed while this request was in flight") as error:
            await call
        assert error.value.__cause__ is not None  # aiohttp's own error, kept as the cause


async def test_calls_after_close_open_a_session_each():
    with LoopbackServer() as server:
        client = _client(server.url)
        async with client:
            await client.get_dm_events(user_auth=False)
            await client.get_dm_events(user_auth=False)
        assert server.connections == 1
        await client.get_dm_events(user_auth=False)
        await client.get_dm_events(user_auth=False)
        assert client.session is None
        assert server.connections == 3  # one per request after the block
        await client.aclose()  # nothing to close: harmless
        async with client:  # and a new block opens a new session
            await client.get_dm_events(user_auth=False)
            await client.get_dm_events(user_auth=False)
        assert server.connections == 4
    assert len(server.requests) == 6


async def test_use_from_another_event_loop_is_refused_clearly():
    with LoopbackServer() as server:
        client = _client(server.url)
        async with client:

            def elsewhere(coroutine_function):
                return asyncio.run(coroutine_function())

            loop = asyncio.get_running_loop()
            for use in (
                lambda: client.get_dm_events(user_auth=False),
                lambda: client.get_dm_media(1, 2, "a.jpg"),
                client.__aenter__,
                client.aclose,
            ):
                with pytest.raises(RuntimeError, match="inside `async with` on another event loop"):
                    await loop.run_in_executor(None, elsewhere, use)
            assert server.requests == []
            await client.get_dm_events(user_auth=False)  # still fine on its own loop
        assert len(server.requests) == 1


async def test_outside_async_with_any_loop_will_do():
    with LoopbackServer() as server:
        client = _client(server.url)
        await client.get_dm_events(user_auth=False)
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, asyncio.run, client.get_dm_events(user_auth=False))
    assert len(server.requests) == 2
