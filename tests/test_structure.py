"""The package's shape: one endpoint table, stubs in sync with it, no import cycles."""

from __future__ import annotations

import ast
import inspect
import pathlib

import pytest

from tweepy_dm import _facts
from tweepy_dm._endpoints import ENDPOINTS, GROUPS
from tweepy_dm._methods import STUB_PATH, render_stub

PACKAGE = pathlib.Path(__file__).resolve().parent.parent / "tweepy_dm"


def _module_name(path: pathlib.Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, pathlib.Path]:
    files = [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.pyi")]
    return {_module_name(path): path for path in files}


def _imports(name: str, path: pathlib.Path, modules: set[str]) -> set[str]:
    """Every tweepy_dm module ``name`` imports, anywhere in the file (functions and
    ``TYPE_CHECKING`` blocks included)."""
    package = name if path.name.startswith("__init__") else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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
        found |= {target for target in targets if target in modules and target != name}
    # Importing a submodule runs its parent packages first; that is not a cycle.
    return {target for target in found if not name.startswith(target + ".")}


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


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: endpoint.name)
def test_every_row_is_complete(endpoint):
    assert endpoint.group in GROUPS
    assert endpoint.routes, f"{endpoint.name} lists no route"
    for route in endpoint.routes:
        assert route.key in _facts.RATE_LIMITS, f"{route.key}: X's rate limit is not in _facts"
        assert route.reference.startswith("https://docs.x.com/"), route.reference
    assert len(set(endpoint.aliases)) == len(endpoint.aliases)


def test_names_are_unique():
    names = [name for endpoint in ENDPOINTS for name in (endpoint.name, *endpoint.aliases)]
    assert len(names) == len(set(names))


def test_the_emulator_serves_every_route_of_the_table():
    from tweepy_dm.emulator._routes import ROUTES

    served = {route if isinstance(route, str) else route.key for route in ROUTES}
    missing = sorted(
        route.key for endpoint in ENDPOINTS for route in endpoint.routes if route.key not in served
    )
    assert not missing, f"the emulator has no route for {missing}"


def test_the_emulator_limits_are_x_published_ones():
    from tweepy_dm.emulator import X_RATE_LIMITS

    for key, windows in X_RATE_LIMITS.items():
        assert windows == _facts.RATE_LIMITS[key], key


def test_the_emulator_imports_only_facts_and_models_from_the_client_side():
    modules = _modules()
    allowed = {"tweepy_dm._facts", "tweepy_dm._models"}
    leaks = {}
    for name, path in modules.items():
        if name.startswith("tweepy_dm.emulator"):
            outside = {
                target
                for target in _imports(name, path, set(modules))
                if not target.startswith("tweepy_dm.emulator") and target not in allowed
            }
            if outside:
                leaks[name] = sorted(outside)
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
