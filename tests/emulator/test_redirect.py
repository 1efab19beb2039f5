"""DMEmulator.redirect(), the dm_redirect fixture and ``tweepy-dm redirect``.

The scripts in tests/redirect_scripts know nothing of tweepy-dm: they build
``tweepy.Client`` with X's host, as DM code in the wild does, and run here
unchanged.
"""

from __future__ import annotations

import asyncio
import json
import os
import pathlib
import runpy
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
import requests
import tweepy
from click.testing import CliRunner
from requests.adapters import HTTPAdapter
from requests_oauthlib import OAuth1

import tweepy_dm
from tests.conftest import requires_async
from tweepy_dm._compat import NATIVE_DM_SUPPORT
from tweepy_dm.emulator import DMEmulator
from tweepy_dm.emulator import _redirect as redirect_module
from tweepy_dm.emulator._redirect import (
    ENV_VARIABLE,
    X_HOSTS,
    Redirect,
    child_environment,
    current_target,
    normalize_api_url,
    rewrite,
    run_redirected,
    signed_url,
)
from tweepy_dm.emulator.pytest_plugin import ALICE_ID, BOB_ID

SCRIPTS = pathlib.Path(__file__).resolve().parent.parent / "redirect_scripts"
DM_BOT = str(SCRIPTS / "dm_bot.py")
ASYNC_DM_BOT = str(SCRIPTS / "async_dm_bot.py")

#: What a child prints to show whether it is redirected, and where to.
SHOW_TARGET = "from tweepy_dm.emulator._redirect import current_target; print(current_target())"


def originals() -> dict[str, object]:
    """The attributes redirect() patches, as the classes hold them now."""
    found: dict[str, object] = {"HTTPAdapter.send": HTTPAdapter.__dict__["send"]}
    try:
        import aiohttp
    except ImportError:
        return found
    found["ClientSession._request"] = aiohttp.ClientSession.__dict__["_request"]
    return found


def messages(emulator: DMEmulator, user_id: str = BOB_ID) -> list[tuple[str, str]]:
    """(sender id, text) of what a user holds, read with a client pointed at ``emulator``."""
    client = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(user_id))
    events = client.get_dm_events(dm_event_fields=["sender_id", "text"]).data or []
    return [(str(event.sender_id), event.text) for event in events]


def users(emulator: DMEmulator) -> dict[str, str]:
    """Register alice and bob; return alice's credentials."""
    emulator.add_user(BOB_ID, "bob", "Bob")
    return emulator.add_user(ALICE_ID, "alice", "Alice")


def set_credentials(monkeypatch: pytest.MonkeyPatch, credentials: dict[str, str]) -> None:
    for variable, key in (
        ("X_CONSUMER_KEY", "consumer_key"),
        ("X_CONSUMER_SECRET", "consumer_secret"),
        ("X_ACCESS_TOKEN", "access_token"),
        ("X_ACCESS_TOKEN_SECRET", "access_token_secret"),
    ):
        monkeypatch.setenv(variable, credentials[key])


def run_script(monkeypatch: pytest.MonkeyPatch, path: str, *args: str) -> int:
    """Run a script in this process as ``python path args`` would; return its exit code."""
    monkeypatch.setattr(sys, "argv", [path, *args])
    with pytest.raises(SystemExit) as exit_:
        runpy.run_path(path, run_name="__main__")
    return int(exit_.value.code or 0)


def json_lines(text: str) -> dict[str, object]:
    found: dict[str, object] = {}
    for line in text.splitlines():
        if line.startswith("{"):
            found.update(json.loads(line))
    return found


@pytest.fixture
def dm_methods():
    """tweepy's own Client with DM methods: native on 4.12+, else after install()."""
    if NATIVE_DM_SUPPORT:
        yield
        return
    tweepy_dm.install()
    try:
        yield
    finally:
        tweepy_dm.uninstall()


