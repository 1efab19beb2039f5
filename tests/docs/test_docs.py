"""The documentation covers every public DM method (without building it).

The client pages' endpoint tables and method sections are generated from
``tweepy_dm._endpoints.ENDPOINTS`` by ``docs/_ext/dm_endpoints.py``; the tests
below check what it renders (a row per route, linked to the method's
References, an aligned grid, an ``automethod`` per method) and that both
pages use it. Likewise, the emulator's public names and pytest fixtures, and
every command and option of the ``tweepy-dm`` command line, must be
documented. ``tox -e docs`` checks that the pages build.
"""

from __future__ import annotations

import ast
import inspect
import pathlib
import re
import sys

import pytest

import tweepy_dm
import tweepy_dm.emulator
from tweepy_dm._endpoints import ENDPOINTS

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
sys.path.insert(0, str(DOCS / "_ext"))
import dm_endpoint_tables as dm_endpoints  # noqa: E402  (found through the path above)

PAGES = {"Client": DOCS / "client.rst", "AsyncClient": DOCS / "asyncclient.rst"}

HTTP_METHOD = "(?:GET|POST|PUT|PATCH|DELETE)"
ENDPOINT_CELL = re.compile(rf"^`(?P<endpoint>{HTTP_METHOD} [^`]+)`_$")
METHOD_CELL = re.compile(r"^:meth:`(?P<client>\w+)\.(?P<method>\w+)`$")
AUTOMETHOD = re.compile(r"^\.\. automethod:: (?P<client>\w+)\.(?P<method>\w+)\s*$", re.M)
LINK_TARGET = re.compile(
    rf"^\.\. _(?P<endpoint>{HTTP_METHOD} .+?): (?P<url>https?://\S+)\s*$", re.M
)
DOCUMENTED_NAME = re.compile(
    r"^\s*\.\. (?:auto)?(?:class|exception|function|data|method|attribute)::\s+(?P<name>[\w.]+)",
    re.M,
)

DM_METHODS = [endpoint.name for endpoint in ENDPOINTS]
BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}
ALIASES = {alias: endpoint.name for endpoint in ENDPOINTS for alias in endpoint.aliases}


def _read(path: pathlib.Path) -> str:
    return path.read_text(encoding="utf-8")


def _page_text(client: str) -> str:
    """The page as Sphinx reads it: its text with the generated parts in place."""
    text = _read(PAGES[client])
    text = text.replace(
        f".. dm-endpoints:: {client}\n    :sections:\n",
        "\n".join(dm_endpoints.section_lines(client)),
    )
    return text.replace(
        f".. dm-endpoints:: {client}\n", "\n".join(dm_endpoints.table_lines(client))
    )


def _table(client: str) -> list[str]:
    """The lines of the grid table under the page's ``.. table::`` directive."""
    lines = _page_text(client).splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == ".. table::")
    grid = []
    for line in lines[start + 1 :]:
        stripped = line.strip()
        if stripped.startswith(("+", "|")):
            grid.append(stripped)
        elif grid and not stripped:
            break
    assert grid, f"{PAGES[client].name}: the '.. table::' has no grid table"
    return grid


def _rows(client: str) -> list[tuple[str, str]]:
    """(endpoint, method) for every endpoint row of the page's table."""
    grid = _table(client)
    split = grid[0].index("+", 1)  # the column boundary, from the top border
    rows = []
    for line in grid:
        if not line.startswith("|") or line[split] != "|":
            continue  # a border, or a centered group header spanning both columns
        endpoint_cell, method_cell = line[1:split].strip(), line[split + 1 : -1].strip()
        endpoint = ENDPOINT_CELL.match(endpoint_cell)
        method = METHOD_CELL.match(method_cell)
        if endpoint and method:
            assert method["client"] == client, (
                f"{client} page: row {line!r} names {method['client']}"
            )
            rows.append((endpoint["endpoint"], method["method"]))
    return rows


def _references(method: str) -> list[str]:
    """The URLs in the References section of a method's docstring."""
    doc = inspect.getdoc(BY_NAME[method].build) or ""
    section = re.search(r"^References\n-+\n(?P<body>.*?)(?:\n\S[^\n]*\n-+\n|\Z)", doc, re.M | re.S)
    assert section, f"{method}: its docstring has no References section"
    return re.findall(r"https?://\S+", section["body"])


