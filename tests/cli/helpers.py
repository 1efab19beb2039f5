"""Users, credentials and a runner for the command-line tests."""

from __future__ import annotations

import json
import sys

ALICE, BOB, CAROL = "1001", "1002", "1003"
ONE_TO_ONE = f"{ALICE}-{BOB}"


def oauth1_env(emulator, credentials):
    return {
        "X_API_URL": emulator.url,
        "X_CONSUMER_KEY": credentials["consumer_key"],
        "X_CONSUMER_SECRET": credentials["consumer_secret"],
        "X_ACCESS_TOKEN": credentials["access_token"],
        "X_ACCESS_TOKEN_SECRET": credentials["access_token_secret"],
    }


def bearer_env(emulator, credentials):
    return {"X_API_URL": emulator.url, "X_BEARER_TOKEN": credentials["bearer_token"]}


#: ``python -m tweepy_dm`` for a test that stops the command with SIGINT (Ctrl-C):
#: a shell's background jobs start with SIGINT ignored, a Python child inherits
#: that, and the command would never see the signal; this one handles it as an
#: interactive ``python -m tweepy_dm`` does.
INTERRUPTIBLE_CLI = [
    sys.executable,
    "-c",
    "import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
    "runpy.run_module('tweepy_dm', run_name='__main__', alter_sys=True)",
]

CLEAN = dict.fromkeys(
    ["X_API_URL", "X_CONSUMER_KEY", "X_CONSUMER_SECRET", "X_ACCESS_TOKEN",
     "X_ACCESS_TOKEN_SECRET", "X_BEARER_TOKEN"]
)  # fmt: skip


def invoke(*args, env=None):
    from click import testing as click_testing

    from tweepy_dm.cli._app import cli

    runner = click_testing.CliRunner()
    return runner.invoke(cli, list(args), env={**CLEAN, **(env or {})}, catch_exceptions=False)


def export_lines(path):
    """The events of an export file, one per JSON line."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def registered_key(api_url, credentials, user_id):
    """A new XChat key blob of ``user_id`` with its public keys registered on X, and the
    user's ``XChat`` session (needs chatxdk)."""
    import tweepy_dm
    from tweepy_dm import xchat

    blob = xchat.XChat.generate_keys()
    client = tweepy_dm.Client(**credentials, api_url=api_url)
    chat = xchat.XChat(client, key_blob=blob, user_id=user_id)
    chat.register_keys()
    return blob, chat
