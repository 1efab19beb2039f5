"""The HTTP server: keep-alive speed, lifecycle, imports."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time

import pytest
import requests

from tests.emulator.conftest import BOB, assert_problem
from tweepy_dm.emulator import DMEmulator


def test_url_is_a_local_free_port(emulator):
    assert emulator.url.startswith("http://127.0.0.1:")
    assert int(emulator.url.rsplit(":", 1)[1]) > 0
    assert repr(emulator) == f"<DMEmulator {emulator.url}>"


def test_keep_alive_requests_do_not_stall(users):
    alice = users[0]
    alice.send(BOB)
    alice.get("/2/dm_events")  # open the connection
    started = time.perf_counter()
    for _ in range(40):
        assert alice.get("/2/dm_events", params={"max_results": 5}).status_code == 200
    # Nagle plus delayed ACKs would cost ~40 ms a request; we take ~2 ms.
    assert (time.perf_counter() - started) / 40 < 0.02


def test_http11_with_content_length_on_one_connection(emulator):
    host, port = emulator.url.split("://")[1].split(":")
    connection = http.client.HTTPConnection(host, int(port))
    for _ in range(3):
        connection.request("GET", "/2/dm_events")
        response = connection.getresponse()
        body = response.read()
        assert response.version == 11
        assert int(response.headers["Content-Length"]) == len(body)
        assert response.status == 401
    connection.close()


def test_chunked_request_body(users, emulator):
    alice = users[0]
    body = iter([b'{"text": ', b'"chunked"}'])  # a generator body goes out chunked
    response = alice.post(
        f"/2/dm_conversations/with/{BOB}/messages",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text


def test_unknown_endpoint_is_404_in_x_shape(users):
    assert_problem(users[0].get("/2/nothing/here"), 404)
    assert_problem(users[0].request("PUT", "/2/dm_events"), 404)


def test_close_stops_serving_and_is_idempotent():
    emulator = DMEmulator()
    session = requests.Session()
    assert session.get(emulator.url + "/2/dm_events").status_code == 401
    emulator.close()
    emulator.close()
    assert repr(emulator) == "<DMEmulator closed>"
    with pytest.raises(requests.ConnectionError):
        session.get(emulator.url + "/2/dm_events", timeout=2)


def test_rejects_bad_rate_limit_configuration():
    with pytest.raises(ValueError, match="unknown endpoint"):
        DMEmulator(rate_limits={"GET /2/nope": (1, 1)})
    with pytest.raises(TypeError):
        DMEmulator(rate_limits="yes")


def test_importing_the_emulator_and_plugin_never_imports_aiohttp():
    code = (
        "import sys, tweepy_dm.emulator, tweepy_dm.emulator.pytest_plugin;"
        "assert 'aiohttp' not in sys.modules, 'aiohttp imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
