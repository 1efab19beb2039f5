"""Every Python code block in ``docs/*.rst`` runs as shown, against the emulator.

The rules are mechanical, so that what runs is what the page shows:

* **Blocks.** Each ``.. code-block:: python`` of a page, dedented, in page
  order. A page's blocks share one namespace: a later block may use names an
  earlier one defined, as a reader carries them along.
* **Not run.** A block right after a reST comment ``.. not-run: <reason>``
  (invisible in the built pages) is not run. :data:`NOT_RUN` lists them, and
  a test checks that the list and the docs agree, so an exception is never
  silent.
* **Where.** Each page runs in a fresh :class:`DMEmulator`, inside its
  :meth:`~DMEmulator.redirect`, so clients built without ``api_url`` (as the
  docs build them) reach it, OAuth 1.0a signatures still checked. The working
  directory is a temporary one, also put first on ``sys.path``.
* **Users.** alice (``750362064426721281``), bob (``1072250532645998596``)
  and TwitterDev (``2244994945``), the ids of X's own examples that the docs
  use. The snippets' ``client`` is bob: the docs send to alice and read the
  alice-bob conversation. That conversation holds :data:`SEEDED` messages and
  one photo message from bob, so that the reading and media-download snippets
  have something to go through.
* **Placeholder credentials.** A string literal given as ``consumer_key``,
  ``consumer_secret``, ``access_token``, ``access_token_secret`` or
  ``bearer_token`` to any call (``"..."``, ``"API key"``, ``"OAuth 2.0 user
  access token"``) is replaced by bob's real value (see
  :class:`_RealCredentials`). Nothing else in a block is changed.
* **Setup namespace.** :data:`SETUP` says, for every page with Python blocks,
  which names the page assumes without defining them (a page not listed there
  fails the test, rather than being skipped): ``client``, bob's
  ``tweepy_dm.Client(**credentials)``; ``dm_emulator``, a fresh emulator as
  the pytest fixture gives it; ``alice-bob.jsonl``, not a name but the file
  the CLI page's ``tweepy-dm export alice-bob.jsonl --with
  1072250532645998596`` writes, made by running that command as alice;
  ``tweepy_dm.install()``, not a name but what the testing page tells users
  of tweepy < 4.12 to call in their ``conftest.py`` so that a plain
  ``tweepy.Client`` has the DM methods: called there (only), undone after;
  ``xchat.key``, not a name but bob's XChat key blob in that file, with
  alice's and bob's public keys registered.
* **XChat blocks** (``xchat_key=``, ``tweepy_dm.xchat``) are left out, like async ones
  below, where chatxdk cannot be imported (Python 3.9, or no xchat extra).
* **Files.** :data:`MEDIA_FILES` are in the working directory: a real 16x16
  JPEG, a real 8x8 PNG, and MP4s made of an ``ftyp`` box and an empty
  ``mdat`` (X and the emulator tell the type from those first bytes). A block
  whose first line is ``# name.py`` is also written to that file, so that a
  later block can import it (``greeter.py`` on the testing page).
* **pytest-style blocks.** Each ``test_*`` function a block defines is called
  after the block, with fresh equivalents of the fixtures it names
  (``dm_emulator``, ``dm_users``, ``dm_redirect``: a new emulator, the
  plugin's alice and bob, a redirect for the call; ``tmp_path``: a new
  empty directory; ``dm_chat``: a new :class:`~tweepy_dm.testing.DMChat`).
* **Async blocks** (``async``, ``await``, ``asyncio.``, ``AsyncClient``,
  ``AsyncPaginator``) run as written (they call ``asyncio.run`` themselves).
  Where tweepy's AsyncClient cannot be imported (tweepy < 4.10 or no aiohttp)
  or ``AsyncPaginator`` is missing (tweepy < 4.11), such a block (in a
  pytest-style block, such a test function) is left out, the page's other
  blocks still run, and the test then skips, naming what it left out and why.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import pathlib
import re
import sys
import tempfile
import textwrap
import traceback
from collections.abc import Iterator
from typing import Any, NamedTuple, Optional

import pytest

import tweepy_dm
from tweepy_dm._async_client import _load_tweepy_async_client
from tweepy_dm.emulator import DMEmulator, EmulatorUser
from tweepy_dm.emulator.pytest_plugin import ALICE_ID, BOB_ID

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"
TWITTER_DEV_ID = "2244994945"

#: Names (and files) each page uses without defining them; see the module docstring.
SETUP: dict[str, tuple[str, ...]] = {
    "asyncclient.rst": (),
    "authentication.rst": (),
    "bot.rst": ("xchat.key",),
    "cli.rst": ("alice-bob.jsonl",),
    "client.rst": (),
    "credentials.rst": (),
    "emulator.rst": (),
    "errors.rst": ("client",),
    "expansions_and_fields.rst": ("client",),
    "index.rst": ("xchat.key",),
    "media.rst": (),
    "migrating.rst": ("xchat.key",),
    "models.rst": ("client",),
    "plain_tweepy.rst": (),
    "rate_limits.rst": ("client",),
    "reading.rst": ("client",),
    "realtime.rst": (),
    "sending.rst": ("client",),
    "testing.rst": ("dm_emulator", "tweepy_dm.install()"),
    "webhooks.rst": (),
    "xchat.rst": (),
}

_NEEDS_CHATXDK = (
    "it needs chatxdk (Python 3.10+ and the xchat extra); tests/xchat/test_xchat.py runs these "
    "steps against the emulator"
)
#: Blocks marked ``.. not-run:`` in the docs, as (page, number of the block on the page).
NOT_RUN: dict[tuple[str, int], str] = {
    ("authentication.rst", 2): "the OAuth 2.0 flow needs a person to authorize the app in "
    "a browser",
    ("bot.rst", 2): "it runs the bot until the process is stopped (tests/bot runs it)",
    ("credentials.rst", 1): "it needs a token from a login; tests/auth/test_oauth2_user_token.py "
    "runs it against the emulator",
    ("credentials.rst", 2): "it needs a person to authorize the app; "
    "tests/auth/test_oauth2_user_token.py drives the emulator's consent page",
    ("credentials.rst", 3): "it needs a bot account; tests/auth/test_bot_token_and_exchange.py "
    "runs it against the emulator",
    ("realtime.rst", 2): "it waits until someone sends the subscribed user a DM "
    "(tests/emulator/test_activity.py runs this loop against the emulator)",
    ("xchat.rst", 1): _NEEDS_CHATXDK,
    ("xchat.rst", 2): _NEEDS_CHATXDK,
    ("xchat.rst", 3): _NEEDS_CHATXDK,
    ("xchat.rst", 4): "it needs chatxdk (Python 3.10+ and the xchat extra); "
    "tests/xchat/test_legacy_calls.py runs a legacy script like it against the emulator",
    ("xchat.rst", 5): "it needs chatxdk (Python 3.10+ and the xchat extra); "
    "tests/xchat/test_receiving_chat.py runs it against the emulator",
    ("testing.rst", 12): "it needs chatxdk (Python 3.10+ and the xchat extra); "
    "tests/xchat/test_emulator_keys.py runs these steps",
}

#: Messages seeded into the alice-bob conversation before a page runs.
SEEDED = 5
CREDENTIAL_KEYWORDS = (
    "consumer_key",
    "consumer_secret",
    "access_token",
    "access_token_secret",
    "bearer_token",
)
FIXTURES = ("dm_emulator", "dm_users", "dm_redirect", "tmp_path", "dm_chat")

#: A real 16x16 baseline JPEG (the one in CPython's own imghdr tests).
JPEG = bytes.fromhex(
    "ffd8ffe000104a46494600010101000100010000ffdb004300030202020202030202020303030304060404"
    "040404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f"
    "101010ffdb00430103030304030408040408100b090b10101010101010101010101010101010101010101010"
    "10101010101010101010101010101010101010101010101010ffc00011080010001003012200021101031101"
    "ffc400160001010100000000000000000000000000070405ffc4002410000104010402020300000000000000"
    "000102030406050708121311220014093132ffc4001501010100000000000000000000000000000006ffc400"
    "231100010205030500000000000000000000010211030405062100123115166181e1ffda000c030100021103"
    "11003f0014a6d26a1b73c1e61312d4951cf31163e42565beba5aec694540b1e520b254a51fd2cab8faf220ab"
    "963d976c9335e69b77d7e66da71781a5571c7f1cea71e24b39d7e32253f21a69ded4714a38b482e84b892a71"
    "691ecd2d213bf1efb91a74aceea15a758ed548ac655b858b81857b21299867a96b94b949654fb9c88529114b"
    "812af07ad9f23c807e55be0df662a140cce8e69a3d5cb743b3d77a6558b1d9512188bf64b8d3f1c3680429c0"
    "d0febb3c02e03c5407b4bdd97b54e627fb6edf9460148262138db8529828370589727960e432896fc3828ea7"
    "528cea208dbe78191f07ad7fffd9"
)
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00\x00\x00\x08mdat"


def _png() -> bytes:
    from tweepy_dm.cli._demo_kit import png as red_square

    return red_square()


MEDIA_FILES = {
    "cat.jpg": lambda: JPEG,
    "lunch.jpg": lambda: JPEG,
    "team.png": _png,
    "highlights.mp4": lambda: MP4,
    "holiday.mp4": lambda: MP4,
}

CODE_BLOCK = re.compile(r"^(?P<indent>[ \t]*)\.\. code-block::[ \t]*(?P<language>\S*)[ \t]*$")
NOT_RUN_COMMENT = re.compile(r"^\s*\.\. not-run:\s*(?P<reason>.+?)\s*$")
MODULE_HEADER = re.compile(r"^# (?P<name>\w+)\.py\s*$")


class Snippet(NamedTuple):
    page: str
    number: int  # 1-based, among the page's Python blocks
    line: int  # of the ``.. code-block::`` directive
    code: str
    not_run: Optional[str]

    @property
    def where(self) -> str:
        return f"docs/{self.page}, Python block {self.number} (line {self.line})"


def snippets(page: str) -> list[Snippet]:
    """The page's ``.. code-block:: python`` blocks, in order."""
    lines = (DOCS / page).read_text(encoding="utf-8").splitlines()
    found: list[Snippet] = []
    index = 0
    while index < len(lines):
        match = CODE_BLOCK.match(lines[index])
        if not match:
            index += 1
            continue
        directive, indent = index, len(match.group("indent"))
        index += 1
        while index < len(lines) and (
            not lines[index].strip() or lines[index].strip().startswith(":")
        ):
            index += 1  # blank lines and the directive's options
        body = []
        while index < len(lines) and (
            not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > indent
        ):
            body.append(lines[index])
            index += 1
        if match.group("language") != "python":
            continue
        before = directive - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        comment = NOT_RUN_COMMENT.match(lines[before]) if before >= 0 else None
        found.append(
            Snippet(
                page,
                len(found) + 1,
                directive + 1,
                textwrap.dedent("\n".join(body)).strip("\n") + "\n",
                comment.group("reason") if comment else None,
            )
        )
    return found