@pytest.fixture
def other(clock):
    """A second emulator, on the same clock as ``emulator``."""
    with DMEmulator(clock=clock) as emulator:
        yield emulator


# The pure parts


@pytest.mark.parametrize("host", sorted(X_HOSTS))
def test_rewrite_moves_x_hosts_and_keeps_path_and_query_byte_for_byte(host):
    url = f"https://{host}/2/dm_events?dm_event.fields=sender_id%2Ctext&x=a%3Ab"
    moved = rewrite(url, "http://127.0.0.1:8787")
    assert moved is not None
    assert moved.url == "http://127.0.0.1:8787/2/dm_events?dm_event.fields=sender_id%2Ctext&x=a%3Ab"
    assert moved.headers == {"Host": host, "X-Forwarded-Proto": "https"}


def test_rewrite_keeps_the_signed_port_and_drops_userinfo():
    moved = rewrite("https://user:pw@API.Twitter.com:8443/2/users/me", "http://h:1/base")
    assert moved is not None
    assert moved.url == "http://h:1/base/2/users/me"
    assert moved.headers["Host"] == "API.Twitter.com:8443"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8787/2/dm_events",
        "https://twitter.com/i/oauth2/authorize",
        "https://api.twitter.com.evil.example/2/dm_events",
        "https://example.com/?host=api.twitter.com",
        "ftp://api.twitter.com/2/dm_events",
        "https://[::1/broken",
    ],
)
def test_rewrite_leaves_other_urls_alone(url):
    assert rewrite(url, "http://127.0.0.1:8787") is None


@pytest.mark.parametrize(
    ("api_url", "error"),
    [
        (None, TypeError),
        (b"http://127.0.0.1:1", TypeError),
        ("127.0.0.1:8787", ValueError),
        ("ftp://127.0.0.1", ValueError),
        ("http://", ValueError),
        ("http://127.0.0.1:99999", ValueError),
        ("http://127.0.0.1:1/?a=1", ValueError),
        ("http://user:pw@127.0.0.1:1", ValueError),
    ],
)
def test_a_bad_api_url_is_refused_with_what_is_allowed(api_url, error):
    with pytest.raises(error, match="api_url must be"):
        Redirect(api_url)
    assert originals() == originals()  # nothing was patched


def test_normalize_api_url_drops_the_trailing_slash():
    assert normalize_api_url("http://127.0.0.1:8787/") == "http://127.0.0.1:8787"


@pytest.mark.parametrize(
    ("proto", "expected"),
    [
        (None, "http://api.twitter.com/2/x?a=1"),
        ("https", "https://api.twitter.com/2/x?a=1"),
        (" HTTPS ", "https://api.twitter.com/2/x?a=1"),
        ("http", "http://api.twitter.com/2/x?a=1"),
        ("javascript", "http://api.twitter.com/2/x?a=1"),
    ],
)
def test_signed_url_takes_the_scheme_only_from_a_known_proto(proto, expected):
    headers = {} if proto is None else {"X-Forwarded-Proto": proto}
    assert signed_url(headers, "api.twitter.com", "/2/x?a=1") == expected


# Patching and restoring


def test_nothing_is_patched_outside_and_the_very_same_attributes_come_back(emulator):
    before = originals()
    assert current_target() is None
    with emulator.redirect() as value:
        assert value is emulator
        during = originals()
        assert all(during[name] is not before[name] for name in before)
        assert current_target() == emulator.url
    after = originals()
    assert all(after[name] is before[name] for name in before)
    assert current_target() is None


def test_an_error_inside_still_restores_everything(emulator):
    before = originals()
    with pytest.raises(RuntimeError, match="boom"), emulator.redirect():
        raise RuntimeError("boom")
    assert all(originals()[name] is before[name] for name in before)
    assert current_target() is None


