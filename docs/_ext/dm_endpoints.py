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

from dm_endpoint_tables import section_lines, table_lines
from docutils import nodes
from docutils.parsers.rst import Directive, directives
from docutils.statemachine import StringList
from sphinx.util.nodes import nested_parse_with_titles


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