PAGES = sorted(path.name for path in DOCS.glob("*.rst") if snippets(path.name))


class _RealCredentials(ast.NodeTransformer):
    """Replaces a string literal passed as a credential keyword by ``__credentials__[name]``."""

    def visit_Call(self, node: ast.Call) -> Any:
        self.generic_visit(node)
        for keyword in node.keywords:
            if (
                keyword.arg in CREDENTIAL_KEYWORDS
                and isinstance(keyword.value, ast.Constant)
                and isinstance(keyword.value.value, str)
            ):
                keyword.value = ast.copy_location(
                    ast.Subscript(
                        value=ast.Name(id="__credentials__", ctx=ast.Load()),
                        slice=ast.Constant(value=keyword.arg),
                        ctx=ast.Load(),
                    ),
                    keyword.value,
                )
        return node


def _compiled(snippet: Snippet) -> Any:
    tree = ast.parse(snippet.code, filename=snippet.where)
    tree = ast.fix_missing_locations(_RealCredentials().visit(tree))
    return compile(tree, snippet.where, "exec")


_ASYNC_BASE, _ASYNC_MISSING = _load_tweepy_async_client()
ASYNC_WORDS = re.compile(r"\basync\b|\bawait\b|\basyncio\.|AsyncClient|AsyncPaginator")


