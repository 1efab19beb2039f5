"""A media download into a path that is cancelled or interrupted leaves no partial file."""

from __future__ import annotations

import asyncio
import importlib.util
import threading

import pytest

import tweepy_dm
from tests.stream_server import Hold, StreamServer
from tweepy_dm import _files, _flow
from tweepy_dm._files import save_flow

CREDENTIALS = {
    "consumer_key": "download-consumer-key",
    "consumer_secret": "download-consumer-secret",
    "access_token": "1111-download-access-token",
    "access_token_secret": "download-access-token-secret",
}


def _leftovers(directory):
    return sorted(path.name for path in directory.iterdir())


@pytest.mark.skipif(
    importlib.util.find_spec("aiohttp") is None or not hasattr(tweepy_dm, "AsyncClient"),
    reason="the async client needs aiohttp and tweepy 4.10+",
)
def test_a_cancelled_async_download_removes_its_part_file(tmp_path, monkeypatch):
    hold, written = threading.Event(), threading.Event()
    target = tmp_path / "media.bin"
    write = _files.Sink.write

    def write_and_tell(self, chunk):
        write(self, chunk)
        written.set()

    monkeypatch.setattr(_files.Sink, "write", write_and_tell)

    def script(request):
        return [b"first bytes of the media", Hold(hold)]  # then nothing more, until cancelled

    async def download(url):
        client = tweepy_dm.AsyncClient(api_url=url, **CREDENTIALS)
        task = asyncio.ensure_future(client.get_chat_media("1111-2222", "abc123", file=target))
        # Until the download has written its first bytes to the .part file.
        assert await asyncio.get_running_loop().run_in_executor(None, written.wait, 30)
        assert [name for name in _leftovers(tmp_path) if name.endswith(".part")]
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            # Checked while the cancellation (and its traceback) is still alive.
            return _leftovers(tmp_path)
        raise AssertionError("the download was not cancelled")  # pragma: no cover

    with StreamServer(script) as server:
        try:
            assert asyncio.run(download(server.url)) == []
        finally:
            hold.set()
    assert not target.exists()


def test_a_driver_stopped_by_a_base_exception_closes_the_flow(tmp_path):
    target = tmp_path / "media.bin"
    reads = iter([b"some bytes", KeyboardInterrupt()])

    def perform(effect):
        if type(effect) is _flow.Call:
            return effect.function(*effect.args)
        item = next(reads)
        if isinstance(item, BaseException):
            raise item
        return item

    with pytest.raises(KeyboardInterrupt):
        _flow.run_flow(save_flow(target), perform)
    assert _leftovers(tmp_path) == []