def _own_public_methods(cls: type) -> set[str]:
    """Public methods tweepy-dm defines on a client class, not tweepy's nor aliases."""
    ours = [klass for klass in cls.__mro__ if klass.__module__.startswith("tweepy_dm")]
    theirs = [klass for klass in cls.__mro__ if klass not in ours]
    names = set()
    for klass in ours:
        for name, value in vars(klass).items():
            if name.startswith("_") or not callable(value) or isinstance(value, type):
                continue
            if name in ALIASES or any(name in vars(other) for other in theirs):
                continue
            names.add(name)
    return names


def test_endpoints_match_the_mixins():
    """ENDPOINTS, which the tests below rely on, is what the clients expose."""
    for mixin in (tweepy_dm.DirectMessagesMixin, tweepy_dm.AsyncDirectMessagesMixin):
        public = {name for name in vars(mixin) if not name.startswith("_")}
        assert public == set(DM_METHODS) | set(ALIASES), mixin.__name__


@pytest.mark.parametrize("client", list(PAGES))
@pytest.mark.parametrize("method", DM_METHODS)
def test_every_dm_method_has_a_table_row(client, method):
    rows = _rows(client)
    assert any(name == method for _, name in rows), (
        f"docs/{PAGES[client].name}: {client}.{method} has no row in the endpoint table; "
        "does the page use '.. dm-endpoints::', and does the method's ENDPOINTS row list routes?"
    )


@pytest.mark.parametrize("client", list(PAGES))
@pytest.mark.parametrize("method", DM_METHODS)
def test_every_endpoint_links_to_the_reference_of_its_method(client, method):
    """Each URL in the method's References has a row, and each row links to one."""
    targets = {
        match["endpoint"]: match["url"] for match in LINK_TARGET.finditer(_page_text(client))
    }
    references = _references(method)
    linked = []
    for endpoint, name in _rows(client):
        if name != method:
            continue
        assert endpoint in targets, f"docs/{PAGES[client].name}: no link target for {endpoint!r}"
        assert targets[endpoint] in references, (
            f"docs/{PAGES[client].name}: {endpoint!r} links to {targets[endpoint]}, which is not "
            f"in the References of {method}: {references}"
        )
        linked.append(targets[endpoint])
    missing = sorted(set(references) - set(linked))
    assert not missing, f"docs/{PAGES[client].name}: {method} has no row for {missing}"


@pytest.mark.parametrize("client", list(PAGES))
def test_no_row_for_a_method_that_does_not_exist(client):
    stale = sorted({name for _, name in _rows(client)} - set(DM_METHODS))
    assert not stale, f"docs/{PAGES[client].name}: rows for unknown methods {stale}"


@pytest.mark.parametrize("client", list(PAGES))
def test_the_table_grid_is_aligned(client):
    grid = _table(client)
    widths = {len(line) for line in grid}
    assert len(widths) == 1, (
        f"docs/{PAGES[client].name}: the endpoint table's lines have different lengths "
        f"{sorted(widths)}; pad the edited rows to {len(grid[0])} characters"
    )


@pytest.mark.parametrize("client", list(PAGES))
def test_rows_within_a_group_are_sorted_by_route(client):
    groups: list[list[str]] = [[]]
    for line in _table(client):
        if ".. centered::" in line:
            groups.append([])
        elif line.startswith("|"):
            endpoint = ENDPOINT_CELL.match(line[1 : line.index("|", 1)].strip())
            if endpoint:
                groups[-1].append(endpoint["endpoint"])
    for routes in groups:
        assert routes == sorted(routes), (
            f"docs/{PAGES[client].name}: rows out of order in a group: {routes}"
        )


def test_both_pages_have_the_same_rows():
    assert _rows("Client") == _rows("AsyncClient"), (
        "docs/client.rst and docs/asyncclient.rst list different endpoints"
    )


@pytest.mark.parametrize("client", list(PAGES))
def test_every_public_method_has_an_automethod(client):
    documented = {
        match["method"]
        for match in AUTOMETHOD.finditer(_page_text(client))
        if match["client"] == client
    }
    methods = set(DM_METHODS) | _own_public_methods(getattr(tweepy_dm, client))
    missing = sorted(methods - documented)
    assert not missing, (
        f"docs/{PAGES[client].name}: no '.. automethod:: {client}.<name>' for {missing}"
    )


