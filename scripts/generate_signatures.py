"""Write the method signatures type checkers see for methods made at run time.

* ``tweepy_dm/_signatures.pyi``, the clients' methods, from the endpoint table;
* the ``TYPE_CHECKING`` blocks of ``XChat`` and ``AsyncXChat`` in
  ``tweepy_dm/xchat.py``, from the flows of ``xchat._Session`` (read from the
  source, so this needs no chatxdk).

Run it after changing the table or a flow's signature; tests fail until you do
(``tests/test_structure.py``, ``tests/xchat/test_signatures.py``).
"""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
XCHAT_PATH = ROOT / "tweepy_dm" / "xchat.py"
#: The first line of each generated block in xchat.py; the block ends with the class.
XCHAT_MARK = (
    "        # Generated from _Session's flows by scripts/generate_signatures.py: do not edit.\n"
)
_INDENT = " " * 8
_LINE_LENGTH = 100  # ruff's, so that ruff format leaves the output alone


def xchat_flows(source: str) -> list[ast.FunctionDef]:
    """The public methods of ``_Session`` that return a flow, in source order: the
    methods ``XChat`` and ``AsyncXChat`` are given (``xchat._FLOWS`` picks the same)."""
    tree = ast.parse(source)
    session = next(
        node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == "_Session"
    )
    return [
        node
        for node in session.body
        if isinstance(node, ast.FunctionDef)
        and not node.name.startswith("_")
        and node.returns is not None
        and ast.unparse(node.returns).startswith("_flow.Flow[")
    ]


def _parameter(arg: ast.arg, default: ast.expr | None) -> str:
    text = arg.arg
    if arg.annotation is not None:
        text += f": {ast.unparse(arg.annotation)}"
        if default is not None:
            text += f" = {ast.unparse(default)}"
    elif default is not None:
        text += f"={ast.unparse(default)}"
    return text


def _parameters(args: ast.arguments) -> list[str]:
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    parameters = [_parameter(arg, default) for arg, default in zip(positional, defaults)]
    if args.posonlyargs:
        parameters.insert(len(args.posonlyargs), "/")
    if args.vararg is not None:
        parameters.append("*" + _parameter(args.vararg, None))
    elif args.kwonlyargs:
        parameters.append("*")
    parameters += [_parameter(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults)]
    if args.kwarg is not None:
        parameters.append("**" + _parameter(args.kwarg, None))
    return parameters


def _stub(node: ast.FunctionDef, prefix: str) -> list[str]:
    """One method's stub, wrapped as ruff format wraps it."""
    returns = ast.unparse(node.returns.slice)  # type: ignore[union-attr]
    parameters = _parameters(node.args)
    head, tail = f"{_INDENT}{prefix}{node.name}(", f") -> {returns}: ..."
    line = head + ", ".join(parameters) + tail
    if len(line) <= _LINE_LENGTH:
        return [line]
    inner = f"{_INDENT}    " + ", ".join(parameters)
    if len(inner) <= _LINE_LENGTH:
        return [head, inner, _INDENT + tail]
    return [head, *(f"{_INDENT}    {parameter}," for parameter in parameters), _INDENT + tail]


def render_xchat_block(source: str, *, asynchronous: bool) -> str:
    """The generated block of ``XChat`` (or of ``AsyncXChat``)."""
    prefix = "async def " if asynchronous else "def "
    lines = [line for node in xchat_flows(source) for line in _stub(node, prefix)]
    return XCHAT_MARK + "\n".join(lines) + "\n"


def updated_xchat(source: str) -> str:
    """``xchat.py``'s source with both generated blocks rendered afresh."""
    parts = source.split(XCHAT_MARK)
    if len(parts) != 3:
        raise ValueError(f"xchat.py should hold the mark {XCHAT_MARK.strip()!r} twice")
    out = [parts[0]]
    for part, asynchronous in ((parts[1], False), (parts[2], True)):
        # The block runs to the first line indented less than its own (or the end).
        lines = part.splitlines(keepends=True)
        end = next(
            (
                index
                for index, line in enumerate(lines)
                if line.strip() and not line.startswith(_INDENT)
            ),
            len(lines),
        )
        while end and not lines[end - 1].strip():
            end -= 1  # blank lines after the block belong to what follows
        out.append(render_xchat_block(source, asynchronous=asynchronous))
        out.append("".join(lines[end:]))
    return "".join(out)


if __name__ == "__main__":
    from tweepy_dm._methods import STUB_PATH, render_stub

    STUB_PATH.write_text(render_stub(), encoding="utf-8")
    print(f"wrote {STUB_PATH}")
    XCHAT_PATH.write_text(updated_xchat(XCHAT_PATH.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {XCHAT_PATH}")