def _chatxdk_missing() -> Optional[str]:
    if sys.version_info < (3, 10):
        return "chatxdk needs Python 3.10+"
    try:
        import chat_xdk  # noqa: F401
    except ImportError:
        return "chatxdk is not installed (the xchat extra)"
    return None


#: What code that needs chatxdk says: a client given a key, or the encryption module.
XCHAT_WORDS = re.compile(r"\bxchat_key=|\btweepy_dm\.xchat\b|\bimport xchat\b")


def _why_not_here(code: str) -> Optional[str]:
    """Why async or XChat code cannot run here (this tweepy, this Python), or None if it can."""
    if XCHAT_WORDS.search(code) and _chatxdk_missing():
        return _chatxdk_missing()
    if not ASYNC_WORDS.search(code):
        return None
    if _ASYNC_BASE is None:
        return f"tweepy's AsyncClient is missing: {_ASYNC_MISSING}"
    if "AsyncPaginator" in code:
        import tweepy.asynchronous

        if not hasattr(tweepy.asynchronous, "AsyncPaginator"):
            return "tweepy's AsyncPaginator needs tweepy 4.11 or newer"
    return None


@contextlib.contextmanager
def _fixtures(names: list[str]) -> Iterator[dict[str, Any]]:
    """Fresh equivalents of the plugin's fixtures, for one call of a test function."""
    with DMEmulator() as emulator, contextlib.ExitStack() as stack:
        if "dm_redirect" in names:
            stack.enter_context(emulator.redirect())
        users = (
            EmulatorUser.register(emulator, ALICE_ID, "alice", "Alice"),
            EmulatorUser.register(emulator, BOB_ID, "bob", "Bob"),
        )
        tmp_path = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory()))
        if "dm_chat" in names:
            from tweepy_dm.testing import DMChat

            chat = stack.enter_context(DMChat(directory=tmp_path / "dm_chat"))
        yield {
            "dm_chat": chat if "dm_chat" in names else None,
            "dm_emulator": emulator,
            "dm_redirect": emulator,
            "dm_users": users,
            "tmp_path": tmp_path,
        }


