from __future__ import annotations

import json
import logging
import pathlib

import pytest

from tests.helpers import Clients, FakeClock
from tweepy_dm._async_client import _load_tweepy_async_client
from tweepy_dm.emulator import DMEmulator

CASSETTES = pathlib.Path(__file__).resolve().parent.parent / "cassettes"

_ASYNC_BASE, _ASYNC_MISSING = _load_tweepy_async_client()
#: Skips a test that needs tweepy's AsyncClient, saying why it is missing
#: (tweepy < 4.10 has none; without aiohttp it cannot be imported).
requires_async = pytest.mark.skipif(_ASYNC_BASE is None, reason=_ASYNC_MISSING or "unused")


def _json_payload(body):
    if body in (None, b"", ""):
        return None
    if isinstance(body, (bytes, str)):
        return json.loads(body)
    return body  # aiohttp cassettes store JSON bodies as YAML mappings


def json_body_matcher(recorded, played):
    assert _json_payload(recorded.body) == _json_payload(played.body), (
        f"request bodies differ: {recorded.body!r} != {played.body!r}"
    )


@pytest.fixture(params=["sync", pytest.param("async", marks=requires_async)])
def clients(request):
    """Makes clients of one kind, sync or async: each test using it runs for both.

    See :class:`tests.helpers.Clients`; ``clients.make(...).call("get_dm_events")``
    returns the result, awaited for the async client.
    """
    clients = Clients(request.param)
    yield clients
    clients.close()


@pytest.fixture
def clock() -> FakeClock:
    """The test's fake clock, at :data:`tests.helpers.START`; the ``emulator`` fixture runs on it."""
    return FakeClock()


@pytest.fixture
def emulator(clock):
    """A fresh DMEmulator on ``clock`` (rate limits off), closed after the test."""
    with DMEmulator(clock=clock) as emulator:
        yield emulator


@pytest.fixture(params=["msgspec", "orjson", "stdlib"])
def parser(request, monkeypatch):
    """X's JSON read with msgspec (the ``fast`` extra), orjson (where installed), the stdlib."""
    from tweepy_dm import _activity

    if request.param == "msgspec":
        pytest.importorskip("msgspec", reason="the fast extra (msgspec) is not installed")
        return request.param
    monkeypatch.setattr(_activity, "_decode", None)
    if request.param == "orjson":
        pytest.importorskip("orjson", reason="orjson is not installed")
    else:
        monkeypatch.setattr(_activity, "_orjson", None)
    return request.param


@pytest.fixture
def served(monkeypatch):
    """The emulator's requests from now on: (method, path), in order."""
    from tweepy_dm.emulator._routes import App

    log = []
    handle = App.handle

    def recording(self, request):
        log.append((request.method, request.path))
        return handle(self, request)

    monkeypatch.setattr(App, "handle", recording)
    return log


@pytest.fixture
def cassette_vcr():
    """A vcrpy instance that only replays, matching JSON bodies too."""
    vcr = pytest.importorskip("vcr")
    recorder = vcr.VCR(
        cassette_library_dir=str(CASSETTES),
        record_mode="none",
        match_on=["method", "scheme", "host", "port", "path", "query", "json_body"],
        # Sync responses are stored gzipped; urllib3 2 would hand them back
        # still compressed (vcrpy issues 719 and 942), so decode on load.
        decode_compressed_response=True,
    )
    recorder.register_matcher("json_body", json_body_matcher)
    return recorder


@pytest.fixture
def debug_logs(caplog):
    """DEBUG records from every logger a request goes through, whatever levels other code set."""
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Property-based tests run with a tenth of their examples in the matrix; the
    # thorough env selects them by this marker to run them with all of theirs.
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.property)