def test_a_failure_while_patching_leaves_nothing_patched(emulator, monkeypatch):
    before = originals()

    def broken() -> None:
        raise RuntimeError("aiohttp is broken")

    monkeypatch.setattr(redirect_module, "_patch_aiohttp", broken)
    with pytest.raises(RuntimeError, match="aiohttp is broken"), emulator.redirect():
        pass  # pragma: no cover
    assert all(originals()[name] is before[name] for name in before)
    assert current_target() is None


def test_nested_redirects_inner_wins_then_the_outer_applies_again(emulator, other, dm_methods):
    credentials, other_credentials = users(emulator), users(other)
    with emulator.redirect():
        tweepy.Client(**credentials).create_direct_message(participant_id=BOB_ID, text="outer")
        with other.redirect():
            assert current_target() == other.url
            tweepy.Client(**other_credentials).create_direct_message(
                participant_id=BOB_ID, text="inner"
            )
        assert current_target() == emulator.url
        tweepy.Client(**credentials).create_direct_message(participant_id=BOB_ID, text="again")
    assert current_target() is None
    assert [text for _, text in messages(emulator)] == ["again", "outer"]
    assert [text for _, text in messages(other)] == ["inner"]


def test_redirects_may_end_out_of_order(emulator, other):
    before = originals()
    first, second = emulator.redirect(), other.redirect()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert current_target() == other.url  # the latest still wins
    second.__exit__(None, None, None)
    assert current_target() is None
    assert all(originals()[name] is before[name] for name in before)


def test_one_redirect_object_can_be_entered_again(emulator):
    redirect = emulator.redirect()
    with redirect, redirect:
        assert current_target() == emulator.url
        assert repr(redirect) == f"<Redirect to {emulator.url} active>"
    assert current_target() is None
    assert repr(redirect) == f"<Redirect to {emulator.url} inactive>"


def test_as_a_decorator_it_is_active_only_during_each_call(emulator):
    @emulator.redirect()
    def where() -> object:
        return current_target()

    assert current_target() is None
    assert where() == emulator.url
    assert where() == emulator.url
    assert current_target() is None
    assert where.__name__ == "where"


def test_as_a_decorator_on_async_def_concurrent_calls_do_not_interfere(emulator):
    @emulator.redirect()
    async def where(delay: float) -> object:
        await asyncio.sleep(delay)
        return current_target()

    async def main() -> list[object]:
        results = await asyncio.gather(where(0.02), where(0.0), where(0.01))
        return [*results, current_target()]

    assert asyncio.run(main()) == [emulator.url, emulator.url, emulator.url, None]
    assert current_target() is None


def test_async_with_works_too(emulator):
    async def main() -> object:
        async with emulator.redirect() as value:
            assert value is emulator
            return current_target()

    assert asyncio.run(main()) == emulator.url
    assert current_target() is None


# Real clients, unchanged


def test_plain_tweepy_client_with_oauth1(emulator, dm_methods):
    alice = users(emulator)
    with emulator.redirect():
        client = tweepy.Client(**alice)
        sent = client.create_direct_message(participant_id=BOB_ID, text="Hi Bob")
        events = client.get_direct_message_events(dm_event_fields=["sender_id"])
    assert sent.data["dm_conversation_id"] == DMEmulator.conversation_id(ALICE_ID, BOB_ID)
    assert [(str(event.sender_id), event.text) for event in events.data] == [(ALICE_ID, "Hi Bob")]
    assert messages(emulator) == [(ALICE_ID, "Hi Bob")]


def test_plain_tweepy_client_with_a_bearer_token(emulator, dm_methods):
    alice = users(emulator)
    with emulator.redirect():
        client = tweepy.Client(bearer_token=alice["bearer_token"])
        client.create_direct_message(participant_id=BOB_ID, text="Bearer hi", user_auth=False)
        events = client.get_direct_message_events(user_auth=False)
    assert [event.text for event in events.data] == ["Bearer hi"]
    assert messages(emulator) == [(ALICE_ID, "Bearer hi")]


