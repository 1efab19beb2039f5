"""The package's shape: one endpoint table, stubs in sync with it, no import cycles."""

from __future__ import annotations

import importlib.util
import inspect
import pathlib

import pytest

from tweepy_dm import _facts
from tweepy_dm._endpoints import ENDPOINTS
from tweepy_dm._methods import STUB_PATH, render_stub

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _load_module_map():
    """scripts/module_map.py, which renders CONTRIBUTING.md's map and reads the imports."""
    spec = importlib.util.spec_from_file_location("module_map", ROOT / "scripts" / "module_map.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


module_map = _load_module_map()
_modules = module_map.modules
_import_sites = module_map.import_sites
_imports = module_map.imports


def test_no_import_cycle():
    modules = _modules()
    graph = {name: _imports(name, path, set(modules)) for name, path in modules.items()}
    cycles = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(cycle) for cycle in cycles)


def test_the_type_stub_matches_the_endpoint_table():
    assert STUB_PATH.read_text(encoding="utf-8") == render_stub(), (
        "tweepy_dm/_signatures.pyi is stale: run python scripts/generate_signatures.py"
    )


def test_the_emulator_serves_every_route_of_the_table():
    from tweepy_dm.emulator._routes import ROUTES

    served = {route if isinstance(route, str) else route.key for route in ROUTES}
    missing = sorted(
        route.key for endpoint in ENDPOINTS for route in endpoint.routes if route.key not in served
    )
    assert not missing, f"the emulator has no route for {missing}"


_15_MINUTES, _24_HOURS = 15 * 60, 24 * 60 * 60
#: X's rate-limit table for the DM endpoints (docs.x.com/x-api/fundamentals/rate-limits,
#: 2026), read off the page again here, apart from ``_facts``: the code's own copy is
#: checked against it, and the emulator's limits against both.
X_DOCS_DM_RATE_LIMITS = {
    **dict.fromkeys(
        [
            "GET /2/dm_events",
            "GET /2/dm_events/{event_id}",
            "GET /2/dm_conversations/with/{participant_id}/dm_events",
            "GET /2/dm_conversations/{dm_conversation_id}/dm_events",
        ],
        ((15, _15_MINUTES),),
    ),
    **dict.fromkeys(
        [
            "POST /2/dm_conversations/with/{participant_id}/messages",
            "POST /2/dm_conversations/{dm_conversation_id}/messages",
            "POST /2/dm_conversations",
        ],
        ((15, _15_MINUTES), (1440, _24_HOURS)),
    ),
    "DELETE /2/dm_events/{event_id}": ((300, _15_MINUTES), (1500, _24_HOURS)),
    **dict.fromkeys(
        ["POST /2/users/{id}/dm/block", "POST /2/users/{id}/dm/unblock"],
        ((10, _15_MINUTES), (400, _24_HOURS)),
    ),
    "POST /2/media/upload": ((500, _15_MINUTES),),
    **dict.fromkeys(
        [
            "POST /2/media/upload/initialize",
            "POST /2/media/upload/{id}/append",
            "POST /2/media/upload/{id}/finalize",
            "GET /2/media/upload",
        ],
        ((1875, _15_MINUTES),),
    ),
}


@pytest.mark.parametrize("route", sorted(X_DOCS_DM_RATE_LIMITS))
def test_the_dm_rate_limits_are_x_published_ones(route):
    from tweepy_dm.emulator import X_RATE_LIMITS

    assert _facts.RATE_LIMITS[route] == X_DOCS_DM_RATE_LIMITS[route], "tweepy_dm._facts"
    assert X_RATE_LIMITS[route] == X_DOCS_DM_RATE_LIMITS[route], "the emulator"


#: The one import of client code the emulator makes: ``EmulatorUser.client()`` and
#: ``.async_client()`` (``emulator/_users.py``) hand a test the public clients, importing
#: the package inside those functions, so the server itself never runs client code.
EMULATOR_CLIENT_FACTORY = ("tweepy_dm.emulator._users", "tweepy_dm")
#: The pytest plugin's ``dm_chat`` fixture, inside its function, imports the test kit
#: (which runs a bot against the emulator): a fixture, never the server.
EMULATOR_TEST_KIT = ("tweepy_dm.emulator.pytest_plugin", "tweepy_dm.testing")


def test_the_emulator_imports_only_facts_and_models_from_the_client_side():
    """Any emulator module may import ``_facts`` and ``_models``; nothing else of the
    client side is imported, except the package itself, inside functions, by
    :data:`EMULATOR_CLIENT_FACTORY`'s module, and the test kit by the pytest plugin's
    fixture (:data:`EMULATOR_TEST_KIT`)."""
    modules = _modules()
    allowed = {"tweepy_dm._facts", "tweepy_dm._models"}
    leaks = {}
    for name, path in modules.items():
        if name.startswith("tweepy_dm.emulator"):
            outside = {
                (target, lazy)
                for target, lazy in _import_sites(name, path, set(modules))
                if not target.startswith("tweepy_dm.emulator")
                and target not in allowed
                and not (lazy and (name, target) in (EMULATOR_CLIENT_FACTORY, EMULATOR_TEST_KIT))
            }
            if outside:
                leaks[name] = sorted(
                    f"{target} ({'in a function' if lazy else 'at import'})"
                    for target, lazy in outside
                )
    assert not leaks, f"emulator modules importing client code: {leaks}"


def test_every_shared_docstring_paragraph_is_filled_in():
    import re

    import tweepy_dm
    from tweepy_dm._endpoints._common import DOC_FRAGMENTS, fill_docstring

    placeholder = re.compile(r"^ *\{\w+\}$", re.MULTILINE)
    for endpoint in ENDPOINTS:
        for doc in (endpoint.build.__doc__, getattr(tweepy_dm.Client, endpoint.name).__doc__):
            assert not placeholder.search(doc or ""), endpoint.name
    # A fragment comes out indented as its placeholder; an unknown name is an error.

    def example():
        """Summary.

        Parameters
        ----------
        {user_auth}
        """

    fill_docstring(example)
    # Python 3.13 strips docstrings' common indentation when it compiles them; either way
    # the paragraph is indented as its placeholder was.
    filled = inspect.cleandoc(example.__doc__)
    assert "\nuser_auth : bool\n    Whether to authenticate" in filled
    assert DOC_FRAGMENTS["user_auth"].splitlines()[2].strip() in filled

    def unknown():
        """{no_such_fragment}"""

    with pytest.raises(KeyError):
        fill_docstring(unknown)


def test_contributing_maps_the_modules_as_the_code_has_them():
    text = module_map.CONTRIBUTING.read_text(encoding="utf-8")
    assert module_map.updated(text) == text, (
        "CONTRIBUTING.md's module map is stale: run python scripts/module_map.py"
    )


def test_every_module_says_what_it_owns():
    missing = []
    for path in _modules().values():
        try:
            module_map.owns(path)
        except ValueError as error:
            missing.append(str(error))
    assert not missing, missing


@pytest.mark.parametrize("leaf", ["tweepy_dm._facts", "tweepy_dm._flow"])
def test_the_foundations_import_nothing_from_the_package(leaf):
    modules = _modules()
    assert _imports(leaf, modules[leaf], set(modules)) == set()