def _test_functions(snippet: Snippet) -> dict[str, str]:
    """The source of each ``test_*`` function the block defines, by name."""
    return {
        node.name: ast.get_source_segment(snippet.code, node) or ""
        for node in ast.parse(snippet.code).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    }


def _run_tests_defined(
    snippet: Snippet, namespace: dict[str, Any], before: set[str], left_out: list[str]
) -> int:
    """Calls the block's test functions; a test using async where it cannot run is left out."""
    ran = 0
    sources = _test_functions(snippet)
    for name, value in list(namespace.items()):
        if name in before or not name.startswith("test_") or not inspect.isfunction(value):
            continue
        reason = _why_not_here(sources[name])
        if reason:
            left_out.append(f"block {snippet.number}'s {name} ({reason})")
            continue
        parameters = list(inspect.signature(value).parameters)
        unknown = [parameter for parameter in parameters if parameter not in FIXTURES]
        assert not unknown, f"{snippet.where}: {name} asks for unknown fixtures {unknown}"
        with _fixtures(parameters) as fixtures:
            _run(snippet, name, value, **{p: fixtures[p] for p in parameters})
        ran += 1
    return ran


def _run(snippet: Snippet, what: str, function: Any, *args: Any, **kwargs: Any) -> None:
    try:
        function(*args, **kwargs)
    except Exception:
        pytest.fail(
            f"{snippet.where}{' ' + what if what else ''} failed:\n\n"
            f"{textwrap.indent(snippet.code, '    ')}\n{traceback.format_exc()}",
            pytrace=False,
        )


