"""``tweepy-dm migrate check``: what a user still needs before DMs move to XChat (/2/chat).

After :data:`~tweepy_dm._facts.LEGACY_DM_LAST_DAY` X accepts no new
unencrypted DM; /2/chat, end-to-end encrypted, is the only DM API. The check
looks, with the user's own credentials, at:

1. the key file (``--xchat-key`` or X_XCHAT_KEY_FILE): given, and a key blob
   (its content is never printed);
2. the user's public keys on X (GET /2/users/{id}/public_keys): registered,
   and one of them this key file's;
3. the credentials: OAuth 1.0a works on /2/chat only until
   :data:`~tweepy_dm._facts.OAUTH1_CHAT_LAST_DAY` (ready until then, with a
   warning); an OAuth 2.0 token needs :data:`~tweepy_dm._facts.CHAT_SCOPES`.
   X's OAuth 2.0 access tokens are opaque: their scopes cannot be read from
   them, only from the ``scope`` of the token response, which ``--scopes``
   takes. Without it, the scopes X's answers prove are reported, and the rest
   is missing.

Each thing missing comes with the command to run next. Exit status 0 when
ready, 1 when not, 2 for a usage error (no credentials, say).

``tweepy-dm migrate register`` registers a key file's public keys with X, for
a key made without ``keygen --register``; it does nothing when they are.
"""

from __future__ import annotations

import datetime
import os
import re
import stat
import time
from typing import Any, NamedTuple, Optional

import click
import tweepy

from tweepy_dm._facts import (
    CHAT_MEDIA_SCOPES,
    CHAT_SCOPES,
    LEGACY_DM_LAST_DAY,
    OAUTH1_CHAT_LAST_DAY,
)
from tweepy_dm.cli._errors import describe_error, handle_errors
from tweepy_dm.cli._options import (
    XCHAT_KEY_VARIABLE,
    credential_options,
    make_client,
    xchat_key_option,
)
from tweepy_dm.cli._output import console, plural

#: Exit status of a check that found something missing.
NOT_READY = 1
SCOPES_VARIABLE = "X_OAUTH2_SCOPES"
#: The step that makes a key file and registers its public key.
KEYGEN = (
    f"tweepy-dm xchat keygen --register xchat.key && export {XCHAT_KEY_VARIABLE}=$PWD/xchat.key"
)
_INSTALL = 'python -m pip install "tweepy-dm[xchat]" (chatxdk needs Python 3.10+)'


# Looked up at call time, so that tests can move the day.
def _today() -> datetime.date:
    return datetime.datetime.now(datetime.timezone.utc).date()


class Finding(NamedTuple):
    state: str  # "ok", "warning" (ready, but mind it) or "missing"
    text: str
    next: Optional[str] = None  # the command (or step) that fixes it


def _key(path: Optional[str], client: Any, user_id: str) -> tuple[list[Finding], Any]:
    """The key file's findings, and the XChat session it opens (None if it does not)."""
    if path is None:
        return [
            Finding(
                "missing",
                f"no key file: give --xchat-key FILE or set {XCHAT_KEY_VARIABLE}",
                KEYGEN,
            )
        ], None
    try:
        from tweepy_dm import xchat
    except ImportError as error:
        return [Finding("missing", f"cannot open {path}: {error}", _INSTALL)], None
    findings = []
    try:
        with open(path, "rb") as file:
            blob = file.read()
        session = xchat.XChat(client, key_blob=blob, user_id=user_id)
    except OSError as error:
        return [Finding("missing", f"cannot read the key file {path}: {error.strerror}")], None
    except ValueError:
        # Never the SDK's words: they could describe the blob.
        return [
            Finding(
                "missing",
                f"{path} is not a key blob (tweepy-dm xchat keygen makes one)",
                KEYGEN,
            )
        ], None
    findings.append(Finding("ok", f"key file {path} holds a key blob"))
    if os.name == "posix" and stat.S_IMODE(os.stat(path).st_mode) & 0o077:
        findings.append(
            Finding(
                "warning",
                f"{path} can be read by other users: it is a secret key",
                f"chmod 600 {path}",
            )
        )
    return findings, session


def _registered(client: Any, user_id: str, user_auth: bool) -> list[dict[str, Any]]:
    """The user's public keys on X (GET /2/users/{id}/public_keys)."""
    response = client.get_user_public_keys(
        user_id, public_key_fields=["public_key", "public_key_version"], user_auth=user_auth
    )
    return [key for key in _records(response) if key.get("public_key")]


