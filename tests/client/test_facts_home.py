"""Each of X's facts has one home, ``_facts``; each argument check one, ``_validation``."""

from __future__ import annotations

import ast
import pathlib
import re

import pytest

import tweepy_dm
from tweepy_dm import _facts, _validation
from tweepy_dm._endpoints import activity, chat

PACKAGE = pathlib.Path(tweepy_dm.__file__).parent
MODULES = sorted(PACKAGE.rglob("*.py"))
FACTS = PACKAGE / "_facts.py"
# Names that mean something else where they are bound.
NOT_FACTS = {
    # The emulator's table of XChat route handlers, not X's list of routes.
    ("emulator/_chat_routes.py", "CHAT_ROUTES"),
    # The alias of DIRECT_MESSAGE_EVENT_FIELDS, a public list made from the fact.
    ("_models.py", "DM_EVENT_FIELDS"),
}


def _made_from_the_fact(name: str, value: ast.AST) -> bool:
    """``NAME = list(_facts.NAME)``: a public copy, as tweepy exports its field lists."""
    return any(
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "_facts"
        and node.attr == name
        for node in ast.walk(value)
    )


def _module_bindings(path: pathlib.Path) -> list[tuple[str, ast.AST]]:
    """(name, value) of each module-level assignment."""
    bindings = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        else:
            continue
        bindings.extend((target.id, value) for target in targets if isinstance(target, ast.Name))
    return bindings


def _fact_names() -> set[str]:
    return {
        name for name, _ in _module_bindings(FACTS) if name.isupper() and not name.startswith("_")
    }


def test_every_fact_is_bound_once():
    names = [name for name, _ in _module_bindings(FACTS)]
    assert sorted({name for name in names if names.count(name) > 1}) == []


def test_the_rate_limit_tables_cover_every_group():
    # Built once from their parts: the DM, webhook and XChat routes are all in.
    assert _facts.RATE_LIMITS["GET /2/dm_events"] == ((15, _facts.MINUTES_15),)
    assert _facts.RATE_LIMITS["POST /2/webhooks"] == ((450, _facts.MINUTES_15),)
    assert (
        _facts.RATE_LIMITS["GET /2/chat/conversations"]
        == _facts.CHAT_RATE_LIMITS["GET /2/chat/conversations"]
    )
    assert _facts.APP_RATE_LIMITS["POST /2/webhooks"] == ((450, _facts.MINUTES_15),)


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_module_redefines_a_fact(path):
    if path == FACTS:
        return
    facts = _fact_names()
    # Tuples of names and float durations are specific enough to tell a copy.
    repeated = {
        value
        for value in vars(_facts).values()
        if (isinstance(value, tuple) and len(value) > 1) or isinstance(value, float)
    }
    where = path.relative_to(PACKAGE).as_posix()
    for name, value in _module_bindings(path):
        if (where, name) in NOT_FACTS or _made_from_the_fact(name, value):
            continue
        assert name not in facts, f"{name} is X's fact: import it from _facts"
        try:
            literal = ast.literal_eval(value)
        except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
            continue
        if isinstance(literal, (tuple, float)):
            assert literal not in repeated, f"{name} repeats a value of _facts"


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_the_one_to_one_conversation_id_is_built_in_one_place(path):
    if path == FACTS:
        return
    source = path.read_text(encoding="utf-8")
    assert not re.search(r"\{low\}\s*[-:]\s*\{high\}", source), (
        "use _facts.one_to_one_conversation_id"
    )


def test_one_to_one_conversation_id():
    assert _facts.one_to_one_conversation_id("20", 3) == "3-20"  # by value, not as text
    assert _facts.one_to_one_conversation_id(3, "20", separator=":") == "3:20"
    from tweepy_dm import _activity
    from tweepy_dm.bot import _outbox

    assert _activity.one_to_one_conversation_id is _facts.one_to_one_conversation_id
    assert _outbox.one_to_one is _facts.one_to_one_conversation_id


def test_the_emulator_stores_fewer_ids_than_x_issues():
    from tweepy_dm.emulator import _ids

    assert _ids.MAX_STORED_ID < _facts.MAX_ID


def test_the_stream_reads_its_limits_from_facts():
    from tweepy_dm import _stream

    assert _stream.MAX_BACKFILL_MINUTES is _facts.MAX_BACKFILL_MINUTES
    assert _stream.DEFAULT_READ_TIMEOUT > _facts.STREAM_KEEP_ALIVE_SECONDS


CLIENT_MODULES = [
    path
    for folder in ("", "_endpoints/", "bot/", "cli/")
    for path in sorted(PACKAGE.glob(f"{folder}*.py"))
    # Its 100 is how many dead letters the bot lists by default, not X's.
    if path != PACKAGE / "bot" / "_store.py"
]


@pytest.mark.parametrize("path", CLIENT_MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_no_page_or_list_limit_is_written_as_a_number(path):
    """X's limits of 100 (per page, per request) are named facts, not literals."""
    if path == FACTS:
        return
    numbers = [
        node.lineno
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and type(node.value) is int and node.value == 100
    ]
    assert numbers == [], f"lines {numbers}: use the fact of _facts"


@pytest.mark.parametrize("module", [chat, activity], ids=["chat", "activity"])
def test_builders_define_no_checks_of_their_own(module):
    """Argument checks live in _validation, not beside the builders."""
    checks = [
        name
        for name, value in vars(module).items()
        if callable(value)
        and getattr(value, "__module__", "") == module.__name__
        and re.match(r"_?(check|chat_page|chat_fields|chat_string|version|list_of)", name)
    ]
    assert checks == []


def test_one_page_check_for_xchat_and_the_activity_api():
    calls = []
    real = _validation.check_page

    def spy(*args, **kwargs):
        calls.append(kwargs["most"])
        return real(*args, **kwargs)

    _validation.check_page = spy
    try:
        chat.get_chat_conversations(max_results=5)
        activity.get_activity_subscriptions(max_results=5)
    finally:
        _validation.check_page = real
    assert calls == [_facts.MAX_CHAT_RESULTS, _facts.MAX_ACTIVITY_SUBSCRIPTIONS_PER_PAGE]


@pytest.mark.parametrize(
    ("build", "kwargs", "message"),
    [
        (
            chat.get_chat_conversations,
            {"max_results": 101},
            "max_results must be 1 to 100, got 101",
        ),
        (
            activity.get_activity_subscriptions,
            {"max_results": 1001},
            "max_results must be 1 to 1,000, got 1001",
        ),
        (chat.get_chat_conversations, {"pagination_token": "a b"}, "pagination_token must be"),
        (
            activity.get_activity_subscriptions,
            {"pagination_token": "short"},
            "at least 16 visible ASCII characters",
        ),
    ],
)
def test_page_messages(build, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build(**kwargs)