@pytest.fixture
def page_world(tmp_path, monkeypatch):
    """The emulator, users, working directory and closing of every emulator a page makes."""
    made: list[DMEmulator] = []
    original_init = DMEmulator.__init__

    def tracked_init(self: DMEmulator, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(DMEmulator, "__init__", tracked_init)
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    for name, make in MEDIA_FILES.items():
        (tmp_path / name).write_bytes(make())
    modules_before = set(sys.modules)
    try:
        with DMEmulator() as emulator, emulator.redirect():
            users = {
                "alice": emulator.add_user(ALICE_ID, "alice", "Alice"),
                "bob": emulator.add_user(BOB_ID, "bob", "Bob"),
                "twitterdev": emulator.add_user(TWITTER_DEV_ID, "TwitterDev", "Developers"),
            }
            conversation = DMEmulator.conversation_id(ALICE_ID, BOB_ID)
            emulator.seed_messages(conversation, SEEDED, text="Seeded message {i}")
            bob = tweepy_dm.Client(**users["bob"])  # no api_url: X's host, redirected
            photo = bob.upload_dm_media("cat.jpg")
            bob.create_dm(dm_conversation_id=conversation, text="A photo", media_id=photo.id)
            yield users
    finally:
        for emulator in made:
            emulator.close()
        for module in set(sys.modules) - modules_before:
            if getattr(sys.modules[module], "__file__", "") and str(tmp_path) in str(
                sys.modules[module].__file__
            ):
                del sys.modules[module]  # greeter.py and the like belong to this page only


def _setup_namespace(page: str, users: dict[str, dict[str, str]], stack: Any) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": f"docs_{page[:-4]}"}
    namespace["__credentials__"] = users["bob"]
    for name in SETUP[page]:
        if name == "client":
            namespace["client"] = tweepy_dm.Client(**users["bob"])
        elif name == "dm_emulator":
            namespace["dm_emulator"] = stack.enter_context(DMEmulator())
        elif name == "alice-bob.jsonl":
            _export_with_the_cli(users["alice"])
        elif name == "xchat.key":
            if not _chatxdk_missing():
                _xchat_keys(users)
        elif name == "tweepy_dm.install()":
            import tweepy

            if not hasattr(tweepy.Client, "create_direct_message"):  # tweepy < 4.12
                tweepy_dm.install()
                stack.callback(tweepy_dm.uninstall)
        else:
            raise AssertionError(f"SETUP[{page!r}] names {name!r}, which this test cannot make")
    return namespace


def _xchat_keys(users: dict[str, dict[str, str]]) -> None:
    """bob's key blob in ``xchat.key``, and alice's and bob's public keys registered on X."""
    from tweepy_dm.xchat import XChat

    for name, user_id in (("alice", ALICE_ID), ("bob", BOB_ID)):
        blob = XChat.generate_keys()
        XChat(tweepy_dm.Client(**users[name]), key_blob=blob, user_id=user_id).register_keys()
        if name == "bob":
            pathlib.Path("xchat.key").write_bytes(blob)


def _export_with_the_cli(alice: dict[str, str]) -> None:
    """``tweepy-dm export alice-bob.jsonl --with 1072250532645998596``, as alice."""
    from click.testing import CliRunner

    from tweepy_dm.cli._app import cli

    env = {f"X_{key.upper()}": value for key, value in alice.items() if key != "bearer_token"}
    result = CliRunner().invoke(cli, ["export", "alice-bob.jsonl", "--with", BOB_ID], env=env)
    assert result.exit_code == 0, result.output
    assert pathlib.Path("alice-bob.jsonl").stat().st_size > 0


def test_every_page_with_python_blocks_has_a_setup_entry():
    assert sorted(SETUP) == PAGES


def test_the_not_run_list_matches_the_docs():
    marked = {
        (snippet.page, snippet.number): snippet.not_run
        for page in PAGES
        for snippet in snippets(page)
        if snippet.not_run
    }
    assert marked == NOT_RUN


def test_placeholder_credentials_are_replaced_and_nothing_else():
    snippet = Snippet(
        "x.rst",
        1,
        1,
        'f(consumer_key="...", bearer_token="token", text="...", access_token=name)\n',
        None,
    )
    seen = {}
    exec(
        _compiled(snippet),
        {
            "f": lambda **kwargs: seen.update(kwargs),
            "__credentials__": {"consumer_key": "real key", "bearer_token": "real token"},
            "name": "kept",
        },
    )
    assert seen == {
        "consumer_key": "real key",
        "bearer_token": "real token",
        "text": "...",
        "access_token": "kept",
    }


@pytest.mark.parametrize("page", PAGES)
def test_page_snippets_run(page, page_world):
    users = page_world
    left_out = []
    ran = 0
    with contextlib.ExitStack() as stack:
        namespace = _setup_namespace(page, users, stack)
        for snippet in snippets(page):
            if snippet.not_run:
                continue
            outside_tests = snippet.code
            for source in _test_functions(snippet).values():
                outside_tests = outside_tests.replace(source, "")
            reason = _why_not_here(outside_tests)
            if reason:
                left_out.append(f"block {snippet.number} ({reason})")
                continue
            header = MODULE_HEADER.match(snippet.code.splitlines()[0])
            if header:
                pathlib.Path(f"{header.group('name')}.py").write_text(snippet.code, "utf-8")
            before = set(namespace)
            _run(snippet, "", exec, _compiled(snippet), namespace)
            _run_tests_defined(snippet, namespace, before, left_out)
            ran += 1
    if left_out:
        pytest.skip(f"ran {ran} blocks of docs/{page}; left out {', '.join(left_out)}")