def test_signatures_are_still_checked(emulator, dm_methods):
    alice = users(emulator)
    forged = {**alice, "access_token_secret": "not-the-secret"}
    with emulator.redirect(), pytest.raises(tweepy.Unauthorized):
        tweepy.Client(**forged).create_direct_message(participant_id=BOB_ID, text="forged")
    assert messages(emulator) == []


def test_the_server_checks_the_url_the_client_signed(emulator):
    """Signed for https://api.twitter.com; X-Forwarded-Proto is what makes it verify."""
    alice = users(emulator)
    auth = OAuth1(
        alice["consumer_key"],
        alice["consumer_secret"],
        alice["access_token"],
        alice["access_token_secret"],
    )
    prepared = requests.Request("GET", "https://api.twitter.com/2/dm_events", auth=auth).prepare()
    with requests.Session() as session:
        for proto, status in ((None, 401), ("http", 401), ("https", 200)):
            prepared.url = emulator.url + "/2/dm_events"
            prepared.headers["Host"] = "api.twitter.com"
            prepared.headers.pop("X-Forwarded-Proto", None)
            if proto:
                prepared.headers["X-Forwarded-Proto"] = proto
            assert session.send(prepared).status_code == status, proto


def test_tweepy_dm_client_with_the_default_host_is_redirected(emulator):
    alice = users(emulator)
    with emulator.redirect():
        tweepy_dm.Client(**alice).create_dm(participant_id=BOB_ID, text="via tweepy_dm")
    assert messages(emulator) == [(ALICE_ID, "via tweepy_dm")]


def test_media_uploads_are_redirected_too(emulator, tmp_path):
    from tests.emulator.conftest import PNG

    alice = users(emulator)
    image = tmp_path / "pixel.png"
    image.write_bytes(PNG)
    with emulator.redirect():
        client = tweepy_dm.Client(**alice)  # multipart bodies, which OAuth 1.0a does not sign
        media = client.upload_dm_media(str(image))
        client.create_dm(participant_id=BOB_ID, text="a pixel", media_id=media.id)
    bob = tweepy_dm.Client(api_url=emulator.url, **emulator.credentials(BOB_ID))
    event = bob.get_dm_events(dm_event_fields=["attachments"]).data[0]
    assert event.attachments["media_keys"][0].endswith(str(media.id))


def test_a_client_pointed_elsewhere_is_not_touched(emulator, other):
    users(emulator)
    alice_there = users(other)
    with emulator.redirect():
        tweepy_dm.Client(api_url=other.url, **alice_there).create_dm(
            participant_id=BOB_ID, text="to the other one"
        )
    assert messages(emulator) == []
    assert messages(other) == [(ALICE_ID, "to the other one")]


def test_the_callers_request_is_left_as_it_was_and_the_response_says_where_it_went(emulator):
    alice = users(emulator)
    auth = OAuth1(
        alice["consumer_key"],
        alice["consumer_secret"],
        alice["access_token"],
        alice["access_token_secret"],
    )
    url = "https://api.twitter.com/2/dm_events?dm_event.fields=sender_id"
    prepared = requests.Request("GET", url, auth=auth).prepare()
    with emulator.redirect(), requests.Session() as session:
        response = session.send(prepared)
    assert response.status_code == 200
    # The caller's request still names X, so sending it again later goes to X.
    assert prepared.url == url
    assert "Host" not in prepared.headers
    assert response.url == emulator.url + "/2/dm_events?dm_event.fields=sender_id"
    assert response.request.headers["Host"] == "api.twitter.com"
    assert response.request.headers["X-Forwarded-Proto"] == "https"


