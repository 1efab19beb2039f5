"""install() and uninstall(): opt-in, idempotent, exact."""

from __future__ import annotations

import subprocess
import sys

import pytest
import tweepy
import tweepy.client

import tweepy_dm
from tests.conftest import requires_async
from tests.helpers import RecordingAiohttpSession, recording_client
from tweepy_dm._compat import NATIVE_DM_SUPPORT
from tweepy_dm._endpoints import ENDPOINTS

METHOD_NAMES = [name for endpoint in ENDPOINTS for name in (endpoint.name, *endpoint.aliases)]


def _snapshot(*classes):
    return {cls: dict(vars(cls)) for cls in classes}


@pytest.fixture
def installed():
    tweepy_dm.install()
    yield
    tweepy_dm.uninstall()


def _tweepy_classes():
    classes = [tweepy.Client, tweepy.client.BaseClient]
    try:
        from tweepy.asynchronous import AsyncClient
        from tweepy.asynchronous.client import AsyncBaseClient
    except (ImportError, tweepy.TweepyException):
        pass
    else:
        classes += [AsyncClient, AsyncBaseClient]
    return classes


def test_install_then_uninstall_restores_tweepy_exactly():
    before = _snapshot(*_tweepy_classes())
    tweepy_dm.install()
    tweepy_dm.install()  # idempotent
    assert tweepy_dm.is_installed()
    tweepy_dm.uninstall()
    assert not tweepy_dm.is_installed()
    assert _snapshot(*_tweepy_classes()) == before
    tweepy_dm.uninstall()  # harmless when nothing is installed
    assert _snapshot(*_tweepy_classes()) == before


def test_installed_plain_client_has_every_method(installed):
    client = tweepy.Client(
        consumer_key="a", consumer_secret="b", access_token="c", access_token_secret="d"
    )
    for name in METHOD_NAMES:
        assert callable(getattr(client, name)), name


@pytest.mark.skipif(not NATIVE_DM_SUPPORT, reason="tweepy < 4.12 has no DM methods of its own")
def test_install_keeps_what_tweepy_does_right():
    before = _snapshot(*_tweepy_classes())
    tweepy_dm.install()
    try:
        after = _snapshot(*_tweepy_classes())
        for cls, members in before.items():
            for name, member in members.items():
                assert after[cls][name] is member, f"{cls.__name__}.{name} was replaced"
        assert "_process_params" in vars(tweepy.client.BaseClient)
        assert tweepy.client.BaseClient._process_params.__module__ == "tweepy.client"
    finally:
        tweepy_dm.uninstall()


@pytest.mark.skipif(NATIVE_DM_SUPPORT, reason="tweepy 4.12+ maps parameter names correctly itself")
def test_install_fixes_parameter_names_before_4_12(installed):
    client, adapter = recording_client(client_class=tweepy.Client)
    client.get_direct_message_events(dm_event_fields=["id", "sender_id"])
    assert adapter.sent[0].query == (("dm_event.fields", "id,sender_id"),)


def test_install_twice_then_uninstall_once_restores(installed):
    tweepy_dm.install()
    tweepy_dm.uninstall()
    assert not tweepy_dm.is_installed()
    if not NATIVE_DM_SUPPORT:
        assert not hasattr(tweepy.Client, "get_dm_events")


def test_plain_client_sends_dms_after_install(installed):
    client, adapter = recording_client(
        (201, {"data": {"dm_conversation_id": "1-2", "dm_event_id": "3"}}),
        client_class=tweepy.Client,
    )
    response = client.create_dm(participant_id=2, text="hi")
    assert response.data["dm_event_id"] == "3"
    assert adapter.sent[0].json == {"text": "hi"}


@requires_async
@pytest.mark.asyncio
async def test_plain_async_client_after_install(installed):
    from tweepy.asynchronous import AsyncClient

    client = AsyncClient(
        consumer_key="a", consumer_secret="b", access_token="c", access_token_secret="d"
    )
    client.session = session = RecordingAiohttpSession((200, {"meta": {"result_count": 0}}))
    await client.get_dm_events(dm_event_fields="id")
    assert session.sent[0].query == (("dm_event.fields", "id"),)


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_import_patches_nothing_and_imports_no_aiohttp():
    code = (
        "import sys, tweepy, tweepy.client\n"
        "before = {c: dict(vars(c)) for c in (tweepy.Client, tweepy.client.BaseClient)}\n"
        "import tweepy_dm\n"
        "after = {c: dict(vars(c)) for c in (tweepy.Client, tweepy.client.BaseClient)}\n"
        "print(before == after, 'aiohttp' in sys.modules)\n"
    )
    assert _run(code) == "True False"


def test_async_client_without_support_raises_import_error():
    code = (
        "import tweepy_dm\n"
        "try:\n"
        "    tweepy_dm.AsyncClient(bearer_token='x')\n"
        "except ImportError as exc:\n"
        "    print('ImportError', exc)\n"
        "else:\n"
        "    print('ok')\n"
    )
    # Hide aiohttp so the check holds on every env, async extra or not.
    blocker = "import sys; sys.modules['aiohttp'] = None\n"
    output = _run(blocker + code)
    assert output.startswith("ImportError tweepy_dm.AsyncClient needs")
    assert "tweepy-dm[async]" in output
