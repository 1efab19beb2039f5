"""tox plugin (loaded by tox from the project root): an honest summary at the very end.

With ``skip_missing_interpreters = true`` (for newcomers who lack some
Pythons), tox marks the envs it could not create as skipped and still ends
with "congratulations". This plugin prints, after tox's own report, how many
envs ran, how many were skipped and why, so nobody mistakes a partial run for
the whole matrix. CI runs with ``--skip-missing-interpreters=false`` anyway.
"""

from __future__ import annotations

import atexit
import shutil
import sys
from typing import Any, Optional

from tox.plugin import impl
from tox.tox_env.errors import Skip

_ran: list[str] = []
_selected: list[str] = []
_missing: dict[str, str] = {}


@impl
def tox_before_run_commands(tox_env: Any) -> None:
    _ran.append(tox_env.name)


@impl
def tox_env_teardown(tox_env: Any) -> None:
    name = tox_env.name
    if name not in _selected and not name.startswith("."):
        _selected.append(name)
    if name not in _ran:
        reason = _skip_reason(tox_env)
        if reason is not None:
            _missing[name] = reason
            return
        base = tox_env.conf["base_python"]
        names = [_executable(python) for python in (base if isinstance(base, list) else [base])]
        if not any(shutil.which(python) for python in names):
            _missing[name] = f"interpreter {' or '.join(names)} not found"


def _skip_reason(tox_env: Any) -> Optional[str]:
    """Why tox skipped the env for lack of an interpreter, in tox's words, else None.

    Asked of tox's own interpreter search (cached by then), not of ``PATH``:
    a pyenv shim is on ``PATH`` for every version, installed or not.
    """
    try:
        tox_env.base_python  # noqa: B018 (raises Skip when tox found no interpreter)
    except Skip as skip:
        return str(skip) or "no interpreter"
    except Exception:  # not a Python env, or one that failed otherwise
        return None
    return None


def _executable(python: str) -> str:
    # tox names interpreters like "py39"; the executable is python3.9.
    if python.startswith("py3") and python[3:].isdigit():
        return f"python3.{python[3:]}"
    return str(python)


def _summary() -> None:
    if not _selected:
        return
    skipped = [name for name in _selected if name not in _ran]
    line = f"tox summary: {len(_ran)} of {len(_selected)} environments ran their tests"
    if not skipped:
        print(f"{line}; none was skipped.", file=sys.stderr)
        return
    print(f"{line}; {len(skipped)} did not:", file=sys.stderr)
    for name in skipped:
        reason = (
            f"skipped: {_missing[name]} (install it, or with pyenv see the README)"
            if name in _missing
            else "failed before its commands (see above)"
        )
        print(f"  {name}: {reason}", file=sys.stderr)


atexit.register(_summary)
