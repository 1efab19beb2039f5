"""The framework examples of docs/webhooks.rst (docs/examples/webhook_*.py), in each framework.

Flask mounts the WSGI receiver, FastAPI the ASGI one, Django routes a view
built on verify_signature and parse_webhook. Through each framework's own
test client (and Django's one-file mode under its runserver), each example
answers X's CRC, hands every event of X's documented example payloads to its
handler exactly once, and refuses forged deliveries with 403, dispatching
nothing. These frameworks drop old Pythons: ``tox -e webhooks`` installs them
and runs this module (the ``servers`` marker); the matrix cells deselect it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import socket
import subprocess
import sys

import pytest
import requests

from tests.helpers import wait_until
from tests.realtime.test_webhooks import EXAMPLES, SECRET, x_signature
from tweepy_dm.webhooks import SIGNATURE_HEADER, parse_webhook

pytestmark = pytest.mark.servers

EXAMPLE_DIR = pathlib.Path(__file__).resolve().parents[2] / "docs" / "examples"
URL = "/x/webhook/"  # what the examples tell users to register
PAYLOADS = [name for name in EXAMPLES if name.startswith(("xaa:", "aaa:"))]


def body_of(name: str) -> bytes:
    return json.dumps(EXAMPLES[name]).encode()


def printed(body: bytes) -> str:
    """What the examples' handler prints for each event of ``body``, once each."""
    lines = []
    for event in parse_webhook(body):
        message = event.direct_message
        if message is not None:
            lines.append(f"{event.event_type} for {event.user_id}: {message.text}\n")
        else:
            lines.append(f"{event.event_type}\n")
    return "".join(lines)


def forgeries(body: bytes) -> list[tuple[bytes, dict[str, str]]]:
    """Deliveries X did not sign: each must be refused with 403."""
    return [
        (body, {}),
        (body, {SIGNATURE_HEADER: x_signature(body, secret="not the consumer secret")}),
        (body, {SIGNATURE_HEADER: x_signature(b"another body")}),
        (body.replace(b"}", b" }", 1), {SIGNATURE_HEADER: x_signature(body)}),
        (body, {SIGNATURE_HEADER: x_signature(body)[:-4]}),
    ]


def load(name: str, monkeypatch: pytest.MonkeyPatch):
    """Import a docs example afresh (a new receiver, with nothing seen yet)."""
    monkeypatch.setenv("X_CONSUMER_SECRET", SECRET)
    spec = importlib.util.spec_from_file_location(name, EXAMPLE_DIR / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def check_example(get, post, capsys, payload: str, *, dedupes: bool) -> None:
    capsys.readouterr()
    # The CRC: X's own answer to its challenge, as JSON.
    crc = get(URL + "?crc_token=challenge_string")
    assert crc.status_code == 200
    assert crc.headers["Content-Type"].startswith("application/json")
    content = crc.data if hasattr(crc, "data") else crc.content  # Flask's, else httpx's/Django's
    assert json.loads(content) == {"response_token": x_signature(b"challenge_string")}
    assert capsys.readouterr().out == ""

    body = body_of(payload)
    # Forged first, so that a dedupe memory cannot hide a dispatch.
    for forged_body, headers in forgeries(body):
        assert post(URL, forged_body, headers).status_code == 403
    assert capsys.readouterr().out == ""

    assert post(URL, body, {SIGNATURE_HEADER: x_signature(body)}).status_code == 200
    assert capsys.readouterr().out == printed(body)

    if dedupes:  # X's retry of the same delivery reaches no handler again
        assert post(URL, body, {SIGNATURE_HEADER: x_signature(body)}).status_code == 200
        assert capsys.readouterr().out == ""


@pytest.mark.parametrize("payload", PAYLOADS)
def test_flask_mounts_the_wsgi_receiver(payload, monkeypatch, capsys):
    client = load("webhook_flask", monkeypatch).app.test_client()
    check_example(
        client.get,
        lambda url, body, headers: client.post(url, data=body, headers=headers),
        capsys,
        payload,
        dedupes=True,
    )


@pytest.mark.parametrize("payload", PAYLOADS)
def test_fastapi_mounts_the_asgi_receiver(payload, monkeypatch, capsys):
    from fastapi.testclient import TestClient

    # The registered URL itself must answer: X documents a 200 to its CRC, never a redirect.
    with TestClient(load("webhook_fastapi", monkeypatch).app, follow_redirects=False) as client:
        check_example(
            client.get,
            lambda url, body, headers: client.post(url, content=body, headers=headers),
            capsys,
            payload,
            dedupes=True,
        )


@pytest.fixture
def django_settings():
    import django
    from django.conf import settings
    from django.urls import clear_url_caches

    if not settings.configured:
        # What the example's one-file mode configures, for an in-process client.
        settings.configure(
            ROOT_URLCONF="webhook_django", ALLOWED_HOSTS=["testserver"], SECRET_KEY="tests"
        )
        django.setup()
    clear_url_caches()
    yield
    clear_url_caches()


@pytest.mark.parametrize("payload", PAYLOADS)
def test_django_view_on_verify_signature_and_parse_webhook(
    payload, django_settings, monkeypatch, capsys
):
    from django.test import Client

    load("webhook_django", monkeypatch)
    client = Client()
    check_example(
        client.get,
        lambda url, body, headers: client.post(
            url, data=body, content_type="application/json", headers=headers
        ),
        capsys,
        payload,
        dedupes=False,  # the example leaves it to the project's database
    )


def test_django_view_refuses_bodies_that_are_not_x_payloads(django_settings, monkeypatch, capsys):
    from django.test import Client

    load("webhook_django", monkeypatch)
    client = Client()
    for body in (b"<html>", b"[]", b'{"unknown": 1}'):
        response = client.post(
            URL,
            data=body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: x_signature(body)},
        )
        assert response.status_code == 400, body
    assert client.get(URL).status_code == 400  # a GET without crc_token
    assert client.put(URL).status_code == 405
    assert capsys.readouterr().out == ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_django_example_alone_under_runserver():
    """``python webhook_django.py runserver``: the one-file mode, over a real socket."""
    port = free_port()
    env = {**os.environ, "X_CONSUMER_SECRET": SECRET, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen(
        [sys.executable, "webhook_django.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=EXAMPLE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}{URL}"
    try:

        def answered_crc():
            # A list, since a response with an error status is false.
            try:
                return [requests.get(base, params={"crc_token": "challenge_string"}, timeout=5)]
            except requests.ConnectionError:
                assert server.poll() is None, server.communicate()
                return None

        [crc] = wait_until(answered_crc, timeout=30, interval=0.1, what="runserver to start")
        assert crc.status_code == 200
        assert crc.json() == {"response_token": x_signature(b"challenge_string")}
        body = body_of("aaa:direct_message_events")
        for forged_body, headers in forgeries(body):
            assert (
                requests.post(base, data=forged_body, headers=headers, timeout=5).status_code == 403
            )
        signed = {SIGNATURE_HEADER: x_signature(body), "Content-Type": "application/json"}
        assert requests.post(base, data=body, headers=signed, timeout=5).status_code == 200
    finally:
        server.terminate()
        out, err = server.communicate(timeout=10)
    # After runserver's banner, only the handler prints: each event once.
    assert out.endswith(printed(body)), out
    assert out.count(printed(body)) == 1, out
    assert SECRET not in out + err
