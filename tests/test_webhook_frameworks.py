"""The framework examples of docs/webhooks.rst (docs/examples/webhook_*.py), in each framework.

Flask mounts the WSGI receiver, FastAPI the ASGI one, Django uses a view on
verify_signature and parse_webhook. Each answers X's CRC, hands a signed DM
to its handler and refuses a forged one, through the framework's own test
client. These frameworks drop old Pythons: they run in ``tox -e webhooks``
(the ``servers`` marker), skipped where the framework is not installed.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import sys

import pytest

from tweepy_dm.webhooks import SIGNATURE_HEADER, crc_response

pytestmark = pytest.mark.servers

EXAMPLES = pathlib.Path(__file__).resolve().parent.parent / "docs" / "examples"
SECRET = "the app's consumer secret"
BODY = json.dumps(
    {
        "for_user_id": "2244994945",
        "direct_message_events": [
            {
                "type": "message_create",
                "id": "1050000000000000000",
                "created_timestamp": "1784928224372",
                "message_create": {
                    "target": {"recipient_id": "2244994945"},
                    "sender_id": "3805104374",
                    "message_data": {"text": "Hello from X", "entities": {}},
                },
            }
        ],
    }
).encode()
SIGNATURE = crc_response(SECRET, BODY.decode())["response_token"]  # the same HMAC as X's
PRINTED = "dm.received for 2244994945: Hello from X"


def _load(name, monkeypatch):
    monkeypatch.setenv("X_CONSUMER_SECRET", SECRET)
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, name, module)
    spec.loader.exec_module(module)
    return module


def _check(get, post, capsys):
    crc = get("/x/webhook?crc_token=challenge")
    assert crc.status_code == 200
    assert json.loads(crc.content if hasattr(crc, "content") else crc.data) == crc_response(
        SECRET, "challenge"
    )
    assert post("/x/webhook", BODY, {SIGNATURE_HEADER: SIGNATURE}).status_code == 200
    assert PRINTED in capsys.readouterr().out
    forged = post(
        "/x/webhook", BODY, {SIGNATURE_HEADER: crc_response("not it", "x")["response_token"]}
    )
    assert forged.status_code == 403
    assert post("/x/webhook", BODY, {}).status_code == 403
    assert PRINTED not in capsys.readouterr().out


def test_flask_mounts_the_wsgi_receiver(monkeypatch, capsys):
    pytest.importorskip("flask")
    client = _load("webhook_flask", monkeypatch).app.test_client()
    _check(
        lambda path: client.get(path),
        lambda path, body, headers: client.post(path, data=body, headers=headers),
        capsys,
    )


def test_fastapi_mounts_the_asgi_receiver(monkeypatch, capsys):
    pytest.importorskip("fastapi")
    pytest.importorskip("httpx")
    from fastapi.testclient import TestClient

    with TestClient(_load("webhook_fastapi", monkeypatch).app) as client:
        _check(
            lambda path: client.get(path),
            lambda path, body, headers: client.post(path, content=body, headers=headers),
            capsys,
        )


def test_django_view_on_verify_signature_and_parse_webhook(monkeypatch, capsys):
    pytest.importorskip("django")
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], SECRET_KEY="tests", DEBUG=True
        )
        django.setup()
    from django.test import Client
    from django.urls import clear_url_caches, path

    views = _load("webhook_django", monkeypatch)
    monkeypatch.setitem(globals(), "urlpatterns", [path("x/webhook", views.x_webhook)])
    clear_url_caches()
    client = Client()
    _check(
        lambda url: client.get(url),
        lambda url, body, headers: client.post(
            url, data=body, content_type="application/json", headers=headers
        ),
        capsys,
    )