def test_proxy_settings_for_x_do_not_catch_the_redirected_request(
    emulator, monkeypatch, dm_methods
):
    alice = users(emulator)
    for variable in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(variable, raising=False)
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.setenv(variable, "http://127.0.0.1:9")  # nothing listens there
    with emulator.redirect():
        tweepy.Client(**alice).create_direct_message(participant_id=BOB_ID, text="no proxy")
    monkeypatch.undo()  # the proxies would catch the direct check below
    assert messages(emulator) == [(ALICE_ID, "no proxy")]


def test_requests_from_other_threads_are_redirected_too(emulator, dm_methods):
    alice = users(emulator)
    errors: list[BaseException] = []

    def send() -> None:
        try:
            tweepy.Client(**alice).create_direct_message(participant_id=BOB_ID, text="thread")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    with emulator.redirect():
        thread = threading.Thread(target=send)
        thread.start()
        thread.join()
    assert errors == []
    assert messages(emulator) == [(ALICE_ID, "thread")]


def test_the_unmodified_script_runs_inside_redirect(emulator, monkeypatch, capsys, dm_methods):
    set_credentials(monkeypatch, users(emulator))
    with emulator.redirect():
        assert run_script(monkeypatch, DM_BOT, BOB_ID, "Hello from a script") == 0
    out = json_lines(capsys.readouterr().out)
    assert out["events"] == [[ALICE_ID, "Hello from a script"]]
    assert out["me"] == [ALICE_ID, "alice"]
    assert messages(emulator) == [(ALICE_ID, "Hello from a script")]


def test_the_unmodified_script_runs_with_a_bearer_token(emulator, monkeypatch, capsys, dm_methods):
    alice = users(emulator)
    monkeypatch.delenv("X_CONSUMER_KEY", raising=False)
    monkeypatch.setenv("X_BEARER_TOKEN", alice["bearer_token"])
    with emulator.redirect():
        assert run_script(monkeypatch, DM_BOT, BOB_ID, "Bearer script") == 0
    assert json_lines(capsys.readouterr().out)["me"] == [ALICE_ID, "alice"]
    assert messages(emulator) == [(ALICE_ID, "Bearer script")]


@requires_async
def test_tweepy_async_client_is_redirected(emulator, dm_methods):
    from tweepy.asynchronous import AsyncClient

    alice = users(emulator)

    @emulator.redirect()
    async def main() -> list[str]:
        client = AsyncClient(**alice)
        await client.create_direct_message(participant_id=BOB_ID, text="async hi")
        bearer = AsyncClient(bearer_token=alice["bearer_token"])
        events = await bearer.get_direct_message_events(user_auth=False)
        return [event.text for event in events.data]

    assert asyncio.run(main()) == ["async hi"]
    assert messages(emulator) == [(ALICE_ID, "async hi")]


@requires_async
def test_the_unmodified_async_script_runs_inside_redirect(
    emulator, monkeypatch, capsys, dm_methods
):
    set_credentials(monkeypatch, users(emulator))
    with emulator.redirect():
        assert run_script(monkeypatch, ASYNC_DM_BOT, BOB_ID, "Async script") == 0
    assert json_lines(capsys.readouterr().out)["events"] == [[ALICE_ID, "Async script"]]


@requires_async
def test_tweepy_dm_async_client_with_the_default_host_is_redirected(emulator):
    alice = users(emulator)

    async def main() -> None:
        async with emulator.redirect(), tweepy_dm.AsyncClient(**alice) as client:
            await client.create_dm(participant_id=BOB_ID, text="async tweepy_dm")

    asyncio.run(main())
    assert messages(emulator) == [(ALICE_ID, "async tweepy_dm")]


# The pytest fixture


def test_the_dm_redirect_fixture(dm_redirect, dm_users, dm_methods):
    alice, bob = dm_users
    assert current_target() == dm_redirect.url
    client = tweepy.Client(**alice.credentials)
    client.create_direct_message(participant_id=bob.id, text="fixture")
    assert messages(dm_redirect) == [(alice.id, "fixture")]


