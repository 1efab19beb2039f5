"""Sphinx extension: the client pages' endpoint tables and method sections, from the code.

``.. dm-endpoints:: Client`` (or ``AsyncClient``) renders, from
``tweepy_dm._endpoints.ENDPOINTS``, what tweepy's own client pages open with:
a grid table of X's routes (each linked to X's reference page) and the
methods that call them, grouped as X groups its docs; then one section per
group with an ``automethod`` for each method. Adding a row to the endpoint
table is therefore all it takes to document an endpoint.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList
from sphinx.util.nodes import nested_parse_with_titles

from tweepy_dm._endpoints import ENDPOINTS, GROUPS

HEADER = ("Twitter API v2 Endpoint", "{client} Method")


def rows(client: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(group, [(route title, reference URL, method name), ...]) in docs order."""
    grouped: dict[str, list[tuple[str, str, str]]] = {group: [] for group in GROUPS}
    for endpoint in ENDPOINTS:
        for route in endpoint.routes:
            grouped[endpoint.group].append((route.title, route.reference, endpoint.name))
    return [(group, sorted(entries)) for group, entries in grouped.items() if entries]


def _grid_line(left: str, right: str, widths: tuple[int, int]) -> str:
    return f"| {left.ljust(widths[0] - 2)} | {right.ljust(widths[1] - 2)} |"


def table_lines(client: str) -> list[str]:
    """The grid table, its link targets and the group substitutions, as reST lines."""
    groups = rows(client)
    cells = [
        (f"`{title}`_", f":meth:`{client}.{method}`")
        for _, entries in groups
        for title, _, method in entries
    ]
    header = (HEADER[0], HEADER[1].format(client=f":class:`{client}`"))
    left = max(len(cell) for cell in [header[0], *(c[0] for c in cells)]) + 2
    right = max(len(cell) for cell in [header[1], *(c[1] for c in cells)]) + 2
    border = f"+{'-' * left}+{'-' * right}+"
    lines = [".. table::", "    :align: center", ""]
    grid = [border, _grid_line(*header, (left, right)), border.replace("-", "=")]
    for group, entries in groups:
        centered = f".. centered:: |{group}|"
        grid += [f"| {centered.ljust(left + right - 1)} |", border]
        for title, _, method in entries:
            grid += [_grid_line(f"`{title}`_", f":meth:`{client}.{method}`", (left, right))]
            grid += [border]
    lines += [f"    {line}" for line in grid]
    lines.append("")
    for group, entries in groups:
        lines.append(f".. |{group}| replace:: *{group}*")
        for title, reference, _ in entries:
            lines.append(f".. _{title}: {reference}")
    return lines


def section_lines(client: str) -> list[str]:
    """One section per group: its introduction and an ``automethod`` per method."""
    lines: list[str] = []
    for group, introduction in GROUPS.items():
        methods = [endpoint.name for endpoint in ENDPOINTS if endpoint.group == group]
        if not methods:
            continue
        lines += [group, "=" * len(group), ""]
        if introduction:
            lines += [introduction, ""]
        for method in methods:
            lines += [f".. automethod:: {client}.{method}", ""]
    return lines


class EndpointTable(Directive):
    """``.. dm-endpoints:: Client``: the table, or with ``:sections:``, the method sections."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"sections": directives.flag}

    def run(self):  # type: ignore[no-untyped-def]
        client = self.arguments[0]
        sections = "sections" in self.options
        lines = section_lines(client) if sections else table_lines(client)
        content = StringList(lines, source=self.state_machine.get_source(self.lineno))
        container = nodes.section() if sections else nodes.container()
        nested_parse_with_titles(self.state, content, container)
        return list(container.children)


def setup(app):  # type: ignore[no-untyped-def]
    app.add_directive("dm-endpoints", EndpointTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
