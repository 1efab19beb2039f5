"""No credential in any message of the command line, whatever the credential holds."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

click = pytest.importorskip("click", reason="the cli extra is not installed")

import requests  # noqa: E402
import tweepy  # noqa: E402
from click.testing import CliRunner  # noqa: E402

import tweepy_dm  # noqa: E402
from tests.cli.helpers import ALICE, BOB, CLEAN, ONE_TO_ONE, invoke, oauth1_env  # noqa: E402
from tweepy_dm.cli._errors import handle_errors  # noqa: E402
from tweepy_dm.cli._options import credential_options, make_client  # noqa: E402

VARIABLES = {
    "consumer_key": "X_CONSUMER_KEY",
    "consumer_secret": "X_CONSUMER_SECRET",
    "access_token": "X_ACCESS_TOKEN",
    "access_token_secret": "X_ACCESS_TOKEN_SECRET",
    "bearer_token": "X_BEARER_TOKEN",
}


def spellings(secret):
    """The ways a library may print a secret: as is, repr- or JSON-escaped, percent-encoded."""
    return {secret, repr(secret)[1:-1], json.dumps(secret)[1:-1], quote(secret, safe="")}


def assert_hidden(secret, output):
    for spelling in spellings(secret) | spellings(secret.strip()):
        assert spelling not in output, f"{spelling!r} is in the output:\n{output}"


def test_bearer_token_with_a_trailing_newline_works_and_is_never_printed(emulator, users):
    # As `export X_BEARER_TOKEN="$(cat token.txt)"` cannot give, but a .env file or a
    # secret mount can: requests would put the whole token in its error text.
    alice = tweepy_dm.Client(api_url=emulator.url, **users[ALICE])
    alice.create_dm(participant_id=BOB, text="hi")
    token = users[BOB]["bearer_token"]
    env = {"X_API_URL": emulator.url, "X_BEARER_TOKEN": token + "\n"}
    result = invoke("events", "--format", "jsonl", env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output.splitlines()[0])["text"] == "hi"
    assert token not in result.output


def test_oauth1_credentials_with_surrounding_whitespace_work(emulator, users):
    env = {
        name: f"  {value}\r\n" if name != "X_API_URL" else value
        for name, value in oauth1_env(emulator, users[ALICE]).items()
    }
    result = invoke("send", "--to", BOB, "padded", env=env)
    assert result.exit_code == 0, result.output
    assert f"dm_conversation_id: {ONE_TO_ONE}" in result.output
    for key in VARIABLES:
        if key != "bearer_token":
            assert users[ALICE][key] not in result.output


@pytest.mark.parametrize("parameter", sorted(VARIABLES))
@pytest.mark.parametrize("inside", ["\n", "\r", "\t", " ", "\x00", "\x1b[2J"])
def test_a_credential_with_whitespace_or_control_inside_is_refused_unseen(
    emulator, users, parameter, inside
):
    credentials = dict(users[ALICE])
    secret = credentials[parameter]
    broken = secret[:10] + inside + secret[10:]
    env = {
        "X_API_URL": emulator.url,
        **{VARIABLES[key]: value for key, value in credentials.items() if key in VARIABLES},
        VARIABLES[parameter]: broken,
    }
    if inside == "\x00":  # no environment variable can hold a NUL: use the option
        del env[VARIABLES[parameter]]
        args = ["--" + parameter.replace("_", "-"), broken]
    else:
        args = []
    result = invoke("send", "--to", BOB, "never sent", *args, env=env)
    assert result.exit_code == 2, result.output
    assert VARIABLES[parameter] in result.output
    assert "whitespace or a control character inside" in result.output
    for half in (secret[:10], secret[10:], broken):
        assert_hidden(half, result.output)
    bob = tweepy_dm.Client(api_url=emulator.url, **users[BOB])
    assert bob.get_dm_events().data is None  # nothing was sent


# Tokens that look like other text: words of the messages, markup, patterns,
# escapes, percent-encoding, non-ASCII, another token's prefix.
ODD_TOKENS = [
    "Bearer",
    "value",
    "[bold]token[/bold]",
    "a.*b+c?(d)|e",
    "back\\nslash",
    "100%25-sure",
    "ünïcødé-tøkén",
    "{braces}and'quotes\"",
    "x" * 2000,
]


def _command_raising(make_error):
    """A command like the real ones whose work fails with ``make_error(credentials)``."""

    @click.command()
    @credential_options
    @handle_errors
    def command(**credentials):
        make_client(**credentials)
        raise make_error(credentials)

    return command


def _invalid_header(credentials):
    # A real requests error: requests quotes the whole header value, token included.
    try:
        requests.Session().prepare_request(
            requests.Request(
                "GET",
                "http://127.0.0.1:9/2/dm_events",
                headers={"Authorization": f"Bearer {credentials['bearer_token']}\nX-Other: 1"},
            )
        )
    except requests.exceptions.InvalidHeader as error:
        return error
    raise AssertionError("requests accepted a header value with a newline")


def _unauthorized(credentials):
    # X's error text, were it to echo what it was sent.
    response = requests.Response()
    response.status_code = 401
    response._content = json.dumps(
        {"title": "Unauthorized", "detail": f"Bad token {credentials['bearer_token']!r}"}
    ).encode()
    return tweepy.Unauthorized(response)


ERRORS = {
    "requests InvalidHeader (exit 1)": (_invalid_header, 1),
    "X's error text (exit 1)": (_unauthorized, 1),
    "ValueError (usage error, exit 2)": (lambda c: ValueError(f"bad: {c!r}"), 2),
    "TypeError (usage error, exit 2)": (lambda c: TypeError(str(c)), 2),
    "OSError (exit 1)": (lambda c: OSError(f"{c['bearer_token']}: no such file"), 1),
    "a bug: traceback (exit 1)": (lambda c: KeyError(c["bearer_token"]), 1),
    "click usage error (exit 2)": (lambda c: click.UsageError(str(c)), 2),
}


@pytest.mark.parametrize("token", ODD_TOKENS, ids=range(len(ODD_TOKENS)))
@pytest.mark.parametrize("error", sorted(ERRORS))
def test_error_messages_never_hold_a_credential(token, error):
    make_error, status = ERRORS[error]
    env = {**CLEAN, "X_API_URL": "http://127.0.0.1:9", "X_BEARER_TOKEN": token}
    result = CliRunner().invoke(_command_raising(make_error), [], env=env)
    assert result.exit_code == status, result.output
    assert "[REDACTED]" in result.output
    assert_hidden(token, result.output)