def test_the_fixture_ends_its_redirect_with_the_test(tmp_path):
    suite = tmp_path / "test_user_suite.py"
    suite.write_text(
        textwrap.dedent(
            """
            import tweepy
            import tweepy_dm
            from tweepy_dm._compat import NATIVE_DM_SUPPORT
            from tweepy_dm.emulator._redirect import current_target

            if not NATIVE_DM_SUPPORT:
                tweepy_dm.install()

            def test_uses_it(dm_redirect, dm_users):
                alice, bob = dm_users
                tweepy.Client(**alice.credentials).create_direct_message(
                    participant_id=bob.id, text="Hi"
                )
                assert current_target() == dm_redirect.url

            def test_after_it():
                assert current_target() is None
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


# Child processes: run_redirected and tweepy-dm redirect


def test_child_environment_puts_the_bootstrap_first_and_keeps_pythonpath():
    env = child_environment("http://127.0.0.1:1/", "/boot", {"PYTHONPATH": "/mine", "A": "1"})
    assert env["PYTHONPATH"] == "/boot" + os.pathsep + "/mine"
    assert env[ENV_VARIABLE] == "http://127.0.0.1:1"
    assert env["A"] == "1"
    assert child_environment("http://h:1", "/boot", {})["PYTHONPATH"] == "/boot"


def test_run_redirected_runs_the_unmodified_script(emulator, monkeypatch, capfd):
    set_credentials(monkeypatch, users(emulator))
    code = run_redirected(emulator.url, [sys.executable, DM_BOT, BOB_ID, "From a child"])
    captured = capfd.readouterr()
    assert code == 0, captured.err
    out = json_lines(captured.out)
    assert out["events"] == [[ALICE_ID, "From a child"]]
    assert out["me"] == [ALICE_ID, "alice"]
    assert messages(emulator) == [(ALICE_ID, "From a child")]


@pytest.mark.parametrize("code", [0, 1, 3, 7])
def test_the_exit_code_is_the_commands(emulator, code):
    argv = [sys.executable, "-c", f"import sys; sys.exit({code})"]
    assert run_redirected(emulator.url, argv) == code


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_command_ended_by_a_signal_exits_128_plus_the_signal(emulator):
    argv = [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"]
    assert run_redirected(emulator.url, argv) == 128 + signal.SIGKILL


def test_a_missing_command_exits_127(emulator, capfd):
    assert run_redirected(emulator.url, ["no-such-command-tweepy-dm"]) == 127
    assert "command not found: no-such-command-tweepy-dm" in capfd.readouterr().err


@pytest.mark.parametrize(
    ("argv", "error", "match"),
    [
        ([], ValueError, "argv is empty"),
        ("python bot.py", TypeError, "list of str"),
        ([b"python"], TypeError, "list of str"),
    ],
)
def test_run_redirected_refuses_bad_arguments(argv, error, match):
    with pytest.raises(error, match=match):
        run_redirected("http://127.0.0.1:1", argv)


def test_the_child_and_its_own_children_are_redirected(emulator, capfd):
    grandchild = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {SHOW_TARGET!r}])"
    assert run_redirected(emulator.url, [sys.executable, "-c", grandchild]) == 0
    assert capfd.readouterr().out.splitlines() == [emulator.url]
    assert current_target() is None  # the parent never was


def test_the_child_gains_dm_methods_only_on_old_tweepy(emulator, capfd):
    show = "import tweepy_dm; print(tweepy_dm.is_installed())"
    assert run_redirected(emulator.url, [sys.executable, "-c", show]) == 0
    assert capfd.readouterr().out.strip() == str(not NATIVE_DM_SUPPORT)


def test_an_existing_sitecustomize_still_runs(emulator, tmp_path, monkeypatch, capfd):
    (tmp_path / "sitecustomize.py").write_text("print('their sitecustomize')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    assert run_redirected(emulator.url, [sys.executable, "-c", SHOW_TARGET]) == 0
    assert capfd.readouterr().out.splitlines() == ["their sitecustomize", emulator.url]


def test_a_child_that_cannot_import_tweepy_dm_stops_instead_of_calling_x(
    emulator, tmp_path, monkeypatch, capfd
):
    # A tweepy_dm that fails to import shadows the real one, as in a Python
    # that has tweepy but not tweepy-dm: talking to X unredirected is worse.
    (tmp_path / "tweepy_dm").mkdir()
    (tmp_path / "tweepy_dm" / "__init__.py").write_text("raise ImportError('no tweepy_dm here')\n")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    code = run_redirected(emulator.url, [sys.executable, "-c", "print('ran')"])
    captured = capfd.readouterr()
    assert code == 2
    assert "ran" not in captured.out
    assert "tweepy-dm is not importable by" in captured.err


def test_the_click_command(emulator, monkeypatch, capfd):
    from tweepy_dm.cli._redirect import redirect

    set_credentials(monkeypatch, users(emulator))
    args = ["--api-url", emulator.url, "--", sys.executable, DM_BOT, BOB_ID, "From the CLI"]
    result = CliRunner().invoke(redirect, args)
    assert result.exit_code == 0, capfd.readouterr().err
    assert json_lines(capfd.readouterr().out)["events"] == [[ALICE_ID, "From the CLI"]]

    failing = CliRunner().invoke(
        redirect, ["--api-url", emulator.url, sys.executable, "-c", "raise SystemExit(5)"]
    )
    assert failing.exit_code == 5


def test_the_click_command_reads_x_api_url(emulator, monkeypatch, capfd):
    from tweepy_dm.cli._redirect import redirect

    monkeypatch.setenv("X_API_URL", emulator.url)
    result = CliRunner().invoke(redirect, ["--", sys.executable, "-c", SHOW_TARGET])
    assert result.exit_code == 0
    assert capfd.readouterr().out.strip() == emulator.url


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--api-url", "https://api.twitter.com", "python"], "X's own host"),
        (["--api-url", "localhost:8787", "python"], "--api-url must be an http"),
        (["--api-url", "http://127.0.0.1:1"], "Missing argument"),
    ],
)
def test_the_click_command_refuses_bad_usage(args, message, monkeypatch):
    from tweepy_dm.cli._redirect import redirect

    monkeypatch.delenv("X_API_URL", raising=False)
    result = CliRunner().invoke(redirect, args)
    assert result.exit_code == 2
    assert message in result.output


def test_tweepy_dm_redirect_against_a_running_tweepy_dm_emulator(tmp_path):
    """The README's flow: `tweepy-dm emulator`, its exports, then the unmodified bot."""
    server = subprocess.Popen(
        [sys.executable, "-m", "tweepy_dm", "emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines: list[str] = []
        while not lines or "Ctrl+C" not in lines[-1]:
            lines.append(server.stdout.readline())
            assert lines[-1], "the emulator stopped before it was ready: " + server.stderr.read()
        alice = dict(
            line[len("export ") :].strip().split("=", 1)
            for line in lines[: lines.index("# @bob (id 2)\n")]
            if line.startswith("export ")
        )
        env = {key: value for key, value in os.environ.items() if not key.startswith("X_")}
        env.update(alice)  # X_API_URL too: --api-url is read from it
        bot = [sys.executable, DM_BOT, "2", "From the shell"]
        result = subprocess.run(
            [sys.executable, "-m", "tweepy_dm", "redirect", "--", *bot],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        out = json_lines(result.stdout)
        assert out["events"] == [["1", "From the shell"]]
        assert out["me"] == ["1", "alice"]

        url = alice["X_API_URL"]
        fail = [sys.executable, "-c", "raise SystemExit(9)"]
        failing = subprocess.run(
            [sys.executable, "-m", "tweepy_dm", "redirect", "--api-url", url, *fail], env=env
        )
        assert failing.returncode == 9
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=10)