def _matching(session: Any, keys: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The registered keys that are the key blob's (the SDK compares the identity keys)."""
    chat = session._session.chat
    return [key for key in keys if chat.matches_registered_key(key["public_key"])]


def _public_keys(
    client: Any, user_id: str, user_auth: bool, session: Any, path: Optional[str]
) -> tuple[list[Finding], bool]:
    """The findings about the user's public keys on X, and whether X listed them."""
    try:
        keys = _registered(client, user_id, user_auth)
    except tweepy.HTTPException as error:
        text = f"cannot list your public keys on X: {describe_error(error)}"
        return [Finding("missing", text)], False
    register = f"tweepy-dm migrate register --xchat-key {path}" if session else KEYGEN
    if not keys:
        text = f"X has no public key registered for user {user_id}"
        return [Finding("missing", text, register)], True
    versions = ", ".join(str(key.get("public_key_version")) for key in keys)
    registered = f"X has {plural(len(keys), 'public key')} for you (version {versions})"
    if session is None:
        return [Finding("ok", registered)], True
    matches = _matching(session, keys)
    if not matches:
        text = (
            f"{registered}, but none is the key file's: give the key file they came from, "
            "or register this one"
        )
        return [Finding("missing", text, register)], True
    version = matches[-1].get("public_key_version")
    return [
        Finding("ok", f"the key file's public key is registered on X (version {version})")
    ], True


def _records(response: Any) -> list[dict[str, Any]]:
    data = response.data if hasattr(response, "data") else (response or {}).get("data")
    return [dict(getattr(item, "data", item)) for item in data or []]


def _oauth1() -> list[Finding]:
    last = datetime.date.fromisoformat(OAUTH1_CHAT_LAST_DAY)
    move = (
        "get an OAuth 2.0 user token with the scopes "
        + " ".join(CHAT_SCOPES)
        + " (and "
        + " ".join(CHAT_MEDIA_SCOPES)
        + " for media): "
    )
    if _today() > last:
        # The exchange closed with OAuth 1.0a: only a new authorization is left.
        move += (
            "tweepy-dm auth login --token-store FILE, then pass --token-store FILE (or set "
            "X_BEARER_TOKEN to a token you refresh yourself)"
        )
        return [Finding("missing", f"OAuth 1.0a ended on /2/chat after {OAUTH1_CHAT_LAST_DAY}",
                        move)]  # fmt: skip
    move += (
        "tweepy-dm auth exchange --token-store FILE moves this user without a new login "
        "(until then), then pass --token-store FILE"
    )
    return [
        Finding(
            "warning",
            f"OAuth 1.0a works on /2/chat only until {OAUTH1_CHAT_LAST_DAY}: move to "
            "OAuth 2.0 before then",
            move,
        )
    ]


def _oauth2(scopes: Optional[str], proven: list[str]) -> list[Finding]:
    wanted = " ".join(CHAT_SCOPES + CHAT_MEDIA_SCOPES)
    authorize = (
        f"authorize the app again with the scopes {wanted} (offline.access to refresh), "
        f'then run this check with --scopes "<the token response\'s scope>"'
    )
    if scopes is None:
        return [
            Finding(
                "missing",
                "the OAuth 2.0 token's scopes cannot be read from the token (X's tokens do not "
                f"say them): X's answers here prove {', '.join(proven)}; nothing here can prove "
                f"{', '.join(s for s in CHAT_SCOPES + CHAT_MEDIA_SCOPES if s not in proven)}."
                " Give the scope X returned with the token",
                f'tweepy-dm migrate check --scopes "{wanted}" (the token response\'s scope)',
            )
        ]
    granted = set(re.split(r"[\s,]+", scopes.strip()))
    missing = [scope for scope in CHAT_SCOPES if scope not in granted]
    if missing:
        return [Finding("missing", f"the OAuth 2.0 token lacks {', '.join(missing)}", authorize)]
    findings = [Finding("ok", "the OAuth 2.0 token has " + ", ".join(CHAT_SCOPES))]
    if not all(scope in granted for scope in CHAT_MEDIA_SCOPES):
        findings.append(
            Finding("warning", "without media.write, media cannot be sent or downloaded", authorize)
        )
    return findings


def _token(client: Any, user_auth: bool, now: float) -> list[Finding]:
    """What kind of OAuth 2.0 token the client holds, its scopes and expiry (never the token)."""
    if user_auth:
        return []
    from tweepy_dm._oauth2 import Credential

    credential = client.bearer_token
    if not isinstance(credential, Credential):
        return [
            Finding(
                "warning",
                "the token is a bare OAuth 2.0 access token: it lives two hours and nothing "
                "refreshes it",
                "tweepy-dm auth login --client-id ID --token-store FILE, then pass "
                "--token-store FILE",
            )
        ]
    expires = credential.expires_at
    left = (
        "no known expiry"
        if expires is None
        else f"expires in {max(0, round((expires - now) / 60))} min"
    )
    text = (
        f"the token is an {credential.kind} from {credential._store.url} "
        f"(scopes {' '.join(sorted(credential.scopes)) or 'unknown'}; {left})"
    )
    if not credential.renewable:
        return [
            Finding(
                "warning",
                text + ", with no refresh token: it stops when it expires",
                "tweepy-dm auth login again, asking for offline.access",
            )
        ]
    return [Finding("ok", text + ", refreshed as it expires")]


@click.group()
def migrate() -> None:
    """Move DMs to XChat (/2/chat, end-to-end encrypted) before legacy DMs end."""


@migrate.command()
@click.option(
    "--scopes",
    metavar="SCOPES",
    envvar=SCOPES_VARIABLE,
    show_envvar=True,
    help="The scopes of the OAuth 2.0 token, as X returned them with it (the token "
    "response's scope): X's tokens do not reveal them.",
)
@credential_options
@xchat_key_option
@handle_errors
def check(scopes: Optional[str], xchat_key: Optional[str], **credentials: Any) -> None:
    """Say what is missing for the cutover to XChat, and what to run next.

    Checks the key file (--xchat-key or X_XCHAT_KEY_FILE), that its public
    key is registered on X, and the credentials: OAuth 1.0a works on /2/chat
    until 2027-01-31 (ready, with a warning); an OAuth 2.0 token needs
    dm.read, dm.write, tweet.read and users.read (media.write for media),
    which only --scopes can say. Exit status 0 when ready, 1 when something
    is missing, 2 for a usage error.
    """
    # The key is checked here, on a plain client, so that its problems are findings.
    client, user_auth = make_client(**credentials)
    me = client.get_me(user_auth=user_auth).data
    user_id = str(me.id)
    output = console()
    output.print(
        f"User {user_id} (@{me.username}): legacy DMs end after "
        f"{LEGACY_DM_LAST_DAY}; then /2/chat (XChat) is the only DM API.",
        markup=False,
    )
    findings, session = _key(xchat_key, client, user_id)
    keys, listed = _public_keys(client, user_id, user_auth, session, xchat_key)
    findings += keys
    # /2/users/me needs tweet.read and users.read; listing public keys also dm.read.
    proven = ["tweet.read", "users.read"] + (["dm.read"] if listed else [])
    findings += _token(client, user_auth, time.time())
    known = getattr(client.bearer_token, "scopes", None)
    if scopes is None and not user_auth and known:
        scopes = " ".join(sorted(known))  # the stored token says what X granted
    findings += _oauth1() if user_auth else _oauth2(scopes, proven)
    for finding in findings:
        output.print(f"  {finding.state:<8} {finding.text}", markup=False)
    missing = [f for f in findings if f.state == "missing"]
    advice = [f.next for f in findings if f.next and f.state == "warning"]
    if missing:
        output.print(f"Not ready: {plural(len(missing), 'thing')} missing. Next:", markup=False)
        # One step may fix two findings (a new key is also a registered one): said once.
        for step in dict.fromkeys(f.next or f"fix: {f.text}" for f in missing):
            output.print(f"  {step}", markup=False)
        raise click.exceptions.Exit(NOT_READY)
    output.print(
        "Ready for XChat: pass --xchat-key (or set X_XCHAT_KEY_FILE) to send, events, "
        "export, listen and bot run.",
        markup=False,
    )
    for step in dict.fromkeys(advice):
        output.print(f"  then: {step}", markup=False)


@migrate.command()
@credential_options
@xchat_key_option
@handle_errors
def register(xchat_key: Optional[str], **credentials: Any) -> None:
    """Register the key file's public keys with X, unless they are already.

    For a key file made without --register (tweepy-dm xchat keygen FILE);
    migrate check says when it is needed. Only the public keys the SDK
    derives are sent; the file's content is never printed.
    """
    if xchat_key is None:
        raise click.UsageError(f"give the key file: --xchat-key FILE, or set {XCHAT_KEY_VARIABLE}")
    client, user_auth = make_client(**credentials)
    user_id = str(client.get_me(user_auth=user_auth).data.id)
    try:
        from tweepy_dm import xchat
    except ImportError as error:
        raise click.ClickException(str(error)) from None
    with open(xchat_key, "rb") as file:
        session = xchat.XChat(client, key_blob=file.read(), user_id=user_id)
    output = console()
    matches = _matching(session, _registered(client, user_id, user_auth))
    if matches:
        version = matches[-1].get("public_key_version")
        output.print(f"{xchat_key} is already registered on X (version {version})", markup=False)
        return
    version = session.register_keys()
    output.print(f"registered the public keys of {xchat_key} with X: version {version}",
                 markup=False)  # fmt: skip
