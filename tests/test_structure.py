"""The package's shape: one endpoint table, stubs in sync with it, no import cycles."""

from __future__ import annotations

import ast
import inspect
import pathlib

import pytest

from tweepy_dm import _facts
from tweepy_dm._endpoints import ENDPOINTS
from tweepy_dm._methods import STUB_PATH, render_stub

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "tweepy_dm"


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, pathlib.Path]:
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.pyi")]
    return {_module_name(path): path for path in files}


def _import_sites(name: str, path: pathlib.Path, modules: set[str]) -> set[tuple[str, bool]]:
    """Every tweepy_dm module ``name`` imports, anywhere in the file (functions and
    ``TYPE_CHECKING`` blocks included), each with whether it is imported inside a
    function. A parent package counts like any other module: ``import tweepy_dm`` in
    ``tweepy_dm.emulator._users`` imports the whole client side."""
    package = name if path.name.startswith("__init__") else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in ast.walk(node)
    }
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            # "from package import submodule" imports the submodule.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found |= {
            (target, id(node) in in_function)
            for target in targets
            if target in modules and target != name
        }
    return found


def _imports(name: str, path: pathlib.Path, modules: set[str]) -> set[str]:
    """Every tweepy_dm module ``name`` imports (see :func:`_import_sites`)."""
    return {target for target, _ in _import_sites(name, path, modules)}


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


def test_the_emulator_imports_only_facts_and_models_from_the_client_side():
    """Any emulator module may import ``_facts`` and ``_models``; nothing else of the
    client side is imported, except the package itself, inside functions, by
    :data:`EMULATOR_CLIENT_FACTORY`'s module."""
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
                and not (lazy and (name, target) == EMULATOR_CLIENT_FACTORY)
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
