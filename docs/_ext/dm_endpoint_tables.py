"""The client pages' endpoint tables and method sections, as reST lines (no Sphinx needed).

Rendered from ``tweepy_dm._endpoints.ENDPOINTS``; :mod:`dm_endpoints` puts them
in the pages, and ``tests/docs/test_docs.py`` checks them without building the docs.
"""

from __future__ import annotations

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