@pytest.mark.parametrize("method", DM_METHODS)
def test_docstrings_have_the_sections_the_pages_show(method):
    builder, aliases = BY_NAME[method].build, BY_NAME[method].aliases
    doc = inspect.getdoc(builder) or ""
    for alias in aliases:
        assert f"``{alias}``" in doc, f"{method}: the docstring does not note its alias {alias}"
    assert ".. versionadded::" in doc, f"{method}: no versionadded note"
    for section in ("Parameters", "Raises", "Returns", "References"):
        assert re.search(rf"^{section}\n-+$", doc, re.M), f"{method}: no {section} section"


def test_api_index_lists_every_method_and_alias():
    text = _read(DOCS / "api.rst")
    for method, aliases in ((e.name, e.aliases) for e in ENDPOINTS):
        assert f":meth:`Client.{method}`" in text, f"docs/api.rst does not list {method}"
        for alias in aliases:
            assert f"``{alias}``" in text, f"docs/api.rst does not list the alias {alias}"


def test_every_exported_name_is_documented():
    documented = set()
    for page in DOCS.glob("*.rst"):
        documented |= _documented_names(page)
    missing = sorted(set(tweepy_dm.__all__) - documented - {"__version__"})
    assert not missing, f"exported but not documented in docs/: {missing}"


def _documented_names(page: pathlib.Path) -> set[str]:
    return {m["name"].rpartition(".")[2] for m in DOCUMENTED_NAME.finditer(_read(page))}


def test_the_emulator_reference_documents_its_exports():
    """docs/emulator.rst has a directive for each name tweepy_dm.emulator exports."""
    page = DOCS / "emulator.rst"
    assert page.exists(), "docs/emulator.rst (the tweepy_dm.emulator reference) is missing"
    assert ".. currentmodule:: tweepy_dm.emulator" in _read(page)
    missing = sorted(set(tweepy_dm.emulator.__all__) - _documented_names(page))
    assert not missing, f"docs/emulator.rst does not document {missing}"


def _fixtures() -> list[str]:
    """Names of the functions decorated with ``pytest.fixture`` in the plugin module."""
    source = (ROOT / "tweepy_dm" / "emulator" / "pytest_plugin.py").read_text(encoding="utf-8")
    names = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if ast.unparse(target) in ("pytest.fixture", "fixture"):
                    names.append(node.name)
    return names


@pytest.mark.parametrize("page", ["testing.rst", "emulator.rst"])
def test_every_pytest_fixture_is_documented(page):
    fixtures = _fixtures()
    assert fixtures, "found no fixtures in tweepy_dm/emulator/pytest_plugin.py"
    text = _read(DOCS / page)
    missing = [name for name in fixtures if f"``{name}``" not in text]
    assert not missing, f"docs/{page} does not describe the pytest fixtures {missing}"


def _cli_commands() -> dict[str, object]:
    pytest.importorskip("click")
    pytest.importorskip("rich")
    from tweepy_dm.cli._app import cli

    return dict(cli.commands)


def test_every_cli_command_has_a_section():
    text = _read(DOCS / "cli.rst")
    for name in _cli_commands():
        assert re.search(rf"^.*``tweepy-dm {name}``.*\n=+$", text, re.M), (
            f"docs/cli.rst has no section with ``tweepy-dm {name}`` in its title"
        )


def test_every_cli_option_and_variable_is_documented():
    import click

    text = _read(DOCS / "cli.rst")
    missing = set()
    for name, command in _cli_commands().items():
        for parameter in command.params:
            if not isinstance(parameter, click.Option):
                continue
            names = [opt for opt in parameter.opts if opt.startswith("--")]
            if not any(re.search(rf"(?<![\w-]){opt}(?![\w-])", text) for opt in names):
                missing.add(f"{name} {'/'.join(names)}")
            if parameter.envvar and f"``{parameter.envvar}``" not in text:
                missing.add(f"{name}: variable {parameter.envvar}")
    assert not missing, f"docs/cli.rst does not mention {sorted(missing)}"


def test_the_build_folder_is_ignored():
    assert "docs/_build/" in _read(ROOT / ".gitignore").split()
